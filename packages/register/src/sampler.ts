// OTEL_TRACES_SAMPLER with NodeSDK's meaning, except that the parent-based samplers are
// AWSXRayParentBasedSampler: a remote parent whose X-Amzn-Trace-Id says `Sampled=?` (or nothing)
// is decided by the root sampler, as the X-Ray SDKs do, instead of being dropped.
// `xray` / `parentbased_xray` use X-Ray sampling rules (@xray-otel/sampler): centralized rules
// through the daemon's TCP proxy, or in Lambda the local rules only (Lambda samples upstream).
import type { Attributes } from '@opentelemetry/api';
import { AWSXRayParentBasedSampler } from '@xray-otel/propagator';
import {
  DAEMON_ADDRESS_ENV,
  DEFAULT_DAEMON_ADDRESS,
  parseDaemonAddress,
  samplingEndpoint,
  type DaemonAddress,
} from '@xray-otel/core';
import { getSamplerSetting, getString, isLambda } from './env';
import type { Env, SamplerSetting } from './env';
import { warn } from './log';
import { loadSdkTrace } from './otel';
import type { Sampler, SdkTraceModule, SpanProcessor } from './otel';

/** Options of @xray-otel/sampler's AWSXRayRemoteSampler that register sets. */
export interface XRayRemoteSamplerOptions {
  resource?: { attributes: Attributes };
  endpoint?: string;
  /** Seconds between GetSamplingRules calls. */
  pollingInterval?: number;
  rulesFile?: string;
}

/** What we use of `@xray-otel/sampler`. */
export interface XRaySamplerModule {
  AWSXRayRemoteSampler: new (options: XRayRemoteSamplerOptions) => Sampler & { shutdown(): Promise<void> };
  AWSXRayLocalSampler: new (options?: { rulesFile?: string }) => Sampler;
  parseSamplerArgument(arg: string | undefined): Partial<XRayRemoteSamplerOptions>;
}

/** Loaded on first use: only `xray` / `parentbased_xray` need it. */
export function loadXRaySampler(): XRaySamplerModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@xray-otel/sampler') as XRaySamplerModule;
}

export interface SamplerFactoryOptions {
  /** For the xray samplers: Lambda detection, AWS_XRAY_DAEMON_ADDRESS, the resource. Default {}. */
  env?: Env;
  /** Daemon address that overrides AWS_XRAY_DAEMON_ADDRESS (xrayNodeSDKConfig's `daemonAddress`). */
  daemonAddress?: string;
  xraySampler?: () => XRaySamplerModule;
}

/** A sampler and, when it holds timers or sockets, how to stop them. */
export interface CreatedSampler {
  sampler: Sampler;
  shutdown?: () => Promise<void>;
}

/**
 * The X-Ray sampling proxy's URL: the TCP part of the daemon address (`host:port` or
 * `tcp:host:port udp:host:port`). An invalid address is reported and the default is used.
 */
export function getSamplingEndpoint(env: Env, daemonAddress?: string): string {
  const value = daemonAddress ?? getString(env, DAEMON_ADDRESS_ENV) ?? DEFAULT_DAEMON_ADDRESS;
  let address: DaemonAddress;
  try {
    address = parseDaemonAddress(value);
  } catch (error) {
    warn(`X-Ray sampler: ${(error as Error).message}; sampling rules come from ${DEFAULT_DAEMON_ADDRESS}.`);
    address = parseDaemonAddress(DEFAULT_DAEMON_ADDRESS);
  }
  return samplingEndpoint(address);
}

/**
 * The resource the X-Ray rules are matched against (ServiceName, ServiceType), from the
 * environment: OTEL_RESOURCE_ATTRIBUTES (`key=value,…`, values percent-decoded) and
 * OTEL_SERVICE_NAME (wins for service.name). The SDK's detected resource is not known yet when the
 * sampler is made, so cloud.platform (ServiceType) must come from OTEL_RESOURCE_ATTRIBUTES.
 */
export function getEnvResource(env: Env): { attributes: Attributes } {
  const attributes: Attributes = {};
  for (const pair of (getString(env, 'OTEL_RESOURCE_ATTRIBUTES') ?? '').split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const key = pair.slice(0, equals).trim();
    let value = pair.slice(equals + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not percent-encoded after all: keep it as written.
    }
    if (key) attributes[key] = value;
  }
  const serviceName = getString(env, 'OTEL_SERVICE_NAME');
  if (serviceName !== undefined) attributes['service.name'] = serviceName;
  return { attributes };
}

function createXRayRoot(setting: SamplerSetting, options: SamplerFactoryOptions): CreatedSampler {
  const env = options.env ?? {};
  const xray = (options.xraySampler ?? loadXRaySampler)();
  const fromArg = xray.parseSamplerArgument(setting.arg);
  if (isLambda(env)) {
    // Lambda decides upstream (the invocation's header carries Sampled=0/1): no rule polling.
    return {
      sampler: new xray.AWSXRayLocalSampler(
        fromArg.rulesFile !== undefined ? { rulesFile: fromArg.rulesFile } : {},
      ),
    };
  }
  const remoteOptions: XRayRemoteSamplerOptions = {
    resource: getEnvResource(env),
    endpoint: getSamplingEndpoint(env, options.daemonAddress),
  };
  for (const [key, value] of Object.entries(fromArg)) {
    if (value !== undefined) (remoteOptions as Record<string, unknown>)[key] = value;
  }
  const sampler = new xray.AWSXRayRemoteSampler(remoteOptions);
  return { sampler, shutdown: () => sampler.shutdown() };
}

/** The sampler for `setting`, and its shutdown for the X-Ray remote sampler. */
export function buildSampler(
  setting: SamplerSetting,
  sdkTrace?: SdkTraceModule,
  options: SamplerFactoryOptions = {},
): CreatedSampler {
  const base = setting.name.replace(/^parentbased_/, '');
  let root: CreatedSampler;
  if (base === 'xray') {
    root = createXRayRoot(setting, options);
  } else {
    const trace = sdkTrace ?? loadSdkTrace();
    root = {
      sampler:
        base === 'always_off'
          ? new trace.AlwaysOffSampler()
          : base === 'traceidratio'
            ? new trace.TraceIdRatioBasedSampler(setting.ratio)
            : new trace.AlwaysOnSampler(),
    };
  }
  if (!setting.name.startsWith('parentbased_')) return root;
  return { ...root, sampler: new AWSXRayParentBasedSampler({ root: root.sampler }) };
}

export function createSampler(
  setting: SamplerSetting,
  sdkTrace?: SdkTraceModule,
  options?: SamplerFactoryOptions,
): Sampler {
  return buildSampler(setting, sdkTrace, options).sampler;
}

export function buildSamplerFromEnv(
  env: Env,
  sdkTrace?: SdkTraceModule,
  options: Omit<SamplerFactoryOptions, 'env'> = {},
): CreatedSampler {
  return buildSampler(getSamplerSetting(env), sdkTrace, { ...options, env });
}

export function createSamplerFromEnv(
  env: Env,
  sdkTrace?: SdkTraceModule,
  options?: Omit<SamplerFactoryOptions, 'env'>,
): Sampler {
  return buildSamplerFromEnv(env, sdkTrace, options).sampler;
}

/**
 * A span processor that only stops the sampler when the tracer provider shuts down, so that
 * `sdk.shutdown()` (NodeSDK's, and so register's exit and signal path) also stops rule polling.
 */
export function samplerShutdownProcessor(shutdown: () => Promise<void>): SpanProcessor {
  let done: Promise<void> | undefined;
  const processor = {
    onStart(): void {},
    onEnd(): void {},
    forceFlush: (): Promise<void> => Promise.resolve(),
    shutdown: (): Promise<void> => (done ??= Promise.resolve().then(shutdown)),
  };
  return processor;
}
