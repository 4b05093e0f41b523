/**
 * `@xray-otel/register/lambda`: flush the spans of each Lambda invocation before it returns.
 * Lambda freezes the process between invocations, so spans still in a batch processor would leave
 * only at the next invocation (or never). The aws-lambda auto-instrumentation flushes by itself when
 * it wraps the handler; wrap the handler with {@link flushAfterInvocation} when it does not (the
 * instrumentation disabled, a bundled handler, a handler run outside the Lambda runtime).
 *
 *     const { flushAfterInvocation } = require('@xray-otel/register/lambda');
 *     exports.handler = flushAfterInvocation(async (event, context) => { ... });
 */
import { diag, trace } from '@opentelemetry/api';
import { runWithLambdaTraceHeader } from '@xray-otel/propagator';

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
          diag.warn(`@xray-otel/register: flush after the invocation took over ${timeoutMs} ms; going on.`);
          resolve();
        }, timeoutMs);
        timer.unref?.();
      }),
    ]);
  } catch (error) {
    diag.error('@xray-otel/register: flush after the invocation failed', error);
  } finally {
    clearTimeout(timer);
  }
}

/** What we read of the Lambda context (`context.xRayTraceId` is the invocation's trace header). */
export interface LambdaContextLike {
  xRayTraceId?: string;
  [key: string]: unknown;
}

export type AsyncHandler<E, C, R> = (event: E, context: C) => Promise<R> | R;

/**
 * `handler`, with every span it starts under the invocation's trace header (`context.xRayTraceId`,
 * for the `xray-lambda` propagator, safe with concurrent invocations) and the spans flushed once
 * it has settled, before the result (or error) goes back to Lambda. For async (or value-returning)
 * handlers; callback-style handlers are not supported.
 */
export function flushAfterInvocation<E, C extends object, R>(
  handler: AsyncHandler<E, C, R>,
  options: { timeoutMs?: number } = {},
): (event: E, context: C) => Promise<R> {
  return async (event: E, context: C): Promise<R> => {
    const header = (context as LambdaContextLike | undefined)?.xRayTraceId;
    const run = (): Promise<R> => Promise.resolve().then(() => handler(event, context));
    try {
      return await (typeof header === 'string' && header !== ''
        ? runWithLambdaTraceHeader(header, run)
        : run());
    } finally {
      await forceFlushTracing(options.timeoutMs);
    }
  };
}
