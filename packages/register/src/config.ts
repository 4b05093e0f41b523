/**
 * `@xray-otel/register/config`: the X-Ray pieces of a NodeSDK configuration, for users who build
 * their own SDK. Loading this module has no side effect; calling xrayNodeSDKConfig() creates the
 * pieces (and so the auto-instrumentations, which patch modules as they load) but starts nothing.
 *
 *     const sdk = new NodeSDK({ ...xrayNodeSDKConfig(), serviceName: 'checkout' });
 *     sdk.start();
 */
import type { TextMapPropagator } from '@opentelemetry/api';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { AWSXRayIdGenerator } from '@xray-otel/id-generator';
import {
  DAEMON_ADDRESS_ENV,
  DEFAULT_DAEMON_ADDRESS,
  INDEX_ALL_ATTRIBUTES_ENV,
  INDEXED_ATTRIBUTES_ENV,
  parseDaemonAddress,
  resolveRedaction,
} from '@xray-otel/core';
import { AWSXRaySpanProcessor } from '@xray-otel/span-processor';
import { getBoolean, getList, getString } from './env';
import type { Env } from './env';
import { createResourceDetectors, getResourceDetectorNames } from './detectors';
import { createSpanProcessors, getTracesExporterNames } from './exporters';
import type { XRayExporterSettings } from './exporters';
import { createInstrumentations } from './instrumentations';
import type { InstrumentationConfigs } from './instrumentations';
import { createPropagator, getPropagatorNames } from './propagators';
import { buildSamplerFromEnv, samplerShutdownProcessor } from './sampler';
import type { Instrumentation, Sampler } from './otel';

export interface XRayNodeSDKOptions {
  /** X-Ray daemon address, `host:port` or `tcp:host:port udp:host:port`. Env: AWS_XRAY_DAEMON_ADDRESS. Default 127.0.0.1:2000. */
  daemonAddress?: string;
  /** Span attributes that become X-Ray annotations. Env: OTEL_AWS_XRAY_INDEXED_ATTRIBUTES (comma list). */
  indexedAttributes?: string[];
  /** Every span attribute becomes an annotation. Env: OTEL_AWS_XRAY_INDEX_ALL_ATTRIBUTES (true/false). Default false. */
  indexAllAttributes?: boolean;
  /** CloudWatch log groups linked from the segments (`aws.log_group`). */
  logGroupNames?: string[];
  /** Propagator names (xray, xray-lambda, tracecontext, baggage, none). Env: OTEL_PROPAGATORS. */
  propagators?: string[];
  /** Exporter names (xray, otlp, console, none). Env: OTEL_TRACES_EXPORTER. Default xray (otlp in Lambda). */
  tracesExporters?: string[];
  /** Resource detector names (see README). Env: OTEL_NODE_RESOURCE_DETECTORS. */
  resourceDetectors?: string[];
  /**
   * A sampler object. Default: from OTEL_TRACES_SAMPLER(_ARG), parent-based always on
   * (`xray` / `parentbased_xray`: X-Ray sampling rules, see README).
   */
  sampler?: Sampler;
  /** Instrumentations to use instead of getNodeAutoInstrumentations(). */
  instrumentations?: Instrumentation[];
  /** Per-instrumentation configs passed to getNodeAutoInstrumentations(). */
  instrumentationConfigs?: InstrumentationConfigs;
  /**
   * Secrets kept out of every exporter's output (captured credential headers, URL credentials and
   * tokens, command lines: the list is in @xray-otel/core's README). `false` turns it off; a list
   * adds names. Env: OTEL_AWS_XRAY_REDACT (`false`, or extra names). Default on.
   */
  redact?: boolean | string[];
  /**
   * `AWSXRaySpanProcessor` in front of every exporter: the attributes ADOT sets (`aws.span.kind`,
   * `aws.local.*`, `aws.remote.*`) that X-Ray names segments by, on the daemon and collector paths
   * alike. Default true.
   */
  awsSpanAttributes?: boolean;
  /** Where environment variables are read. Default: process.env. */
  env?: Env;
}

/** The partial NodeSDK configuration returned by {@link xrayNodeSDKConfig}. */
export type XRayNodeSDKConfig = Pick<
  NodeSDKConfiguration,
  'idGenerator' | 'textMapPropagator' | 'resourceDetectors' | 'instrumentations' | 'sampler'
> &
  Required<Pick<NodeSDKConfiguration, 'spanProcessors'>> &
  Partial<Pick<NodeSDKConfiguration, 'metricReaders' | 'logRecordProcessors'>>;

/**
 * The X-Ray exporter's settings from options, then environment. Throws an Error naming the value
 * when AWS_XRAY_DAEMON_ADDRESS (or `daemonAddress`) is not a valid daemon address.
 */
export function getXRayExporterSettings(env: Env, options: XRayNodeSDKOptions = {}): XRayExporterSettings {
  // Explicit even for the default, so the exporter does not read process.env behind `env`'s back.
  const daemonAddress = options.daemonAddress ?? getString(env, DAEMON_ADDRESS_ENV) ?? DEFAULT_DAEMON_ADDRESS;
  parseDaemonAddress(daemonAddress);
  const settings: XRayExporterSettings = { daemonAddress, ...getAnnotationSettings(env, options) };
  if (options.logGroupNames !== undefined) settings.logGroupNames = options.logGroupNames;
  return settings;
}

/** indexedAttributes / indexAllAttributes from options, then environment (for every exporter). */
export function getAnnotationSettings(env: Env, options: XRayNodeSDKOptions = {}): XRayExporterSettings {
  const settings: XRayExporterSettings = {};
  const indexedAttributes = options.indexedAttributes ?? getList(env, INDEXED_ATTRIBUTES_ENV);
  if (indexedAttributes !== undefined) settings.indexedAttributes = indexedAttributes;
  const indexAllAttributes = options.indexAllAttributes ?? getBoolean(env, INDEX_ALL_ATTRIBUTES_ENV, 'false');
  if (indexAllAttributes !== undefined) settings.indexAllAttributes = indexAllAttributes;
  return settings;
}

/**
 * The X-Ray pieces of a NodeSDK configuration, from `options`, then environment variables, then
 * defaults: the X-Ray ID generator, propagators, span processors (UDP to the daemon by default),
 * resource detectors (with AWS), auto-instrumentations and a parent-based sampler that honours
 * `Sampled=?`. Metrics and logs are off unless OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER are set.
 * Throws on an invalid daemon address.
 */
export function xrayNodeSDKConfig(options: XRayNodeSDKOptions = {}): XRayNodeSDKConfig {
  const env = options.env ?? process.env;
  const exporterNames = getTracesExporterNames(env, options.tracesExporters);
  // First, so that a bad daemon address throws before anything is patched. `otlp` takes only the
  // annotation settings (its Lambda UDP exporter reads AWS_XRAY_DAEMON_ADDRESS itself).
  const xraySettings = exporterNames.includes('xray')
    ? getXRayExporterSettings(env, options)
    : exporterNames.includes('otlp')
      ? getAnnotationSettings(env, options)
      : {};
  const redaction = resolveRedaction(options.redact, true, env);
  if (exporterNames.includes('xray')) xraySettings.redact = redaction ?? false;
  const spanProcessors = createSpanProcessors(exporterNames, xraySettings, env);
  // First, so that every exporting processor after it sees the attributes it sets in onEnding.
  if (spanProcessors.length > 0 && options.awsSpanAttributes !== false) {
    spanProcessors.unshift(new AWSXRaySpanProcessor({ redact: redaction ?? false }));
  }
  let sampler = options.sampler;
  if (sampler === undefined) {
    const created = buildSamplerFromEnv(env, undefined, { daemonAddress: options.daemonAddress });
    sampler = created.sampler;
    // Stopped with the tracer provider (sdk.shutdown()): the remote sampler polls the daemon.
    if (created.shutdown) spanProcessors.push(samplerShutdownProcessor(created.shutdown));
  }
  const textMapPropagator: TextMapPropagator | null = createPropagator(
    getPropagatorNames(env, options.propagators),
  );
  const config: XRayNodeSDKConfig = {
    idGenerator: new AWSXRayIdGenerator(),
    textMapPropagator,
    spanProcessors,
    resourceDetectors: createResourceDetectors(getResourceDetectorNames(env, options.resourceDetectors)),
    sampler,
    instrumentations: options.instrumentations ?? createInstrumentations(env, options.instrumentationConfigs),
  };
  // X-Ray is a traces backend: NodeSDK would otherwise default metrics and logs to OTLP.
  if (getString(env, 'OTEL_METRICS_EXPORTER') === undefined) config.metricReaders = [];
  if (getString(env, 'OTEL_LOGS_EXPORTER') === undefined) config.logRecordProcessors = [];
  return config;
}
