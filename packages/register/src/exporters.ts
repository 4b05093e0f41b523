// OTEL_TRACES_EXPORTER → span processors. `xray` (the default outside Lambda) sends segments over
// UDP to the X-Ray daemon; `otlp` (the default in Lambda) goes through @xray-otel/exporter-otlp:
// - in Lambda with no OTLP endpoint configured: OTLP over UDP to the Lambda daemon (as ADOT does);
// - an endpoint that is X-Ray's own OTLP endpoint (https://xray.<region>.amazonaws.com/v1/traces):
//   OTLP/HTTP signed with SigV4;
// - otherwise: the upstream OTLP exporter for the protocol, to a collector (default the local one);
// with AWSXRayAnnotationsSpanProcessor in front, so that OTEL_AWS_XRAY_INDEXED_ATTRIBUTES /
// _INDEX_ALL_ATTRIBUTES give the same annotations through a collector as through the daemon path.
// `console` prints spans; `none` exports nothing.
import { diag } from '@opentelemetry/api';
import {
  DAEMON_ADDRESS_ENV,
  OTLP_ENDPOINT_ENV,
  OTLP_TRACES_ENDPOINT_ENV,
  type OtlpProtocol,
  type RedactionRules,
} from '@xray-otel/core';
import { AWSXRayUdpSpanExporter } from '@xray-otel/exporter-udp';
import {
  DEFAULT_LAMBDA_TRACES_EXPORTERS,
  DEFAULT_TRACES_EXPORTERS,
  KNOWN_TRACES_EXPORTERS,
  LAMBDA_MAX_EXPORT_BATCH_SIZE,
  getBatchSpanProcessorOptions,
  getList,
  getOtlpProtocol,
  getOtlpTracesUrl,
  getString,
  isLambda,
  normalizeNames,
} from './env';
import type { Env } from './env';
import { LOG_PREFIX, warn } from './log';
import { loadSdkTrace } from './otel';
import type { SdkTraceModule, SpanExporter, SpanProcessor } from './otel';

/** What the X-Ray UDP exporter is given (validated beforehand, see settings.ts). */
export interface XRayExporterSettings {
  daemonAddress?: string;
  indexedAttributes?: string[];
  indexAllAttributes?: boolean;
  logGroupNames?: string[];
  /** The translator's `redact` option (resolved rules, or false). */
  redact?: RedactionRules | false;
}

/**
 * The exporter names to use: `names` if given, else OTEL_TRACES_EXPORTER, else `otlp` in Lambda
 * (OTLP over UDP to the Lambda daemon when no OTLP endpoint is set), `xray` elsewhere. Unknown names
 * are reported and skipped; when none is left, the default is used (a typo must not turn tracing
 * off without a word), and said.
 */
export function getTracesExporterNames(env: Env, names?: readonly string[]): string[] {
  const defaults = isLambda(env) ? DEFAULT_LAMBDA_TRACES_EXPORTERS : DEFAULT_TRACES_EXPORTERS;
  const list = normalizeNames(names ?? getList(env, 'OTEL_TRACES_EXPORTER') ?? defaults);
  if (list.includes('none')) {
    if (list.length > 1)
      warn('OTEL_TRACES_EXPORTER contains "none" with other names; no traces are exported.');
    return [];
  }
  const known = list.filter((name) => KNOWN_TRACES_EXPORTERS.includes(name));
  const unknown = list.filter((name) => !KNOWN_TRACES_EXPORTERS.includes(name));
  if (unknown.length === 0) return list;
  const using = known.length > 0 ? known : defaults;
  warn(
    `OTEL_TRACES_EXPORTER: ${unknown.map((name) => JSON.stringify(name)).join(', ')} unknown to ` +
      `@xray-otel/register (known: ${KNOWN_TRACES_EXPORTERS.join(', ')}, none); ` +
      `using ${using.join(',')}${known.length > 0 ? '' : ' (the default)'}.`,
  );
  return using;
}

/** What register uses of `@xray-otel/exporter-otlp` (loaded on first use of `otlp`). */
export interface ExporterOtlpModule {
  createCollectorSpanExporter(options?: { protocol?: OtlpProtocol; url?: string }): SpanExporter;
  AWSXRayAnnotationsSpanProcessor: new (options?: {
    indexedAttributes?: string[];
    indexAllAttributes?: boolean;
  }) => SpanProcessor;
  AWSXRayOtlpUdpSpanExporter: new (options?: { daemonAddress?: string }) => SpanExporter;
  AWSXRayOtlpSpanExporter: new (options?: { url?: string; region?: string }) => SpanExporter;
  isXRayOtlpEndpoint(url: string): boolean;
}

export function loadExporterOtlp(): ExporterOtlpModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@xray-otel/exporter-otlp') as ExporterOtlpModule;
}

/** Which OTLP exporter `otlp` means here (see the file comment), and where it sends. */
export type OtlpRoute =
  | { kind: 'lambda-udp'; daemonAddress?: string }
  | { kind: 'xray-sigv4'; url: string }
  | { kind: 'collector'; protocol: OtlpProtocol; url?: string };

export function getOtlpRoute(env: Env, isXRayOtlpEndpoint: (url: string) => boolean): OtlpRoute {
  const url = getOtlpTracesUrl(env);
  if (url === undefined && isLambda(env)) {
    const daemonAddress = getString(env, DAEMON_ADDRESS_ENV);
    return daemonAddress === undefined ? { kind: 'lambda-udp' } : { kind: 'lambda-udp', daemonAddress };
  }
  const protocol = getOtlpProtocol(env);
  if (url !== undefined && isXRayOtlpEndpoint(url)) {
    if (protocol !== 'http/protobuf')
      warn(
        `The X-Ray OTLP endpoint takes http/protobuf only; OTLP traces protocol ${protocol} ignored, using http/protobuf.`,
      );
    return { kind: 'xray-sigv4', url };
  }
  // gRPC takes the endpoint as is (no /v1/traces path), as the upstream exporter does.
  const collectorUrl =
    protocol === 'grpc'
      ? (getString(env, OTLP_TRACES_ENDPOINT_ENV) ?? getString(env, OTLP_ENDPOINT_ENV))
      : url;
  return collectorUrl === undefined
    ? { kind: 'collector', protocol }
    : { kind: 'collector', protocol, url: collectorUrl };
}

/** The annotation processor for the OTLP paths, or undefined when no attribute is to be indexed. */
export function createAnnotationsProcessor(
  xray: XRayExporterSettings,
  otlp: ExporterOtlpModule,
): SpanProcessor | undefined {
  const indexed = xray.indexedAttributes ?? [];
  if (indexed.length === 0 && xray.indexAllAttributes !== true) return undefined;
  return new otlp.AWSXRayAnnotationsSpanProcessor({
    indexedAttributes: indexed,
    indexAllAttributes: xray.indexAllAttributes === true,
  });
}

/** The processors for `otlp`: the annotations one (if any) first, then a batch one. */
export function createOtlpProcessors(
  xray: XRayExporterSettings,
  env: Env,
  sdkTrace: SdkTraceModule,
  otlp: ExporterOtlpModule = loadExporterOtlp(),
): SpanProcessor[] {
  const route = getOtlpRoute(
    env,
    (url) => typeof otlp.isXRayOtlpEndpoint === 'function' && otlp.isXRayOtlpEndpoint(url),
  );
  let exporter: SpanExporter;
  const batch = getBatchSpanProcessorOptions(env);
  if (route.kind === 'lambda-udp') {
    exporter = new otlp.AWSXRayOtlpUdpSpanExporter(
      route.daemonAddress === undefined ? {} : { daemonAddress: route.daemonAddress },
    );
    // As ADOT: small batches, so that one datagram stays under the 64 KB UDP limit.
    batch.maxExportBatchSize ??= LAMBDA_MAX_EXPORT_BATCH_SIZE;
  } else if (route.kind === 'xray-sigv4') {
    exporter = new otlp.AWSXRayOtlpSpanExporter({ url: route.url });
  } else {
    // The URL from `env` (the same the upstream exporter would take from process.env); headers,
    // timeout, compression: the upstream exporter reads OTEL_EXPORTER_OTLP_* itself.
    exporter = otlp.createCollectorSpanExporter(
      route.url === undefined ? { protocol: route.protocol } : { protocol: route.protocol, url: route.url },
    );
  }
  diag.debug(`${LOG_PREFIX}otlp traces exporter: ${JSON.stringify(route)}`);
  const processors: SpanProcessor[] = [];
  const annotations = createAnnotationsProcessor(xray, otlp);
  if (annotations) processors.push(annotations);
  processors.push(new sdkTrace.BatchSpanProcessor({ ...batch, exporter }));
  return processors;
}

/** One span processor per exporter name; unknown names are reported and skipped. */
export function createSpanProcessors(
  names: readonly string[],
  xray: XRayExporterSettings,
  env: Env,
  sdkTrace: SdkTraceModule = loadSdkTrace(),
  otlp?: ExporterOtlpModule,
): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  const batch = getBatchSpanProcessorOptions(env);
  for (const name of names) {
    switch (name) {
      case 'xray':
        processors.push(
          new sdkTrace.BatchSpanProcessor({ ...batch, exporter: new AWSXRayUdpSpanExporter(xray) }),
        );
        break;
      case 'otlp':
        processors.push(...createOtlpProcessors(xray, env, sdkTrace, otlp));
        break;
      case 'console':
        processors.push(new sdkTrace.SimpleSpanProcessor({ exporter: new sdkTrace.ConsoleSpanExporter() }));
        break;
      default:
        // getTracesExporterNames leaves none of these; for callers that pass names themselves.
        warn(
          `OTEL_TRACES_EXPORTER value ${JSON.stringify(name)} is unknown to @xray-otel/register ` +
            `(known: ${KNOWN_TRACES_EXPORTERS.join(', ')}, none); skipped.`,
        );
    }
  }
  return processors;
}
