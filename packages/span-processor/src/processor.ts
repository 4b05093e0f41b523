/**
 * `AWSXRaySpanProcessor`: sets on each span, in the SDK, the attributes ADOT's Application Signals
 * processors set (`aws.span.kind`, `aws.local.service`, `aws.local.operation`, `aws.remote.service`,
 * `aws.remote.operation`, `aws.remote.resource.type` / `.identifier`), so that a collector's
 * `awsxray` exporter and our translator name segments the same way (DESIGN.md "The SDK side sets what
 * the collector reads"; translator-spec.md §2.2, §3): an uninstrumented downstream by its host, a
 * local root client (a worker with no incoming request) as a service segment plus its dependency.
 * It also redacts secrets from the span's attributes (./redaction.ts). It exports nothing: place it
 * before the exporting processor. Attributes the app already set are kept.
 *
 * When: `onStart` records what children inherit (`aws.local.operation`, ADOT's attribute
 * propagation); `onEnding` (OpenTelemetry JS 2.3+ and 3.x call it before the span is frozen) writes
 * the rest, because the server route (`http.route`, the span's final name) and the AWS SDK's
 * response attributes arrive late. On an SDK without `onEnding` (2.0–2.2, 1.x) the same is done in
 * `onEnd`, directly in the ended span's attributes object, which the exporting processors placed
 * after this one then read (ADOT's exporter wrapper does the same at export time).
 */
import { trace, type AttributeValue, type Context } from '@opentelemetry/api';
import { RateLimitedLog, resolveRedaction, toXRayName, type RedactionRules } from '@xray-otel/core';
import {
  AWS_LOCAL_OPERATION,
  AWS_LOCAL_SERVICE,
  AWS_REMOTE_OPERATION,
  AWS_REMOTE_RESOURCE_IDENTIFIER,
  AWS_REMOTE_RESOURCE_TYPE,
  AWS_REMOTE_SERVICE,
  AWS_SPAN_KIND,
  INTERNAL_OPERATION,
  KIND_CLIENT,
  KIND_CONSUMER,
  KIND_INTERNAL,
  KIND_PRODUCER,
  KIND_SERVER,
  LAMBDA_FUNCTION_NAME_ENV,
  LAMBDA_HANDLER_OPERATION_SUFFIX,
  LOCAL_ROOT,
  MESSAGING_OPERATION,
  MESSAGING_OPERATION_TYPE,
  MESSAGING_PROCESS,
  OTEL_UNKNOWN_SERVICE,
  SERVICE_NAME,
  SPAN_KIND_NAMES,
  UNKNOWN_OPERATION,
  UNKNOWN_SERVICE,
} from './keys';
import { serverOperation } from './operation';
import { redactSpanAttributes } from './redaction';
import { remoteOperation, remoteService, remoteSource } from './remote';
import { remoteResource, type RemoteResource } from './resource';
import {
  isLocalRoot,
  readableParent,
  type EndedSpan,
  type ParentSpanLike,
  type ProcessorSpan,
  type ResourceLike,
} from './span';

/** Options of {@link AWSXRaySpanProcessor}. */
export interface AWSXRaySpanProcessorOptions {
  /**
   * Secrets masked in the span's attributes (captured credential headers, URL credentials and
   * tokens) and command lines removed, with `@xray-otel/core`'s lists. `false` turns it off; a list
   * adds names (each a header, a query parameter and an attribute key); `RedactionRules` replace the
   * lists. Default: `OTEL_AWS_XRAY_REDACT` (`false`/`off`/`none` off, or extra names), else on.
   */
  redact?: boolean | readonly string[] | RedactionRules;
  /**
   * `aws.local.service` while the resource's detectors are still running (the first spans of a
   * process: a worker's first call, a Lambda's cold start), when reading the resource would log an
   * error. Default: `OTEL_SERVICE_NAME`, else `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, as the
   * SDK's resource will have it.
   */
  serviceName?: string;
}

/** The options with their environment fallbacks resolved, in one place. */
export interface ResolvedSpanProcessorOptions {
  /** The rules, or `undefined` when redaction is off. */
  readonly redaction: RedactionRules | undefined;
  /** `<function>/FunctionHandler` in Lambda (`AWS_LAMBDA_FUNCTION_NAME` set), as ADOT names every ingress there. */
  readonly lambdaOperation: string | undefined;
  /** `aws.local.service` while the resource is pending (cleaned), or undefined. */
  readonly pendingServiceName: string | undefined;
}

/** `service.name` from `OTEL_RESOURCE_ATTRIBUTES` (`key=value,...`, values percent-encoded). */
function resourceAttributesServiceName(value: string | undefined): string | undefined {
  for (const pair of (value ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== SERVICE_NAME) continue;
    try {
      return decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function resolveSpanProcessorOptions(
  options: AWSXRaySpanProcessorOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSpanProcessorOptions {
  const functionName = (env[LAMBDA_FUNCTION_NAME_ENV] ?? '').trim();
  const serviceName =
    options.serviceName ??
    ((env.OTEL_SERVICE_NAME ?? '').trim() || resourceAttributesServiceName(env.OTEL_RESOURCE_ATTRIBUTES));
  return {
    redaction: resolveRedaction(options.redact, true, env),
    lambdaOperation: functionName === '' ? undefined : functionName + LAMBDA_HANDLER_OPERATION_SUFFIX,
    pendingServiceName: localServiceName({ attributes: { [SERVICE_NAME]: serviceName } }),
  };
}

/**
 * Where `@opentelemetry/core` keeps the request's RPC metadata in the context (`setRPCMetadata`; the
 * same key in 1.x, 2.x and 3.x): web-framework instrumentations (express, fastify, koa ...) record
 * the matched route there while the request runs, long before instrumentation-http renames the
 * server span at its end. Read, never written; if the key ever changes the fallback is ADOT's rule.
 */
const RPC_METADATA_KEY = Symbol.for('OpenTelemetry SDK Context Key RPC_METADATA');

/** The route a framework recorded for `server`'s request, if `context` carries it. */
function recordedRoute(context: Context | undefined, server: unknown): unknown {
  if (context === undefined || typeof context.getValue !== 'function') return undefined;
  const metadata = context.getValue(RPC_METADATA_KEY) as { span?: unknown; route?: unknown } | undefined;
  return typeof metadata === 'object' && metadata !== null && metadata.span === server
    ? metadata.route
    : undefined;
}

function isSpanKind(kind: unknown): kind is number {
  return (
    kind === KIND_INTERNAL ||
    kind === KIND_SERVER ||
    kind === KIND_CLIENT ||
    kind === KIND_PRODUCER ||
    kind === KIND_CONSUMER
  );
}

/**
 * `service.name`, cleaned; undefined when the SDK had to make one up. ADOT writes `UnknownService`
 * then; we leave the attribute out, so that the translator (and a collector) fall back to their own
 * rules (the span name of a root span, `unknown_service:node` for a server span) rather than
 * naming every unnamed service of a fleet `UnknownService` on the map.
 */
function localServiceName(resource: ResourceLike | undefined): string | undefined {
  const name = resource?.attributes?.[SERVICE_NAME];
  if (
    typeof name !== 'string' ||
    name === '' ||
    name === OTEL_UNKNOWN_SERVICE ||
    name.startsWith(OTEL_UNKNOWN_SERVICE + ':')
  )
    return undefined;
  return toXRayName(name, UNKNOWN_SERVICE);
}

/**
 * A SpanProcessor (OpenTelemetry JS 2.x and 3.x) that sets the attributes ADOT sets for X-Ray and
 * Application Signals and redacts secrets; it exports nothing itself. Place it before the
 * processor that exports: `spanProcessors: [new AWSXRaySpanProcessor(), new BatchSpanProcessor(...)]`.
 */
export class AWSXRaySpanProcessor {
  /** The redaction rules in force, `undefined` when redaction is off. */
  readonly redaction: RedactionRules | undefined;
  private readonly lambdaOperation: string | undefined;
  private readonly pendingServiceName: string | undefined;
  /** The operation of a local root that is not a server span: `InternalOperation` (Lambda: the handler). */
  private readonly rootOperation: string;
  /** Set by the first `onEnding`: from then on `onEnd` has nothing to do. */
  private sawOnEnding = false;
  /** `aws.local.service` of the last resource seen (one per tracer provider, so nearly always a hit). */
  private cachedResource: ResourceLike | undefined;
  private cachedLocalService: string | undefined;
  /** 1.x spans (no `parentSpanContext`) whose parent was remote: they are local roots. */
  private readonly remoteParentSpans = new WeakSet<object>();
  /** Consumer spans whose parent is a consumer (ADOT: a `process` span under its `receive` span is no dependency). */
  private readonly consumerChildSpans = new WeakSet<object>();
  /** Scratch for the remote resource, reused across spans. */
  private readonly resource: RemoteResource = { type: '', identifier: '' };
  private readonly log = new RateLimitedLog();

  constructor(options: AWSXRaySpanProcessorOptions = {}) {
    const resolved = resolveSpanProcessorOptions(options);
    this.redaction = resolved.redaction;
    this.lambdaOperation = resolved.lambdaOperation;
    this.pendingServiceName = resolved.pendingServiceName;
    this.rootOperation = resolved.lambdaOperation ?? INTERNAL_OPERATION;
  }

  onStart(span: ProcessorSpan, parentContext?: Context): void {
    try {
      this.start(span, parentContext);
    } catch (error) {
      // A span that cannot be read or written (a foreign Span implementation, a getter that throws):
      // it goes on without these attributes; the app is not disturbed.
      this.log.log('start', `@xray-otel/span-processor: could not process a starting span: ${String(error)}`);
    }
  }

  onEnding(span: ProcessorSpan): void {
    this.sawOnEnding = true;
    this.finishSafely(span, false);
  }

  onEnd(span: EndedSpan): void {
    // OpenTelemetry JS before 2.3 has no onEnding: do its work here, on the ended span's attributes.
    if (!this.sawOnEnding) this.finishSafely(span, true);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** `direct`: the span has ended (`onEnd`), write into its attributes object; else through `setAttribute`. */
  private finishSafely(span: EndedSpan | ProcessorSpan, direct: boolean): void {
    try {
      this.finish(span, direct);
    } catch (error) {
      this.log.log('end', `@xray-otel/span-processor: could not process an ending span: ${String(error)}`);
    }
  }

  /** ADOT's attribute propagation: what a child inherits, known when it starts. */
  private start(span: ProcessorSpan, parentContext: Context | undefined): void {
    const attributes = span.attributes;
    const kind = span.kind;
    const parentSpan = parentContext === undefined ? undefined : trace.getSpan(parentContext);
    const parent = readableParent(parentSpan);
    if (
      span.parentSpanContext === undefined &&
      span.parentSpanId !== undefined &&
      parentContext !== undefined
    ) {
      // 1.x: the span keeps no isRemote; remember it here (rare: old SDK and a remote parent).
      if (trace.getSpanContext(parentContext)?.isRemote === true) this.remoteParentSpans.add(span);
    }
    const localRoot = isLocalRoot(span, this.remoteParentSpans);
    if (parent !== undefined && !localRoot) {
      if (kind === KIND_CONSUMER && parent.kind === KIND_CONSUMER) this.consumerChildSpans.add(span);
      if (parent.kind === KIND_INTERNAL) {
        // ADOT: an app that names the remote side on an internal span names it for its children.
        this.inherit(span, parent, AWS_REMOTE_SERVICE);
        this.inherit(span, parent, AWS_REMOTE_OPERATION);
      }
    }
    // A server span's operation is its own, known at its end (its name and route arrive late).
    if (kind === KIND_SERVER || attributes[AWS_LOCAL_OPERATION] !== undefined) return;
    let operation: unknown;
    if (localRoot) operation = this.rootOperation;
    else if (parent !== undefined)
      operation =
        parent.kind === KIND_SERVER
          ? this.serverOperation(parent, recordedRoute(parentContext, parentSpan))
          : parent.attributes[AWS_LOCAL_OPERATION];
    if (typeof operation === 'string' && operation !== '') span.setAttribute(AWS_LOCAL_OPERATION, operation);
  }

  private inherit(span: ProcessorSpan, parent: ParentSpanLike, key: string): void {
    const value = parent.attributes[key];
    if (typeof value === 'string' && span.attributes[key] === undefined) span.setAttribute(key, value);
  }

  private serverOperation(span: ParentSpanLike, route?: unknown): string {
    return this.lambdaOperation ?? serverOperation(span.name, span.attributes, route);
  }

  /** Redaction, then the attributes ADOT's exporter wrapper stamps at export (AwsMetricAttributeGenerator). */
  private finish(span: EndedSpan | ProcessorSpan, direct: boolean): void {
    if (this.redaction !== undefined) redactSpanAttributes(span, this.redaction, direct);
    const kind = span.kind;
    if (!isSpanKind(kind)) return;
    const attributes = span.attributes;
    const localRoot = isLocalRoot(span, this.remoteParentSpans);
    // ADOT: local roots and server spans make "service" attributes, clients, producers and
    // consumers "dependency" ones; a span that makes both is a local root with its dependency.
    const service = localRoot || kind === KIND_SERVER;
    const dependency =
      kind === KIND_CLIENT ||
      kind === KIND_PRODUCER ||
      (kind === KIND_CONSUMER && this.isDependencyConsumer(span, localRoot));
    if (!service && !dependency) return;

    if (attributes[AWS_SPAN_KIND] === undefined)
      this.put(span, AWS_SPAN_KIND, localRoot ? LOCAL_ROOT : SPAN_KIND_NAMES[kind], direct);
    if (attributes[AWS_LOCAL_SERVICE] === undefined) {
      const localService = this.localService(span.resource);
      if (localService !== undefined) this.put(span, AWS_LOCAL_SERVICE, localService, direct);
    }
    if (attributes[AWS_LOCAL_OPERATION] === undefined) {
      // Children of local roots and server spans had theirs at start; this is the span's own.
      const operation =
        kind === KIND_SERVER
          ? this.serverOperation(span)
          : localRoot
            ? this.rootOperation
            : UNKNOWN_OPERATION;
      this.put(span, AWS_LOCAL_OPERATION, operation, direct);
    }
    if (!dependency) return;

    const source = remoteSource(attributes);
    if (attributes[AWS_REMOTE_SERVICE] === undefined) {
      const remote = remoteService(attributes, source);
      // Cleaned to what X-Ray accepts as a name: the collector uses it verbatim (issue 11 item 4).
      const name = remote === undefined ? '' : toXRayName(remote, '');
      if (name !== '') this.put(span, AWS_REMOTE_SERVICE, name, direct);
    }
    if (attributes[AWS_REMOTE_OPERATION] === undefined) {
      const operation = remoteOperation(attributes, source);
      if (operation !== undefined) this.put(span, AWS_REMOTE_OPERATION, operation, direct);
    }
    if (
      attributes[AWS_REMOTE_RESOURCE_TYPE] === undefined &&
      attributes[AWS_REMOTE_RESOURCE_IDENTIFIER] === undefined &&
      remoteResource(attributes, this.resource)
    ) {
      this.put(span, AWS_REMOTE_RESOURCE_TYPE, this.resource.type, direct);
      this.put(span, AWS_REMOTE_RESOURCE_IDENTIFIER, this.resource.identifier, direct);
    }
  }

  /**
   * ADOT's `isDependencyConsumerSpan`: a consumer is a dependency unless it is a `process` span under
   * another consumer (the `receive` span already is the dependency).
   */
  private isDependencyConsumer(span: EndedSpan, localRoot: boolean): boolean {
    const operation = span.attributes[MESSAGING_OPERATION] ?? span.attributes[MESSAGING_OPERATION_TYPE];
    if (operation !== MESSAGING_PROCESS || localRoot) return true;
    return !this.consumerChildSpans.has(span);
  }

  /** `aws.local.service` for `resource`, computed once per resource; undefined while its attributes are pending. */
  private localService(resource: ResourceLike | undefined): string | undefined {
    if (resource !== undefined && resource === this.cachedResource) return this.cachedLocalService;
    // Reading a 2.x/3.x resource's attributes before its detectors settle logs an error for every
    // span: take the service name the environment gives the resource (undefined: leave it unset).
    if (resource?.asyncAttributesPending === true) return this.pendingServiceName;
    const name = localServiceName(resource);
    if (resource !== undefined) {
      this.cachedResource = resource;
      this.cachedLocalService = name;
    }
    return name;
  }

  private put(span: EndedSpan | ProcessorSpan, key: string, value: AttributeValue, direct: boolean): void {
    if (direct) span.attributes[key] = value;
    else (span as ProcessorSpan).setAttribute(key, value);
  }
}
