// OTEL_TRACES_EXPORTER → span processors. `xray` (the default) sends segments over UDP to the X-Ray
// daemon; `otlp` uses the OTLP exporter of sdk-node's own line (it reads OTEL_EXPORTER_OTLP_* itself);
// `console` prints spans; `none` exports nothing.
import { diag } from '@opentelemetry/api';
import { AWSXRayUdpSpanExporter } from '@xray-otel/exporter-udp';
import {
  DEFAULT_TRACES_EXPORTERS,
  KNOWN_TRACES_EXPORTERS,
  getBatchSpanProcessorOptions,
  getList,
  getOtlpProtocol,
  normalizeNames,
} from './env';
import type { Env } from './env';
import { loadSdkTrace, requireFromSdkNode } from './otel';
import type { SdkTraceModule, SpanExporter, SpanProcessor } from './otel';

/** What the X-Ray UDP exporter is given (validated beforehand, see settings.ts). */
export interface XRayExporterSettings {
  daemonAddress?: string;
  indexedAttributes?: string[];
  indexAllAttributes?: boolean;
  logGroupNames?: string[];
}

/** The exporter names to use: `names` if given, else OTEL_TRACES_EXPORTER, else `xray`. */
export function getTracesExporterNames(env: Env, names?: readonly string[]): string[] {
  const list = normalizeNames(names ?? getList(env, 'OTEL_TRACES_EXPORTER') ?? DEFAULT_TRACES_EXPORTERS);
  if (list.includes('none')) {
    if (list.length > 1)
      diag.warn('OTEL_TRACES_EXPORTER contains "none" with other names; no traces are exported.');
    return [];
  }
  return list;
}

const OTLP_PACKAGES: Record<string, string> = {
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
};

/** The OTLP trace exporter for the configured protocol, from sdk-node's own dependencies. */
export function createOtlpExporter(env: Env, load = requireFromSdkNode): SpanExporter {
  const { OTLPTraceExporter } = load(OTLP_PACKAGES[getOtlpProtocol(env)]) as {
    OTLPTraceExporter: new () => SpanExporter;
  };
  return new OTLPTraceExporter();
}

/** One span processor per exporter name; unknown names are reported and skipped. */
export function createSpanProcessors(
  names: readonly string[],
  xray: XRayExporterSettings,
  env: Env,
  sdkTrace: SdkTraceModule = loadSdkTrace(),
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
        processors.push(new sdkTrace.BatchSpanProcessor({ ...batch, exporter: createOtlpExporter(env) }));
        break;
      case 'console':
        processors.push(new sdkTrace.SimpleSpanProcessor({ exporter: new sdkTrace.ConsoleSpanExporter() }));
        break;
      default:
        diag.warn(
          `OTEL_TRACES_EXPORTER value ${JSON.stringify(name)} is unknown to @xray-otel/register ` +
            `(known: ${KNOWN_TRACES_EXPORTERS.join(', ')}, none); skipped.`,
        );
    }
  }
  return processors;
}
