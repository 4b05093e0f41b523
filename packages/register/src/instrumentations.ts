// The auto-instrumentations of @opentelemetry/auto-instrumentations-node. getNodeAutoInstrumentations
// itself honours OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS and leaves
// fs off by default; like ADOT we also leave dns off unless one of those variables is set, since a
// subsegment per DNS lookup is noise on the X-Ray service map and trace timeline.
// The aws-sdk instrumentation runs with suppressInternalInstrumentation, as the classic SDK's
// captureAWSv3Client does: one subsegment per AWS call, not a second `POST` under it from the http
// instrumentation (which would also add a `POST` node to the service map). The http and undici
// instrumentations capture the Content-Length response header, which gives segments their
// `content_length` (as the classic SDK has it); the pg one records the database user (`sql.user`).
// An explicit config of the user's wins.
import { getString } from './env';
import type { Env } from './env';
import type { Instrumentation } from './otel';

export type InstrumentationConfigs = Record<string, { enabled?: boolean } & Record<string, unknown>>;

export const DEFAULT_DISABLED_INSTRUMENTATIONS = ['@opentelemetry/instrumentation-dns'];

export const AWS_SDK_INSTRUMENTATION = '@opentelemetry/instrumentation-aws-sdk';
export const HTTP_INSTRUMENTATION = '@opentelemetry/instrumentation-http';
export const UNDICI_INSTRUMENTATION = '@opentelemetry/instrumentation-undici';

/**
 * The response header the translator takes `http.response.content_length` from: today's http and
 * undici instrumentations record no response size attribute, so without it every segment said 0.
 */
const CONTENT_LENGTH = ['content-length'];

export const PG_INSTRUMENTATION = '@opentelemetry/instrumentation-pg';

/** The part of instrumentation-pg's requestHook arguments read here. */
interface PgQueryInfo {
  connection?: { user?: unknown };
}

/**
 * instrumentation-pg records no database user; the classic SDK's capturePostgres does (`sql.user`).
 * `db.user` is the key both our translator and the collector read for it. Also the connectionHook
 * (`pg.connect`, `pg-pool.connect` spans, which get the same argument shape). Never throws.
 */
export function pgUserRequestHook(
  span: { setAttribute(key: string, value: string): unknown },
  info: PgQueryInfo,
): void {
  const user = info?.connection?.user;
  if (typeof user === 'string' && user !== '') span.setAttribute('db.user', user);
}

/** The configs passed to getNodeAutoInstrumentations: the user's, plus our defaults. */
export function getInstrumentationConfigs(
  env: Env,
  configs: InstrumentationConfigs = {},
): InstrumentationConfigs {
  const result: InstrumentationConfigs = { ...configs };
  const envChoice =
    getString(env, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS') !== undefined ||
    getString(env, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS') !== undefined;
  if (!envChoice) {
    for (const name of DEFAULT_DISABLED_INSTRUMENTATIONS) {
      if (result[name] === undefined) result[name] = { enabled: false };
    }
  }
  result[HTTP_INSTRUMENTATION] = {
    headersToSpanAttributes: {
      client: { responseHeaders: CONTENT_LENGTH },
      server: { responseHeaders: CONTENT_LENGTH },
    },
    ...result[HTTP_INSTRUMENTATION],
  };
  result[UNDICI_INSTRUMENTATION] = {
    headersToSpanAttributes: { responseHeaders: CONTENT_LENGTH },
    ...result[UNDICI_INSTRUMENTATION],
  };
  result[PG_INSTRUMENTATION] = {
    requestHook: pgUserRequestHook,
    connectionHook: pgUserRequestHook,
    ...result[PG_INSTRUMENTATION],
  };
  result[AWS_SDK_INSTRUMENTATION] = {
    suppressInternalInstrumentation: true,
    ...result[AWS_SDK_INSTRUMENTATION],
  };
  return result;
}

type GetNodeAutoInstrumentations = (configs?: InstrumentationConfigs) => Instrumentation[];

/** Loaded on first use: a peer dependency, not needed when the user passes instrumentations. */
function loadGetNodeAutoInstrumentations(): GetNodeAutoInstrumentations {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('@opentelemetry/auto-instrumentations-node') as {
    getNodeAutoInstrumentations: GetNodeAutoInstrumentations;
  };
  return module.getNodeAutoInstrumentations;
}

/** Creates (and so enables) the auto-instrumentations. */
export function createInstrumentations(
  env: Env,
  configs?: InstrumentationConfigs,
  load: () => GetNodeAutoInstrumentations = loadGetNodeAutoInstrumentations,
): Instrumentation[] {
  return load()(getInstrumentationConfigs(env, configs));
}
