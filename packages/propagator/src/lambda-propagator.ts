// AWSXRayLambdaPropagator: the invocation's trace header (set by Lambda) is the parent of the
// function's spans. Precedence follows OpenTelemetry's `xray-lambda` propagator
// (@opentelemetry/propagator-aws-xray-lambda): a valid span context already in the context wins;
// otherwise the Lambda header wins over an X-Amzn-Trace-Id request header.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import {
  AWSXRAY_TRACE_ID_ENV_VAR,
  AWSXRAY_TRACE_ID_HEADER,
  LAMBDA_MAX_CONCURRENCY_ENV_VAR,
} from './constants';
import { AWSXRayPropagator, contextWithTraceHeader, reportUnexpected } from './propagator';

const lambdaTraceHeaderStorage = new AsyncLocalStorage<string>();

/**
 * Runs `fn` with `header` as the Lambda invocation's trace header for everything `fn` starts,
 * synchronously or asynchronously (AsyncLocalStorage): safe when one process runs several
 * invocations at once. Use it when your handler receives the trace header itself.
 */
export function runWithLambdaTraceHeader<T>(header: string, fn: () => T): T {
  return lambdaTraceHeaderStorage.run(header, fn);
}

/** Shape of the Lambda Node.js runtime's per-invocation store (`@aws/lambda-invoke-store`). */
interface LambdaInvokeStore {
  getXRayTraceId?: () => unknown;
}

function invokeStoreTraceHeader(): unknown {
  const awslambda = (globalThis as { awslambda?: { InvokeStore?: LambdaInvokeStore } }).awslambda;
  const store = awslambda?.InvokeStore;
  return typeof store?.getXRayTraceId === 'function' ? store.getXRayTraceId() : undefined;
}

/**
 * The current invocation's trace header, first found of:
 * 1. `runWithLambdaTraceHeader(header, fn)`;
 * 2. the Lambda runtime's invoke store (`globalThis.awslambda.InvokeStore.getXRayTraceId()`, what the
 *    runtime fills per invocation, AsyncLocalStorage-backed under multi-concurrency; the AWS SDK v3
 *    reads it the same way);
 * 3. `process.env._X_AMZN_TRACE_ID`, read now (Lambda rewrites it per invocation), but not when
 *    `AWS_LAMBDA_MAX_CONCURRENCY` is set: with concurrent invocations it is not per invocation.
 */
export function getLambdaTraceHeader(): string | undefined {
  const fromRun = lambdaTraceHeaderStorage.getStore();
  if (fromRun !== undefined) return fromRun;
  const fromRuntime = invokeStoreTraceHeader();
  if (typeof fromRuntime === 'string' && fromRuntime !== '') return fromRuntime;
  if (process.env[LAMBDA_MAX_CONCURRENCY_ENV_VAR] !== undefined) return undefined;
  const fromEnv = process.env[AWSXRAY_TRACE_ID_ENV_VAR];
  return fromEnv === '' ? undefined : fromEnv;
}

/**
 * X-Amzn-Trace-Id propagator for Lambda functions. Inject is the same as `AWSXRayPropagator`'s.
 * Extract: a valid span context already in `context` wins (the request header is then extracted as
 * usual); otherwise the invocation's trace header (`getLambdaTraceHeader`) wins over the request
 * header; an invalid invocation header leaves the request header's result.
 */
export class AWSXRayLambdaPropagator implements TextMapPropagator {
  private readonly _propagator = new AWSXRayPropagator();

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this._propagator.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this._propagator.extract(context, carrier, getter);
    try {
      const existing = trace.getSpanContext(context);
      if (existing !== undefined && isSpanContextValid(existing)) return extracted;
      const header = getLambdaTraceHeader();
      if (header === undefined) return extracted;
      return contextWithTraceHeader(extracted, header, AWSXRAY_TRACE_ID_ENV_VAR);
    } catch (error) {
      reportUnexpected('Lambda extract', error);
      return extracted;
    }
  }

  fields(): string[] {
    return [AWSXRAY_TRACE_ID_HEADER];
  }
}
