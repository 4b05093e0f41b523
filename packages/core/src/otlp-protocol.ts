/**
 * The OTLP traces protocol, decided in one place for the collector exporter and `register`: the
 * option, else `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else
 * `http/protobuf` (the OpenTelemetry exporter specification's default, and ADOT's).
 */
import { diag } from '@opentelemetry/api';
import { OTLP_PROTOCOL_ENV, OTLP_TRACES_PROTOCOL_ENV } from './env';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

export const DEFAULT_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';

/**
 * The first of the option, `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` and `OTEL_EXPORTER_OTLP_PROTOCOL`
 * that is set and not blank, trimmed and lower-cased. An unknown value is said through `warn` (once
 * per call: the caller resolves once) and replaced by `http/protobuf`, as the SDK and ADOT do; it
 * does not fall through to the next source, which the user did not choose.
 */
export function resolveOtlpProtocol(
  option: string | undefined,
  env: Record<string, string | undefined> = process.env,
  warn: (message: string) => void = (message) => diag.warn(message),
): OtlpProtocol {
  const candidates: [string | undefined, string][] = [
    [option, 'the protocol option'],
    [env[OTLP_TRACES_PROTOCOL_ENV], OTLP_TRACES_PROTOCOL_ENV],
    [env[OTLP_PROTOCOL_ENV], OTLP_PROTOCOL_ENV],
  ];
  for (const [value, source] of candidates) {
    if (value === undefined || value.trim() === '') continue;
    const protocol = value.trim().toLowerCase();
    if ((OTLP_PROTOCOLS as readonly string[]).includes(protocol)) return protocol as OtlpProtocol;
    warn(
      `Unsupported OTLP traces protocol ${JSON.stringify(value)} in ${source} ` +
        `(known: ${OTLP_PROTOCOLS.join(', ')}); using ${DEFAULT_OTLP_PROTOCOL}.`,
    );
    return DEFAULT_OTLP_PROTOCOL;
  }
  return DEFAULT_OTLP_PROTOCOL;
}
