// register's own diag lines carry the package name, so that the person-facing reporter
// (problems.ts) knows them for ours, and a reader of OTEL_LOG_LEVEL output knows where they come from.
import { diag } from '@opentelemetry/api';

export const LOG_PREFIX = '@xray-otel/register: ';

/** A misconfiguration or lost data: `diag.warn` with our prefix. */
export function warn(message: string): void {
  diag.warn(LOG_PREFIX + message);
}
