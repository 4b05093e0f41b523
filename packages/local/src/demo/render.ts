/**
 * What the demo prints: the service map as text (nodes, then edges with their figures), the slowest
 * traces, the progress line during the traffic, and the message for a busy port. Pure functions.
 */
import type { ServiceMap, ServiceMapNode, Stats, TraceSummary } from '../types';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function formatLatency(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  return seconds >= 1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(1)} ms`;
}

/** Left-aligned columns (numbers right-aligned), two spaces apart, each row indented. */
export function table(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) =>
            /^[\d.]+( ms| s|%)?$/.test(cell) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
          )
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

function nodeName(nodes: Map<string, ServiceMapNode>, id: string): string {
  return nodes.get(id)?.name ?? id.split('|')[0];
}

/** The service map as text: a table of nodes, then the edges `a -> b` with their figures. */
export function renderServiceMap(map: ServiceMap): string {
  const nodes = new Map(map.nodes.map((n) => [n.id, n]));
  const stats = (s: ServiceMap['nodes'][number]['stats']) => [
    String(s.requests),
    formatLatency(s.averageLatency),
    percent(s.errorRate),
    percent(s.faultRate),
    percent(s.throttleRate),
  ];
  const header = ['requests', 'avg', 'error', 'fault', 'throttle'];
  const lines = [`Service map: ${map.nodes.length} nodes, ${map.edges.length} edges`];
  if (map.nodes.length === 0) return `${lines[0]} (no traces yet)`;
  const sorted = [...map.nodes].sort(
    (a, b) => Number(a.inferred) - Number(b.inferred) || a.name.localeCompare(b.name),
  );
  lines.push(
    table([
      ['node', 'type', ...header],
      ...sorted.map((n) => [n.name, (n.type || '-') + (n.inferred ? ' (inferred)' : ''), ...stats(n.stats)]),
    ]),
  );
  if (map.edges.length > 0) {
    const edges = [...map.edges].sort(
      (a, b) =>
        nodeName(nodes, a.source).localeCompare(nodeName(nodes, b.source)) ||
        b.stats.requests - a.stats.requests,
    );
    lines.push(
      '',
      table([
        ['edge', ...header],
        ...edges.map((e) => [
          `${nodeName(nodes, e.source)} -> ${nodeName(nodes, e.target)}`,
          ...stats(e.stats),
        ]),
      ]),
    );
  }
  return lines.join('\n');
}

/** The `count` slowest traces: id, duration, root segment name, request, HTTP status. */
export function renderSlowest(traces: TraceSummary[], count = 5): string {
  const slowest = [...traces].sort((a, b) => b.duration - a.duration).slice(0, count);
  if (slowest.length === 0) return 'Slowest traces: none received';
  const rows = slowest.map((t) => {
    const flags = [t.fault && 'fault', t.error && 'error', t.throttle && 'throttle']
      .filter(Boolean)
      .join(',');
    let request = '';
    if (t.http?.url) {
      try {
        const url = new URL(t.http.url);
        request = `${t.http.method ?? ''} ${url.pathname}${url.search}`.trim();
      } catch {
        request = `${t.http.method ?? ''} ${t.http.url}`.trim();
      }
    }
    return [
      t.id,
      formatLatency(t.duration),
      t.name,
      request,
      t.http?.status === undefined ? '-' : String(t.http.status),
      flags,
    ];
  });
  return [
    `Slowest ${slowest.length} traces`,
    table([['trace id', 'duration', 'root', 'request', 'status', ''], ...rows]),
  ].join('\n');
}

export interface Progress {
  elapsedSeconds: number;
  durationSeconds: number;
  sent: number;
  /** Answered with a status below 400 (the rest are the payments failures passed on, or errors). */
  ok: number;
  failed: number;
  stats: Pick<Stats, 'received' | 'rejected' | 'traces'>;
}

export function renderProgress(p: Progress): string {
  const elapsed = Math.min(p.elapsedSeconds, p.durationSeconds)
    .toFixed(0)
    .padStart(String(Math.ceil(p.durationSeconds)).length);
  return (
    `  ${elapsed}/${Math.ceil(p.durationSeconds)} s  requests sent ${p.sent} (ok ${p.ok}, failed ${p.failed})` +
    `  documents received ${p.stats.received}  rejected ${p.stats.rejected}  traces ${p.stats.traces}`
  );
}

/** Message for a default port another process holds, naming the flag that chooses another. */
export function busyPortMessage(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (!e || e.code !== 'EADDRINUSE') return undefined;
  const where = e.port !== undefined ? `port ${e.port}` : 'a port';
  return (
    `${where} is already in use (another X-Ray daemon or xray-local?). ` +
    'Choose others with --udp-port, --tcp-port, --otlp-port, --ui-port (0 = any free port).'
  );
}
