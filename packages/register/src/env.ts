// Environment variables → settings. Pure functions of an env object: every variable, its default
// and what a bad value does is decided here and nowhere else (README "Environment variables").
import {
  DEFAULT_OTLP_PROTOCOL,
  OTLP_ENDPOINT_ENV,
  OTLP_PROTOCOLS,
  OTLP_TRACES_ENDPOINT_ENV,
  resolveOtlpProtocol,
  type OtlpProtocol,
} from '@xray-otel/core';
import { warn } from './log';

export type Env = Record<string, string | undefined>;

/** Default `OTEL_PROPAGATORS`: X-Ray first, then W3C, so both kinds of caller are understood. */
export const DEFAULT_PROPAGATORS = ['xray', 'tracecontext', 'baggage'];
/** Default `OTEL_PROPAGATORS` in Lambda: the invocation's trace header first (`_X_AMZN_TRACE_ID`). */
export const DEFAULT_LAMBDA_PROPAGATORS = ['xray-lambda', 'tracecontext', 'baggage'];
/** Default `OTEL_TRACES_EXPORTER`: UDP to the X-Ray daemon. */
export const DEFAULT_TRACES_EXPORTERS = ['xray'];
/** Default `OTEL_TRACES_EXPORTER` in Lambda: OTLP (over UDP to the Lambda daemon unless an endpoint is set). */
export const DEFAULT_LAMBDA_TRACES_EXPORTERS = ['otlp'];
/** OTLP over UDP in Lambda: spans per datagram (as ADOT), unless OTEL_BSP_MAX_EXPORT_BATCH_SIZE says. */
export const LAMBDA_MAX_EXPORT_BATCH_SIZE = 10;
/** Default `OTEL_TRACES_SAMPLER`, as NodeSDK; built with AWSXRayParentBasedSampler (`Sampled=?`). */
export const DEFAULT_SAMPLER = 'parentbased_always_on';
/** Default `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, as NodeSDK (the rule lives in @xray-otel/core). */
export { DEFAULT_OTLP_PROTOCOL };

export const KNOWN_PROPAGATORS = ['xray', 'xray-lambda', 'tracecontext', 'baggage'];
export const KNOWN_TRACES_EXPORTERS = ['xray', 'otlp', 'console'];
export const KNOWN_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'xray',
  'parentbased_xray',
];
export const KNOWN_OTLP_PROTOCOLS: readonly string[] = OTLP_PROTOCOLS;

/** Trimmed, or undefined when unset or blank (OTel: empty means unset). */
export function getString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Comma-separated list, entries trimmed, empty entries dropped; undefined when unset or blank. */
export function getList(env: Env, name: string): string[] | undefined {
  const value = getString(env, name);
  if (value === undefined) return undefined;
  const list = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  return list.length > 0 ? list : undefined;
}

/**
 * `true` / `false` (any case); anything else is reported, saying `fallback` (what is used instead),
 * and gives `undefined`.
 */
export function getBoolean(env: Env, name: string, fallback = 'the default'): boolean | undefined {
  const value = getString(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  warn(`${name}=${JSON.stringify(env[name])} is not "true" or "false"; using ${fallback}.`);
  return undefined;
}

/**
 * An integer >= 0 (or > 0 with `positive`); anything else is reported, saying `fallback` (what is
 * used instead), and gives `undefined`.
 */
export function getInteger(
  env: Env,
  name: string,
  positive = false,
  fallback = 'the default',
): number | undefined {
  const value = getString(env, name);
  if (value === undefined) return undefined;
  const number = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || (positive && number === 0)) {
    warn(
      `${name}=${JSON.stringify(value)} is not ${positive ? 'a positive' : 'a non-negative'} integer; ` +
        `using ${fallback}.`,
    );
    return undefined;
  }
  return number;
}

/** Lower-cased, de-duplicated names in first-seen order. */
export function normalizeNames(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => name.trim().toLowerCase()).filter((name) => name.length > 0))];
}

/**
 * `OTEL_SDK_DISABLED=true` (any case): nothing is started and nothing is patched. Any other value
 * means false (the specification's rule); NodeSDK says so when it is not `false` either.
 */
export function isSdkDisabled(env: Env): boolean {
  return getString(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
}

/** True inside AWS Lambda (the runtime always sets these). */
export function isLambda(env: Env): boolean {
  return (
    getString(env, 'AWS_LAMBDA_FUNCTION_NAME') !== undefined ||
    getString(env, 'LAMBDA_TASK_ROOT') !== undefined
  );
}

/** True on ECS (the agent sets the task metadata endpoint for every container). */
export function isEcs(env: Env): boolean {
  return (
    getString(env, 'ECS_CONTAINER_METADATA_URI_V4') !== undefined ||
    getString(env, 'ECS_CONTAINER_METADATA_URI') !== undefined
  );
}

/** True on Kubernetes (every pod gets the API server's address). */
export function isKubernetes(env: Env): boolean {
  return getString(env, 'KUBERNETES_SERVICE_HOST') !== undefined;
}

/** `OTEL_TRACES_SAMPLER` and its argument, validated. */
export interface SamplerSetting {
  name: string;
  /** For the traceidratio samplers: OTEL_TRACES_SAMPLER_ARG in [0, 1], default 1. */
  ratio: number;
  /** For the xray samplers: OTEL_TRACES_SAMPLER_ARG as is (`endpoint=…,polling_interval=…,rules_file=…`). */
  arg?: string;
}

export function getSamplerSetting(env: Env): SamplerSetting {
  let name = getString(env, 'OTEL_TRACES_SAMPLER')?.toLowerCase() ?? DEFAULT_SAMPLER;
  if (!KNOWN_SAMPLERS.includes(name)) {
    warn(
      `OTEL_TRACES_SAMPLER=${JSON.stringify(name)} is not one of ${KNOWN_SAMPLERS.join(', ')}; ` +
        `using ${DEFAULT_SAMPLER}.`,
    );
    name = DEFAULT_SAMPLER;
  }
  let ratio = 1;
  const arg = getString(env, 'OTEL_TRACES_SAMPLER_ARG');
  if (name.endsWith('traceidratio') && arg !== undefined) {
    const parsed = Number(arg);
    if (Number.isFinite(parsed) && parsed >= 0 && parsed <= 1) ratio = parsed;
    else warn(`OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(arg)} is not a ratio in [0, 1]; using 1.`);
  }
  if (name.endsWith('xray')) return arg === undefined ? { name, ratio } : { name, ratio, arg };
  return { name, ratio };
}

/** `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL`, default http/protobuf. */
export function getOtlpProtocol(env: Env): OtlpProtocol {
  return resolveOtlpProtocol(undefined, env, warn);
}

/**
 * The OTLP traces URL configured: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else
 * OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces` (the OTLP/HTTP rule); undefined when neither is set.
 */
export function getOtlpTracesUrl(env: Env): string | undefined {
  const traces = getString(env, OTLP_TRACES_ENDPOINT_ENV);
  if (traces !== undefined) return traces;
  const base = getString(env, OTLP_ENDPOINT_ENV);
  if (base === undefined) return undefined;
  return base.replace(/\/+$/, '') + '/v1/traces';
}

/** The four `OTEL_BSP_*` variables (the 3.x trace SDK no longer reads them itself). */
export function getBatchSpanProcessorOptions(env: Env): {
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
} {
  // The defaults are the SDK's (README); the Lambda batch size is set in exporters.ts.
  const options = {
    maxQueueSize: getInteger(env, 'OTEL_BSP_MAX_QUEUE_SIZE', true, 'the default (2048)'),
    maxExportBatchSize: getInteger(
      env,
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
      true,
      'the default (512; 10 for OTLP over UDP in Lambda)',
    ),
    scheduledDelayMillis: getInteger(env, 'OTEL_BSP_SCHEDULE_DELAY', false, 'the default (5000 ms)'),
    exportTimeoutMillis: getInteger(env, 'OTEL_BSP_EXPORT_TIMEOUT', false, 'the default (30000 ms)'),
  };
  for (const key of Object.keys(options) as (keyof typeof options)[]) {
    if (options[key] === undefined) delete options[key];
  }
  return options;
}
