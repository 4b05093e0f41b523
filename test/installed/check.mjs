// Drives the installed app and checks, through xray-local's JSON API (GET /api/traces,
// /api/traces/:id, /api/service-map, /api/stats, /api/rejected), what X-Ray would show for it.
// Usage: node check.mjs <app url> <xray-local ui url> <service name> <downstream url> [timeout s]
// Sends GET /hello, /boom, /downstream once each, then re-reads the API until every expectation holds
// or the timeout passes (the SDK's batch processor exports every 5 s); prints what failed, with the
// trace documents, and exits 1. Built-ins only: it runs outside the repository.
const [appUrl, uiUrl, service, downstreamUrl, timeoutArg] = process.argv.slice(2);
if (!appUrl || !uiUrl || !service || !downstreamUrl) {
  console.error('usage: node check.mjs <app url> <ui url> <service name> <downstream url> [timeout s]');
  process.exit(2);
}
const timeoutMs = Number(timeoutArg ?? 30) * 1000;
const BOOM = 'boom from the installed app';
const EXPECTED_STATUS = { '/hello': 200, '/boom': 500, '/downstream': 200 };

async function get(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10000) });
  const text = await response.text();
  return { status: response.status, text };
}

async function api(path) {
  const { status, text } = await get(uiUrl + path);
  if (status !== 200) throw new Error(`xray-local GET ${path} answered ${status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** What run.sh puts on the app's command line (`--db-password=...`); it must reach no document. */
const SECRET_ARGUMENT = 'hunter2-installed';

/** Every document of a trace with its subsegments flattened (each keeps its name and fields). */
function allDocuments(segments) {
  const out = [];
  const walk = (document) => {
    out.push(document);
    for (const child of document.subsegments ?? []) walk(child);
  };
  segments.forEach(walk);
  return out;
}

/** One pass over the API: the expectations that do not hold yet, and what was seen. */
async function evaluate() {
  const failures = [];
  const seen = {};
  const stats = await api('/api/stats');
  if (stats.rejected > 0) {
    const { rejected } = await api('/api/rejected?limit=5');
    failures.push(
      `xray-local rejected ${stats.rejected} document(s) X-Ray would refuse: ` +
        rejected.map((r) => `${r.reason}: ${r.detail}`).join('; '),
    );
  }
  const { traces } = await api('/api/traces?limit=100');
  for (const [path, status] of Object.entries(EXPECTED_STATUS)) {
    const summary = traces.find((trace) => trace.http?.url?.endsWith(path));
    if (!summary) {
      failures.push(`no trace for GET ${path} (xray-local has ${traces.length} trace(s))`);
      continue;
    }
    const trace = await api(`/api/traces/${encodeURIComponent(summary.id)}`);
    const documents = allDocuments(trace.segments);
    seen[path] = { id: trace.id, segments: trace.segments };
    const expect = (ok, what) => {
      if (!ok) failures.push(`GET ${path} (trace ${trace.id}): ${what}`);
    };
    const segment = trace.segments.find((document) => document.parent_id === undefined);
    expect(segment, 'no segment without parent_id (the service segment)');
    if (!segment) continue;
    expect(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(segment.trace_id), `trace_id ${segment.trace_id}`);
    expect(
      segment.name === service,
      `segment name "${segment.name}", expected OTEL_SERVICE_NAME "${service}"`,
    );
    expect(segment.http?.request?.method === 'GET', `http.request.method ${segment.http?.request?.method}`);
    expect(
      segment.http?.request?.url?.endsWith(path),
      `http.request.url ${segment.http?.request?.url}, expected ...${path}`,
    );
    expect(
      segment.http?.response?.status === status,
      `http.response.status ${segment.http?.response?.status}`,
    );
    // Nothing secret leaves the app: run.sh passes a password on the command line.
    const text = JSON.stringify(trace.segments);
    expect(!text.includes(SECRET_ARGUMENT), `a document holds the command-line secret ${SECRET_ARGUMENT}`);
    expect(!/command_(args|line)/.test(text), 'a document holds the command line (process.command_args)');
    if (path === '/hello') {
      // Express sends Content-Length; the segment says how much.
      expect(
        segment.http?.response?.content_length > 0,
        `http.response.content_length ${segment.http?.response?.content_length}`,
      );
    }
    const causes = documents.filter((document) =>
      document.cause?.exceptions?.some(
        (exception) => exception.message === BOOM && exception.type === 'Error',
      ),
    );
    if (path === '/boom') {
      expect(
        segment.fault === true && segment.error === false,
        `fault ${segment.fault}, error ${segment.error}`,
      );
      expect(causes.length > 0, `no document has a cause exception {type: "Error", message: "${BOOM}"}`);
      expect(
        causes.some((d) => d.cause.exceptions[0].stack?.some((frame) => frame.path?.endsWith('app.cjs'))),
        'no stack frame of app.cjs in the cause (telemetry.sdk.language nodejs: V8 stack rules)',
      );
      seen[path].note =
        `cause (${BOOM}) on: ${causes.map((d) => `"${d.name}"`).join(', ')}; ` +
        `stack frames: ${causes.map((d) => d.cause.exceptions[0].stack?.length ?? 0).join(', ')}`;
    } else {
      expect(
        segment.fault === false && segment.error === false,
        `fault ${segment.fault}, error ${segment.error}`,
      );
      expect(causes.length === 0, 'a cause on a request that did not fail');
    }
    if (path === '/downstream') {
      const remote = documents.find(
        (document) =>
          document.namespace === 'remote' && document.http?.request?.url?.startsWith(downstreamUrl),
      );
      expect(remote, `no remote subsegment (namespace "remote") calling ${downstreamUrl}`);
      if (remote) {
        expect(
          remote.http?.request?.method === 'GET',
          `downstream http.request.method ${remote.http?.request?.method}`,
        );
        expect(
          remote.http?.response?.status === 200,
          `downstream http.response.status ${remote.http?.response?.status}`,
        );
        // Named by its host, as the classic SDK names it (host:port, as ADOT), never `GET`.
        expect(
          remote.name === new URL(downstreamUrl).host,
          `downstream subsegment named "${remote.name}", expected "${new URL(downstreamUrl).host}"`,
        );
        seen.remote = remote.name;
        seen[path].note = `downstream subsegment named "${remote.name}"`;
      }
    }
  }
  const map = await api('/api/service-map');
  const node = map.nodes.find((candidate) => candidate.name === service && !candidate.inferred);
  if (!node)
    failures.push(`service map: no node "${service}" (nodes: ${map.nodes.map((n) => n.id).join(', ')})`);
  else {
    if (node.stats.requests < 3)
      failures.push(`service map: "${service}" counts ${node.stats.requests} request(s)`);
    if (node.stats.faultRate <= 0) failures.push(`service map: "${service}" shows no fault`);
    if (seen.remote !== undefined) {
      const remoteNode = map.nodes.find((candidate) => candidate.name === seen.remote && candidate.inferred);
      const edge = remoteNode && map.edges.find((e) => e.source === node.id && e.target === remoteNode.id);
      if (!edge)
        failures.push(`service map: no edge from "${service}" to the downstream node "${seen.remote}"`);
    }
  }
  return { failures, seen, map };
}

for (const path of Object.keys(EXPECTED_STATUS)) {
  const { status } = await get(appUrl + path);
  if (status !== EXPECTED_STATUS[path]) {
    console.error(`installed app: GET ${path} answered ${status}, expected ${EXPECTED_STATUS[path]}`);
    process.exit(1);
  }
}

const deadline = Date.now() + timeoutMs;
let result;
for (;;) {
  result = await evaluate();
  if (result.failures.length === 0 || Date.now() > deadline) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}

if (result.failures.length > 0) {
  console.error(
    `installed app: what xray-local received is not what X-Ray should show (after ${timeoutMs / 1000} s):`,
  );
  for (const failure of result.failures) console.error(`  - ${failure}`);
  console.error(JSON.stringify({ traces: result.seen, serviceMap: result.map }, null, 1).slice(0, 20000));
  process.exit(1);
}
for (const [path, { id, note }] of Object.entries(result.seen).filter(([key]) => key.startsWith('/')))
  console.log(`  GET ${path.padEnd(12)} trace ${id}${note ? `  (${note})` : ''}`);
console.log(
  `  service map: ${result.map.edges
    .map((edge) => `${edge.source.split('|')[0]} -> ${edge.target.split('|')[0]}`)
    .join(', ')}`,
);
