// The OpenTelemetry SDK pieces we build on (samplers, span processors, propagators, detectors,
// exporters) come from the packages that the user's @opentelemetry/sdk-node itself depends on,
// resolved from sdk-node's own location. Then one install of @xray-otel/register works with sdk-node
// 0.2xx (OTel JS 2.x) and 0.3xx (3.x) without pinning core/sdk-trace/resources to one major, and the
// pieces are the very classes NodeSDK uses (no duplicate copies of core or sdk-trace).
import { createRequire } from 'node:module';
import type { TextMapPropagator } from '@opentelemetry/api';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';

export type Sampler = NodeSDKConfiguration['sampler'];
export type SpanExporter = NodeSDKConfiguration['traceExporter'];
export type SpanProcessor = NonNullable<NodeSDKConfiguration['spanProcessors']>[number];
export type ResourceDetector = NodeSDKConfiguration['resourceDetectors'][number];
export type Instrumentation = NodeSDKConfiguration['instrumentations'][number];

/** Options of the SDK's BatchSpanProcessor (OTEL_BSP_*), same names on both lines. */
export interface BatchSpanProcessorOptions {
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}

/** What we use of `@opentelemetry/sdk-trace` (2.9+ and 3.x: processors take `{ exporter, ... }`). */
export interface SdkTraceModule {
  AlwaysOnSampler: new () => Sampler;
  AlwaysOffSampler: new () => Sampler;
  TraceIdRatioBasedSampler: new (ratio?: number) => Sampler;
  BatchSpanProcessor: new (config: { exporter: SpanExporter } & BatchSpanProcessorOptions) => SpanProcessor;
  SimpleSpanProcessor: new (config: { exporter: SpanExporter }) => SpanProcessor;
  ConsoleSpanExporter: new () => SpanExporter;
}

/** What we use of `@opentelemetry/core`. */
export interface CoreModule {
  CompositePropagator: new (config: { propagators: TextMapPropagator[] }) => TextMapPropagator;
  W3CTraceContextPropagator: new () => TextMapPropagator;
  W3CBaggagePropagator: new () => TextMapPropagator;
}

/** What we use of `@opentelemetry/resources`. */
export interface ResourcesModule {
  envDetector: ResourceDetector;
  hostDetector: ResourceDetector;
  osDetector: ResourceDetector;
  processDetector: ResourceDetector;
  serviceInstanceIdDetector: ResourceDetector;
}

export interface NodeSDKLike {
  start(): void;
  shutdown(): Promise<void>;
}

export interface SdkNodeModule {
  NodeSDK: new (config?: Partial<NodeSDKConfiguration>) => NodeSDKLike;
}

export type LoadModule = (id: string) => unknown;

const ownRequire: LoadModule = require;

/** Loads `id` as @opentelemetry/sdk-node would, falling back to our own resolution. */
export function requireFromSdkNode(id: string, load: LoadModule = ownRequire): unknown {
  let sdkNodeEntry: string | undefined;
  try {
    sdkNodeEntry = require.resolve('@opentelemetry/sdk-node');
  } catch {
    // Not installed: the plain require below reports the missing package.
  }
  if (sdkNodeEntry !== undefined) {
    try {
      return createRequire(sdkNodeEntry)(id);
    } catch {
      // Not a dependency of this sdk-node: try ours.
    }
  }
  return load(id);
}

export function loadSdkTrace(): SdkTraceModule {
  return requireFromSdkNode('@opentelemetry/sdk-trace') as SdkTraceModule;
}

export function loadCore(): CoreModule {
  return requireFromSdkNode('@opentelemetry/core') as CoreModule;
}

export function loadResources(): ResourcesModule {
  return requireFromSdkNode('@opentelemetry/resources') as ResourcesModule;
}

export function loadSdkNode(): SdkNodeModule {
  // Loaded on first use, so that @xray-otel/register/config does not load the whole SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@opentelemetry/sdk-node') as SdkNodeModule;
}
