/**
 * OTLP to a collector (ADOT collector, CloudWatch agent, OpenTelemetry Collector with the `awsxray`
 * exporter): the upstream OTLP exporter, chosen and configured the way ADOT JS and the SDK's own env
 * handling do (ecosystem.md §3.2, §3.3), wrapped so that failed exports are counted and reported
 * through `diag` (rate-limited) instead of being lost in a callback.
 *
 * What is read, in one place ({@link resolveCollectorProtocol}):
 *  - protocol: the `protocol` option, else `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else
 *    `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf` (ADOT's default);
 *  - everything else (endpoint, headers, timeout, compression, TLS) is read by the upstream exporter
 *    itself: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is), else `OTEL_EXPORTER_OTLP_ENDPOINT`
 *    (+ `/v1/traces` for HTTP), else `http://localhost:4318/v1/traces` (HTTP) or
 *    `http://localhost:4317` (gRPC); `OTEL_EXPORTER_OTLP[_TRACES]_HEADERS`, `_TIMEOUT` (10 s),
 *    `_COMPRESSION`. An option given here wins over its variable.
 */
import { diag } from '@opentelemetry/api';
import {
  RateLimitedLog,
  resolveOtlpProtocol,
  type ExportResult,
  type OtlpProtocol,
  type SpanExporterLike as CoreSpanExporterLike,
} from '@xray-otel/core';
import type { ReadableSpanLike } from '@xray-otel/translator';
import { ExportTally, increment, type CollectorExporterCounters } from './counters';

// The protocol rule and its names live in @xray-otel/core; re-exported for existing imports.
export {
  DEFAULT_OTLP_PROTOCOL,
  OTLP_PROTOCOL_ENV,
  OTLP_TRACES_PROTOCOL_ENV,
  type OtlpProtocol,
} from '@xray-otel/core';

type SpanExporterLike = CoreSpanExporterLike<ReadableSpanLike>;

const LOG_PREFIX = '@xray-otel/exporter-otlp: ';

/** Options of {@link createCollectorSpanExporter}. Each falls back to the upstream exporter's env variable. */
export interface CollectorSpanExporterOptions {
  /** `http/protobuf` (default), `http/json` or `grpc`. */
  protocol?: OtlpProtocol;
  /** The collector's traces URL, e.g. `http://collector:4318/v1/traces` or `http://collector:4317` (gRPC). */
  url?: string;
  /** HTTP headers (HTTP protocols only; for gRPC pass `exporterConfig.metadata`). */
  headers?: Record<string, string>;
  /** Per-export timeout in milliseconds, retries included (upstream default 10,000). */
  timeoutMillis?: number;
  /** `gzip` or `none`. */
  compression?: 'gzip' | 'none';
  /** Anything else the upstream `OTLPTraceExporter` constructor takes, passed as is. */
  exporterConfig?: Record<string, unknown>;
}

/**
 * The protocol to use: the option, else `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else
 * `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf` (`resolveOtlpProtocol` of @xray-otel/core). An
 * unknown value is reported through `diag` and replaced by `http/protobuf`, as ADOT and the SDK do.
 */
export function resolveCollectorProtocol(
  option?: string,
  env: NodeJS.ProcessEnv = process.env,
): OtlpProtocol {
  return resolveOtlpProtocol(option, env, (message) => diag.warn(LOG_PREFIX + message));
}

type UpstreamExporterClass = new (config?: Record<string, unknown>) => SpanExporterLike;

const UPSTREAM_PACKAGES: Record<OtlpProtocol, string> = {
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
};

/**
 * The upstream exporter class for `protocol`, loaded only when used (http/json and grpc are optional
 * peers). Throws, saying which package to install, when it is missing or has no `OTLPTraceExporter`.
 * `load` is Node's `require` (a parameter so that tests can give a missing or foreign module).
 */
export function loadUpstream(
  protocol: OtlpProtocol,
  load: (name: string) => unknown = require,
): UpstreamExporterClass {
  const name = UPSTREAM_PACKAGES[protocol];
  let module: { OTLPTraceExporter?: UpstreamExporterClass } | undefined;
  try {
    module = load(name) as { OTLPTraceExporter?: UpstreamExporterClass } | undefined;
  } catch (error) {
    throw new Error(
      `${LOG_PREFIX}OTLP protocol ${protocol} needs the package ${name} (npm install ${name}): ${(error as Error).message}`,
    );
  }
  if (typeof module?.OTLPTraceExporter !== 'function')
    throw new Error(`${LOG_PREFIX}${name} has no OTLPTraceExporter (an unsupported version?)`);
  return module.OTLPTraceExporter;
}

/** Why an export failed, as a short counter key. */
export function failureReason(protocol: OtlpProtocol, error: unknown): string {
  if (error === undefined || error === null) return 'unknown';
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'number') return (protocol === 'grpc' ? 'grpc-' : 'http-') + code;
  if (typeof code === 'string' && code !== '') return code;
  if (typeof message === 'string' && /timed? ?out|deadline/i.test(message)) return 'timeout';
  return typeof name === 'string' && name !== '' && name !== 'Error' ? name : 'unknown';
}

/**
 * The upstream OTLP exporter for the chosen protocol, wrapped: it counts spans exported and failed,
 * logs failures through `diag` at most once per reason every 10 s, and never throws (`export()`
 * always calls back; `forceFlush()`/`shutdown()` always resolve).
 */
export class AWSXRayCollectorSpanExporter implements SpanExporterLike {
  readonly protocol: OtlpProtocol;
  /** The upstream `OTLPTraceExporter`. */
  readonly delegate: SpanExporterLike;
  private readonly log = new RateLimitedLog();
  private readonly tally = new ExportTally((error) => failureReason(this.protocol, error), LOG_PREFIX);
  private readonly exportFailures: Record<string, number> = {};

  /** Throws when the upstream package of the chosen protocol is not installed. */
  constructor(options: CollectorSpanExporterOptions = {}) {
    this.protocol = resolveCollectorProtocol(options.protocol);
    const config: Record<string, unknown> = { ...options.exporterConfig };
    if (options.url !== undefined) config.url = options.url;
    if (options.headers !== undefined) config.headers = options.headers;
    if (options.timeoutMillis !== undefined) config.timeoutMillis = options.timeoutMillis;
    if (options.compression !== undefined) config.compression = options.compression;
    this.delegate = new (loadUpstream(this.protocol))(config);
  }

  get counters(): CollectorExporterCounters {
    return { ...this.tally.snapshot(), exportFailures: { ...this.exportFailures } };
  }

  export(spans: ReadableSpanLike[], resultCallback: (result: ExportResult) => void): void {
    this.tally.run(
      spans.length,
      resultCallback,
      (done) => this.delegate.export(spans, done),
      (n, reason, error) => this.failed(n, reason, error),
    );
  }

  forceFlush(): Promise<void> {
    return this.settle('forceFlush', () => this.delegate.forceFlush?.());
  }

  shutdown(): Promise<void> {
    return this.settle('shutdown', () => this.delegate.shutdown());
  }

  private failed(spans: number, reason: string, error: Error | undefined): void {
    increment(this.exportFailures, reason);
    this.log.log(
      'export:' + reason,
      `${LOG_PREFIX}${spans} span(s) could not be exported over OTLP ${this.protocol} (${reason}): ${error?.message ?? 'no error given'}`,
    );
  }

  private async settle(what: string, call: () => Promise<void> | undefined): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.log.log(
        what,
        `${LOG_PREFIX}${what}() of the upstream OTLP exporter failed: ${(error as Error)?.message}`,
      );
    }
  }
}

/** `new AWSXRayCollectorSpanExporter(options)`. */
export function createCollectorSpanExporter(
  options?: CollectorSpanExporterOptions,
): AWSXRayCollectorSpanExporter {
  return new AWSXRayCollectorSpanExporter(options);
}
