/**
 * `AWSXRayOtlpSpanExporter`: OTLP/HTTP protobuf straight to X-Ray's OTLP endpoint, signed with
 * SigV4 (service `xray`), without a collector.
 *
 * Built from upstream's public parts: `ProtobufTraceSerializer` (encoding), and
 * `createOtlpNetworkExportDelegate` (the concurrency limit, timeout and result handling that
 * `OTLPTraceExporter` uses), with a signing transport ({@link SigV4HttpTransport}) in place of
 * upstream's HTTP transport, because only the transport sees the body that SigV4 must hash.
 */
import { diag } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/api';
import {
  ExporterMetrics,
  OTLPExporterError,
  createOtlpNetworkExportDelegate,
} from '@opentelemetry/otlp-exporter-base';
import type { IOtlpExportDelegate } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer, TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import { ExportResultCode, type ExportResult } from '@xray-otel/core';
import { failureReason } from './collector';
import { ExportTally, type AWSXRayOtlpSpanExporterCounters } from './counters';
import { SigV4HttpTransport } from './sigv4';
import type { AwsCredentialProvider, AwsCredentials } from './sigv4';
import {
  XRAY_SIGNING_SERVICE,
  isXRayOtlpEndpoint,
  regionFromXRayEndpoint,
  xrayOtlpEndpoint,
} from './xray-endpoint';

/** The spans `SpanExporter.export` receives (`ReadableSpan[]`), named without importing the SDK. */
type SpanBatch = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0];

const { FAILED } = ExportResultCode;

/** Options: the upstream OTLP/HTTP exporter's, plus `region` and `credentials`. */
export interface AWSXRayOtlpSpanExporterOptions {
  /**
   * Where to send. Default: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` when it is an X-Ray OTLP endpoint,
   * else `https://xray.<region>.amazonaws.com/v1/traces` (`.amazonaws.com.cn` in China). Any other
   * URL (a VPC endpoint, a proxy) is signed for its own host with `region`.
   */
  url?: string;
  /**
   * The signing region. Default: the region in the X-Ray host of `url`, else `AWS_REGION`, else
   * `AWS_DEFAULT_REGION`. The constructor throws when none is found.
   */
  region?: string;
  /**
   * Credentials or a provider of them. Default: `defaultProvider()` of
   * `@aws-sdk/credential-provider-node` (env, SSO, `~/.aws` profiles, web identity, ECS, IMDS),
   * called at the first export and again when the credentials are about to expire.
   */
  credentials?: AwsCredentials | AwsCredentialProvider;
  /** Extra headers (signed), or an async factory of them. Default: `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, `OTEL_EXPORTER_OTLP_HEADERS`. */
  headers?: Record<string, string> | (() => Promise<Record<string, string>>);
  /** Per-export time limit, retries included. Default: `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, `OTEL_EXPORTER_OTLP_TIMEOUT`, 10000. */
  timeoutMillis?: number;
  /** `gzip` or `none`. Default: `OTEL_EXPORTER_OTLP_TRACES_COMPRESSION`, `OTEL_EXPORTER_OTLP_COMPRESSION`, `none`. */
  compression?: 'gzip' | 'none';
  /** Maximum exports in flight. Default 30 (upstream's). */
  concurrencyLimit?: number;
  /** Attempts per export (first one included) on 429/502/503/504 and network errors. Default 3. */
  maxAttempts?: number;
  /** Meter provider for upstream's `otel.sdk.exporter.*` self-metrics. */
  selfObsMeterProvider?: MeterProvider;
}

const DEFAULT_TIMEOUT_MILLIS = 10_000;
const DEFAULT_CONCURRENCY_LIMIT = 30;

function envString(...names: string[]): string | undefined {
  for (const name of names) {
    const value = process.env[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function envPositiveNumber(...names: string[]): number | undefined {
  const raw = envString(...names);
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** `OTEL_EXPORTER_OTLP_HEADERS` syntax: `k1=v1,k2=v2`, values URL-encoded. */
function parseEnvHeaders(raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (raw === undefined) return headers;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      headers[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      diag.warn(`AWSXRayOtlpSpanExporter: ignoring a malformed OTEL_EXPORTER_OTLP_HEADERS entry`);
    }
  }
  return headers;
}

/** The lazily loaded default credential chain. */
function defaultCredentialProvider(): AwsCredentialProvider {
  let provider: AwsCredentialProvider | undefined;
  return async () => {
    if (provider === undefined) {
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      provider = defaultProvider();
    }
    return provider();
  };
}

/** Every option resolved against its environment variable and default, in one place. */
function resolveXRayOtlpOptions(options: AWSXRayOtlpSpanExporterOptions = {}): {
  url: string;
  region: string;
  timeoutMillis: number;
  compression: 'gzip' | 'none';
  concurrencyLimit: number;
  headers: () => Promise<Record<string, string>>;
  credentials: AwsCredentialProvider;
} {
  const envUrl = envString('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const givenUrl = options.url ?? (envUrl !== undefined && isXRayOtlpEndpoint(envUrl) ? envUrl : undefined);
  const urlRegion = givenUrl === undefined ? undefined : regionFromXRayEndpoint(givenUrl);
  const region = options.region ?? urlRegion ?? envString('AWS_REGION', 'AWS_DEFAULT_REGION');
  if (region === undefined) {
    throw new Error(
      'AWSXRayOtlpSpanExporter: no AWS region. Pass `region`, use an X-Ray endpoint URL ' +
        '(https://xray.<region>.amazonaws.com/v1/traces), or set AWS_REGION.',
    );
  }
  if (urlRegion !== undefined && urlRegion !== region) {
    diag.warn(
      `AWSXRayOtlpSpanExporter: signing for ${region} but the endpoint is in ${urlRegion}; X-Ray will reject it`,
    );
  }
  const url = givenUrl ?? xrayOtlpEndpoint(region);
  if (givenUrl !== undefined && !isXRayOtlpEndpoint(givenUrl)) {
    diag.debug(
      `AWSXRayOtlpSpanExporter: ${givenUrl} is not an X-Ray host; signing for it with region ${region}`,
    );
  }

  const compressionRaw =
    options.compression ??
    envString('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION');
  const compression = compressionRaw === 'gzip' ? 'gzip' : 'none';

  const envHeaders = parseEnvHeaders(
    envString('OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'),
  );
  const given = options.headers;
  const headers =
    typeof given === 'function'
      ? async () => ({ ...envHeaders, ...(await given()) })
      : (() => {
          const merged = { ...envHeaders, ...given };
          return () => Promise.resolve(merged);
        })();

  const credentials = options.credentials;
  const provider: AwsCredentialProvider =
    credentials === undefined
      ? defaultCredentialProvider()
      : typeof credentials === 'function'
        ? credentials
        : () => Promise.resolve(credentials);

  return {
    url,
    region,
    timeoutMillis:
      options.timeoutMillis ??
      envPositiveNumber('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT') ??
      DEFAULT_TIMEOUT_MILLIS,
    compression,
    concurrencyLimit: options.concurrencyLimit ?? DEFAULT_CONCURRENCY_LIMIT,
    headers,
    credentials: provider,
  };
}

/**
 * A `SpanExporter` that sends OTLP/HTTP protobuf to X-Ray's OTLP endpoint, SigV4-signed.
 * Failures (credentials, signing, HTTP) make the export FAILED with a `diag` message that never
 * contains the secret key or session token; `export` never throws.
 */
export class AWSXRayOtlpSpanExporter {
  /** The URL spans are sent to. */
  readonly url: string;
  /** The signing region. */
  readonly region: string;
  private readonly _transport: SigV4HttpTransport;
  private readonly _delegate: IOtlpExportDelegate<SpanBatch>;
  private readonly _tally = new ExportTally(
    (error) => failureReason('http/protobuf', error),
    'AWSXRayOtlpSpanExporter: ',
  );
  private _isShutdown = false;

  constructor(options: AWSXRayOtlpSpanExporterOptions = {}) {
    const resolved = resolveXRayOtlpOptions(options);
    this.url = resolved.url;
    this.region = resolved.region;
    this._transport = new SigV4HttpTransport({
      url: new URL(resolved.url),
      region: resolved.region,
      service: XRAY_SIGNING_SERVICE,
      credentials: resolved.credentials,
      headers: resolved.headers,
      compression: resolved.compression,
      maxAttempts: options.maxAttempts,
    });
    const metrics = new ExporterMetrics<SpanBatch>({
      componentType: 'otlp_http_span_exporter',
      metricsHelper: TraceExporterMetricsHelper,
      url: resolved.url,
      meterProvider: options.selfObsMeterProvider,
      responseAttributesFromError: (error) =>
        error instanceof OTLPExporterError && error.code !== undefined
          ? { 'http.response.status_code': error.code }
          : {},
    });
    this._delegate = createOtlpNetworkExportDelegate(
      {
        timeoutMillis: resolved.timeoutMillis,
        concurrencyLimit: resolved.concurrencyLimit,
        compression: 'none', // the transport compresses, so that it signs the compressed bytes
      },
      ProtobufTraceSerializer,
      metrics,
      this._transport,
    );
  }

  export(spans: SpanBatch, resultCallback: (result: ExportResult) => void): void {
    const isShutdown = this._isShutdown;
    this._tally.run(
      spans.length,
      resultCallback,
      (done) => {
        if (!isShutdown) {
          this._delegate.export(spans, done);
          return;
        }
        const error = new Error('AWSXRayOtlpSpanExporter is shut down');
        error.name = 'shutdown';
        process.nextTick(() => done({ code: FAILED, error }));
      },
      // No line here: the transport says why, with secrets redacted, and the result carries it.
    );
  }

  forceFlush(): Promise<void> {
    return this._delegate.forceFlush();
  }

  shutdown(): Promise<void> {
    if (this._isShutdown) return Promise.resolve();
    this._isShutdown = true;
    return this._delegate.shutdown();
  }

  /** A snapshot of the exporter's counters: the fields every exporter has, and the transport's. */
  get counters(): AWSXRayOtlpSpanExporterCounters {
    const t = this._transport.counters;
    return {
      ...this._tally.snapshot(),
      requests: t.requests,
      retries: t.retries,
      signingFailures: t.signingFailures,
      networkErrors: t.networkErrors,
      httpStatus: { ...t.httpStatus },
    };
  }
}
