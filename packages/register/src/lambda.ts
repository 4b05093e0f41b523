/**
 * `@xray-otel/register/lambda`: the invocation span and the flush of each Lambda invocation.
 *
 * Lambda freezes the process between invocations, so spans still in a batch processor would leave
 * only at the next invocation (or never); and without an invocation span, the spans a handler makes
 * would start traces of their own instead of joining the invocation's (the one Lambda's trace header
 * names). The aws-lambda auto-instrumentation does both when it wraps the handler; wrap the handler
 * with {@link flushAfterInvocation} when it does not (the instrumentation disabled, a bundled
 * handler, a handler run outside the Lambda runtime). With the instrumentation on as well, its span
 * is used and only the flush is added.
 *
 *     const { flushAfterInvocation } = require('@xray-otel/register/lambda');
 *     exports.handler = flushAfterInvocation(async (event, context) => { ... });
 */
import {
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  diag,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import type { Attributes, Context, Span, TextMapGetter } from '@opentelemetry/api';
import { AWSXRayLambdaPropagator, runWithLambdaTraceHeader } from '@xray-otel/propagator';
import {
  ATTR_FAAS_INVOCATION_ID,
  AWS_LAMBDA_INSTRUMENTATION_SCOPE,
  errorMessageOf,
  invocationAttributes,
  invocationSpanName,
  isColdStart,
} from './lambda-span';
import type { LambdaContextLike } from './lambda-span';
import { LOG_PREFIX } from './log';

/** Upper bound of the flush after an invocation (Lambda bills the time). */
export const INVOCATION_FLUSH_TIMEOUT_MS = 2000;

interface Flushable {
  forceFlush?: () => Promise<void>;
  getDelegate?: () => unknown;
}

/**
 * Flushes the global tracer provider's span processors (NodeSDK's, so also the preload's); at most
 * `timeoutMs`; never rejects.
 */
export async function forceFlushTracing(timeoutMs = INVOCATION_FLUSH_TIMEOUT_MS): Promise<void> {
  let provider = trace.getTracerProvider() as Flushable;
  const delegate = provider.getDelegate?.() as Flushable | undefined;
  if (delegate) provider = delegate;
  if (typeof provider.forceFlush !== 'function') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      provider.forceFlush(),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          diag.warn(`${LOG_PREFIX}flush after the invocation took over ${timeoutMs} ms; going on.`);
          resolve();
        }, timeoutMs);
        timer.unref?.();
      }),
    ]);
  } catch (error) {
    diag.error(`${LOG_PREFIX}flush after the invocation failed`, error);
  } finally {
    clearTimeout(timer);
  }
}

export type { LambdaContextLike } from './lambda-span';

/** The name of the tracer that makes the invocation spans. */
export const TRACER_NAME = '@xray-otel/register';

/** What a callback-style handler is given: `callback(error)` or `callback(null, result)`. */
export type LambdaCallback<R> = (error?: unknown, result?: R) => void;

/** An async (or value-returning) handler. */
export type AsyncHandler<E, C, R> = (event: E, context: C) => Promise<R> | R;

/** A callback-style handler (three parameters); it may also return a promise, the first to settle wins. */
export type CallbackHandler<E, C, R> = (event: E, context: C, callback: LambdaCallback<R>) => unknown;

export interface FlushAfterInvocationOptions {
  /** Upper bound of the flush after each invocation. Default 2000 ms. */
  timeoutMs?: number;
}

/** The process's start (epoch ms), for the cold start rule. */
const PROCESS_START_MS = Date.now() - Math.floor(process.uptime() * 1000);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null &&
  (typeof value === 'object' || typeof value === 'function') &&
  typeof (value as { then?: unknown }).then === 'function';

/**
 * Runs the handler as Lambda's Node.js runtime would and settles with its outcome: the promise it
 * returns, the value it returns (async style), or `callback(error, result)` (three parameters),
 * whichever comes first. A synchronous throw rejects. The error is passed on unchanged.
 */
export function invokeHandler<E, C, R>(
  handler: AsyncHandler<E, C, R> | CallbackHandler<E, C, R>,
  event: E,
  context: C,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, failed: boolean, result?: R): void => {
      if (settled) return;
      settled = true;
      // Lambda gets exactly what the handler raised (a string, an object, an Error): never rewrapped.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (failed) reject(error);
      else resolve(result as R);
    };
    const callbackStyle = handler.length >= 3;
    let returned: unknown;
    try {
      returned = callbackStyle
        ? (handler as CallbackHandler<E, C, R>)(event, context, (error, result) =>
            // Lambda's rule: any error other than null / undefined fails the invocation.
            settle(error, error !== undefined && error !== null, result),
          )
        : (handler as AsyncHandler<E, C, R>)(event, context);
    } catch (error) {
      settle(error, true);
      return;
    }
    if (isThenable(returned)) {
      returned.then(
        (value) => settle(undefined, false, value as R),
        (error: unknown) => settle(error, true),
      );
    } else if (!callbackStyle) {
      settle(undefined, false, returned as R);
    }
    // A callback-style handler that returned a plain value: its callback decides.
  });
}

/** Whether `span` is an invocation span already (the aws-lambda instrumentation's, or ours). */
export function isInvocationSpan(span: Span | undefined, context: LambdaContextLike | undefined): boolean {
  if (span === undefined) return false;
  const readable = span as unknown as {
    instrumentationScope?: { name?: unknown };
    instrumentationLibrary?: { name?: unknown };
    kind?: unknown;
    attributes?: Attributes;
  };
  const scope = readable.instrumentationScope?.name ?? readable.instrumentationLibrary?.name;
  if (scope === AWS_LAMBDA_INSTRUMENTATION_SCOPE || scope === TRACER_NAME) return true;
  // A span made by other means for this very invocation (a SERVER span that carries its request ID).
  const requestId = context?.awsRequestId;
  return (
    readable.kind === SpanKind.SERVER &&
    typeof requestId === 'string' &&
    requestId !== '' &&
    readable.attributes?.[ATTR_FAAS_INVOCATION_ID] === requestId
  );
}

type HeaderCarrier = Record<string, unknown>;

/** Header names in any case, as API Gateway and function URLs send them. */
const headerGetter: TextMapGetter<HeaderCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const lower = key.toLowerCase();
    for (const name of Object.keys(carrier)) {
      if (name.toLowerCase() !== lower) continue;
      const value = carrier[name];
      return typeof value === 'string' || Array.isArray(value) ? (value as string | string[]) : undefined;
    }
    return undefined;
  },
};

const lambdaPropagator = new AWSXRayLambdaPropagator();

/**
 * The invocation span's parent: a valid span already active wins; otherwise the Lambda propagator's
 * order, the invocation's trace header (`runWithLambdaTraceHeader`, the runtime's invoke store, then
 * `_X_AMZN_TRACE_ID`) before an `X-Amzn-Trace-Id` in the event's headers; else a new trace.
 */
function invocationParent(active: Context, event: unknown): Context {
  const current = trace.getSpanContext(active);
  if (current !== undefined && isSpanContextValid(current)) return active;
  const headers = (event as { headers?: unknown } | null | undefined)?.headers;
  const carrier = headers !== null && typeof headers === 'object' ? (headers as HeaderCarrier) : {};
  return lambdaPropagator.extract(active, carrier, headerGetter);
}

/**
 * `handler`, run in an invocation span and flushed after each invocation, before the result or error
 * goes back to Lambda:
 * - the span is a SERVER span named after the function, with the `faas.*` / `cloud.*` attributes of
 *   the aws-lambda instrumentation, child of the invocation's trace header (`context.xRayTraceId`,
 *   else the Lambda propagator's other sources): the spans the handler makes are its children, in the
 *   invocation's trace (`Sampled=0` there: nothing is recorded);
 * - an error (thrown, rejected, or given to the callback) is recorded on the span (exception event,
 *   ERROR status) and passed on to Lambda unchanged;
 * - inside an invocation span of the aws-lambda instrumentation (or of another wrapper of ours),
 *   no second span is made: only the flush.
 * Async, value-returning and callback-style (three parameters) handlers; the wrapper always returns
 * a promise (the only style the newest Lambda runtimes accept). The telemetry never throws into the
 * invocation.
 */
export function flushAfterInvocation<E, C extends object, R>(
  handler: AsyncHandler<E, C, R>,
  options?: FlushAfterInvocationOptions,
): (event: E, context: C) => Promise<R>;
export function flushAfterInvocation<E, C extends object, R>(
  handler: CallbackHandler<E, C, R>,
  options?: FlushAfterInvocationOptions,
): (event: E, context: C) => Promise<R>;
export function flushAfterInvocation<E, C extends object, R>(
  handler: AsyncHandler<E, C, R> | CallbackHandler<E, C, R>,
  options: FlushAfterInvocationOptions = {},
): (event: E, context: C) => Promise<R> {
  let first = true;
  return async (event: E, context: C): Promise<R> => {
    const lambdaContext = context as LambdaContextLike | undefined;
    const coldStart = isColdStart(first, process.env, Date.now(), PROCESS_START_MS);
    first = false;
    const header = lambdaContext?.xRayTraceId;
    const underHeader = <T>(fn: () => T): T =>
      typeof header === 'string' && header !== '' ? runWithLambdaTraceHeader(header, fn) : fn();
    let span: Span | undefined;
    try {
      return await underHeader(() => {
        const active = otelContext.active();
        let parent: Context | undefined;
        try {
          if (!isInvocationSpan(trace.getSpan(active), lambdaContext)) {
            parent = invocationParent(active, event);
            span = trace
              .getTracer(TRACER_NAME)
              .startSpan(
                invocationSpanName(lambdaContext, process.env),
                { kind: SpanKind.SERVER, attributes: invocationAttributes(lambdaContext, event, coldStart) },
                parent,
              );
          }
        } catch (error) {
          diag.error(`${LOG_PREFIX}could not start the invocation span`, error);
        }
        const run = (): Promise<R> => invokeHandler(handler, event, context);
        return span === undefined || parent === undefined
          ? run()
          : otelContext.with(trace.setSpan(parent, span), run);
      });
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      endSpan(span);
      await forceFlushTracing(options.timeoutMs);
    }
  };
}

/** The instrumentation's `_endSpan` error part: an exception event and the ERROR status. */
function recordError(span: Span | undefined, error: unknown): void {
  if (span === undefined) return;
  try {
    span.recordException(
      error instanceof Error || typeof error === 'string' ? error : { message: errorMessageOf(error) },
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessageOf(error) });
  } catch (failure) {
    diag.error(`${LOG_PREFIX}could not record the error on the invocation span`, failure);
  }
}

function endSpan(span: Span | undefined): void {
  try {
    span?.end();
  } catch (error) {
    diag.error(`${LOG_PREFIX}could not end the invocation span`, error);
  }
}
