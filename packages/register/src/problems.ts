// Which diag warnings and errors are worth a line on stderr when nobody asked for diagnostics
// (OTEL_LOG_LEVEL unset), and how that line reads. Pure: a message in, a problem (or nothing) out;
// src/report.ts writes the lines.
//
// What reaches the person:
// - everything @xray-otel packages warn about (they say only what the user should act on: a bad
//   setting, a daemon or sampling proxy out of reach, spans lost or shrunk), the daemon and sampling
//   proxy cases reworded to say what is lost and what to check;
// - from upstream OpenTelemetry only what is about the user's configuration (an OTEL_* value, OTLP
//   exporter configuration, an unknown instrumentation name) or lost spans (the batch processor's
//   full queue).
// Not the rest of upstream: per-span API misuse ("Invalid attribute value"), the export errors the
// batch processor hands to the global error handler, instrumentation chatter. Nor register's own
// "flush / shutdown failed": the batch processor fails a flush when an export failed, which the
// exporter said already (rate-limited); a second line would be the same problem twice.
// OTEL_LOG_LEVEL=warn shows them all.

/** One distinct problem: lines with the same key are one problem (rate-limited together). */
export interface Problem {
  key: string;
  message: string;
}

/** Our packages' lines; the SigV4 exporter names its class. */
const OWN_PREFIX = /^(?:@xray-otel\/[a-z0-9-]+|AWSXRayOtlpSpanExporter): /;

/** register's shutdown.ts and lambda.ts when a flush or shutdown rejected (see the file comment). */
const FLUSH_FAILED = /^(?:shutdown|flush)\b[^:]* failed(?::|$)/;

/** What RateLimitedLog appends; the reporter counts again on its own. */
const SUPPRESSED_SUFFIX = / \(\d+ similar messages suppressed\)$/;

/** Lookup failures: the daemon's host name does not resolve (now). */
const UNRESOLVED_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/** The UDP daemon client's send error line (@xray-otel/core daemon-client.ts). */
const DAEMON_SEND_ERROR = /^could not send .+? to the X-Ray daemon at (\S+): ([A-Z][A-Z0-9_]*)\b/;

/** The remote sampler's polling error line (@xray-otel/sampler remote.ts). */
const SAMPLER_POLL_ERROR = /^cannot get sampling (?:rules|targets) from (\S+): (.*)$/;

/** Upstream warnings that reach the person (see the file comment). */
const UPSTREAM_PATTERNS: RegExp[] = [
  // sdk-trace BatchSpanProcessor: spans lost; OTEL_BSP_* sizes that do not fit together.
  /^Dropped \d+ spans because maxQueueSize reached/,
  /^BatchSpanProcessor: maxExportBatchSize must be/,
  // An OTEL_* variable the SDK or an exporter reads itself.
  /\bOTEL_[A-Z0-9_]+\b.*\b(?:invalid|unsupported|unknown|unrecognized)\b/i,
  /\b(?:invalid|unsupported|unknown|unrecognized)\b.*\bOTEL_[A-Z0-9_]+\b/i,
  // otlp-exporter-base: OTEL_EXPORTER_OTLP_* endpoint, headers, timeout, compression.
  /^Configuration: /,
  /^Header ".*" has invalid value/,
  // auto-instrumentations-node: a name in OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS.
  /^Provided instrumentation name ".*" not found$/,
];

/**
 * The key of a line with its variable parts (numbers, IDs, quoted names) blurred, so that the same
 * problem about another span or another count is the same problem.
 */
export function problemKey(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b[0-9a-f]*[0-9][0-9a-f-]*\b/gi, '#')
    .slice(0, 200);
}

/** The text of diag's extra arguments worth keeping on the line: error messages. */
function argumentText(args: readonly unknown[]): string {
  const parts: string[] = [];
  for (const arg of args) {
    if (arg instanceof Error) parts.push(arg.message);
    else if (typeof arg === 'string' && arg !== '') parts.push(arg);
  }
  return parts.length > 0 ? ': ' + parts.join(': ') : '';
}

function daemonProblem(endpoint: string, code: string, message: string): Problem {
  const key = `daemon:${endpoint}:${code}`;
  if (code === 'ECONNREFUSED') {
    return {
      key,
      message:
        `nothing listens at the X-Ray daemon address ${endpoint} (UDP, ECONNREFUSED): spans are lost. ` +
        'Start the X-Ray daemon (or the collector), or set AWS_XRAY_DAEMON_ADDRESS.',
    };
  }
  if (UNRESOLVED_CODES.has(code)) {
    return {
      key,
      message:
        `the X-Ray daemon host of ${endpoint} cannot be resolved (${code}): spans are lost. ` +
        'Check AWS_XRAY_DAEMON_ADDRESS.',
    };
  }
  return { key, message };
}

/**
 * The problem a diag warning or error describes, or undefined when it is not for the person (see
 * the file comment). `args` are diag's extra arguments (an Error's message is kept).
 */
export function toProblem(message: unknown, args: readonly unknown[] = []): Problem | undefined {
  if (typeof message !== 'string') return undefined;
  const text = message.replace(SUPPRESSED_SUFFIX, '');
  const own = OWN_PREFIX.exec(text);
  if (own === null) {
    if (!UPSTREAM_PATTERNS.some((pattern) => pattern.test(text))) return undefined;
    const upstream = 'OpenTelemetry: ' + text + argumentText(args);
    return { key: problemKey(upstream), message: upstream };
  }
  const body = text.slice(own[0].length) + argumentText(args);
  if (FLUSH_FAILED.test(body)) return undefined;
  const daemon = DAEMON_SEND_ERROR.exec(body);
  if (daemon !== null) return daemonProblem(daemon[1], daemon[2], body);
  const sampler = SAMPLER_POLL_ERROR.exec(body);
  if (sampler !== null) {
    return {
      key: `sampler:${sampler[1]}`,
      message:
        `cannot get X-Ray sampling rules from ${sampler[1]} (${sampler[2]}): the local fallback rules ` +
        'decide until it answers (default: 1 trace a second, then 5 %). Start the X-Ray daemon (its TCP ' +
        'port serves the sampling rules), or set AWS_XRAY_DAEMON_ADDRESS or OTEL_TRACES_SAMPLER_ARG endpoint=.',
    };
  }
  return { key: problemKey(body), message: body };
}
