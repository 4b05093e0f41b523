// OTEL_PROPAGATORS with the X-Ray names understood: xray (X-Amzn-Trace-Id), xray-lambda (the Lambda
// invocation's trace header, then X-Amzn-Trace-Id), tracecontext, baggage and none.
import type { TextMapPropagator } from '@opentelemetry/api';
import { AWSXRayLambdaPropagator, AWSXRayPropagator } from '@xray-otel/propagator';
import {
  DEFAULT_LAMBDA_PROPAGATORS,
  DEFAULT_PROPAGATORS,
  KNOWN_PROPAGATORS,
  getList,
  isLambda,
  normalizeNames,
} from './env';
import type { Env } from './env';
import { warn } from './log';
import { loadCore } from './otel';
import type { CoreModule } from './otel';

/**
 * The propagator names to use: `names` if given, else OTEL_PROPAGATORS, else the default
 * (`xray-lambda,tracecontext,baggage` in Lambda, `xray,tracecontext,baggage` elsewhere). Unknown
 * names are reported and skipped; when none is left, the default is used, and said.
 */
export function getPropagatorNames(env: Env, names?: readonly string[]): string[] {
  const defaults = isLambda(env) ? DEFAULT_LAMBDA_PROPAGATORS : DEFAULT_PROPAGATORS;
  const list = normalizeNames(names ?? getList(env, 'OTEL_PROPAGATORS') ?? defaults);
  if (list.includes('none')) return list;
  const known = list.filter((name) => KNOWN_PROPAGATORS.includes(name));
  const unknown = list.filter((name) => !KNOWN_PROPAGATORS.includes(name));
  if (unknown.length === 0) return list;
  const using = known.length > 0 ? known : defaults;
  warn(
    `OTEL_PROPAGATORS: ${unknown.map((name) => JSON.stringify(name)).join(', ')} unknown to ` +
      `@xray-otel/register (known: ${KNOWN_PROPAGATORS.join(', ')}, none); ` +
      `using ${using.join(',')}${known.length > 0 ? '' : ' (the default)'}.`,
  );
  return using;
}

/**
 * One propagator for `names` (in order: on extract a later one wins, as in CompositePropagator), or
 * `null` for `none` or when no name is usable: NodeSDK then leaves the global propagator alone.
 * Unknown names are reported to diag and skipped, as sdk-node does.
 */
export function createPropagator(
  names: readonly string[],
  core: CoreModule = loadCore(),
): TextMapPropagator | null {
  if (names.includes('none')) {
    if (names.length > 1) warn(`OTEL_PROPAGATORS contains "none" with other names; no propagator is set.`);
    return null;
  }
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    switch (name) {
      case 'xray':
        propagators.push(new AWSXRayPropagator());
        break;
      case 'xray-lambda':
        propagators.push(new AWSXRayLambdaPropagator());
        break;
      case 'tracecontext':
        propagators.push(new core.W3CTraceContextPropagator());
        break;
      case 'baggage':
        propagators.push(new core.W3CBaggagePropagator());
        break;
      default:
        // getPropagatorNames leaves none of these; for callers that pass names themselves.
        warn(
          `Propagator ${JSON.stringify(name)} requested through OTEL_PROPAGATORS is unknown to ` +
            `@xray-otel/register (known: ${KNOWN_PROPAGATORS.join(', ')}, none); skipped.`,
        );
    }
  }
  if (propagators.length === 0) return null;
  if (propagators.length === 1) return propagators[0];
  return new core.CompositePropagator({ propagators });
}
