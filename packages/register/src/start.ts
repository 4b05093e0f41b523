// What `node -r @xray-otel/register` / `--import @xray-otel/register` do: start a NodeSDK configured
// for X-Ray from environment variables. Never throws into the app: a problem is reported and the
// app runs on without tracing.
import { diag } from '@opentelemetry/api';
import { xrayNodeSDKConfig } from './config';
import type { XRayNodeSDKOptions } from './config';
import { isSdkDisabled } from './env';
import type { Env } from './env';
import { LOG_PREFIX } from './log';
import { loadSdkNode } from './otel';
import type { NodeSDKLike, SdkNodeModule } from './otel';
import { setUpDiagnostics } from './report';
import type { ReportWriter } from './report';
import { installShutdownHooks } from './shutdown';
import type { ProcessLike } from './shutdown';

export { getLogLevel } from './report';

export interface StartOptions {
  /** Default: the real process (env, signals). */
  process?: ProcessLike & { env: Env };
  /** Passed to xrayNodeSDKConfig (env is always the process's). */
  config?: Omit<XRayNodeSDKOptions, 'env'>;
  sdkNode?: SdkNodeModule;
  /**
   * Where the lines for the person go when OTEL_LOG_LEVEL is unset (a failed start, a bad setting, an
   * unreachable daemon: see report.ts). Default: stderr.
   */
  reportError?: ReportWriter;
  timeoutMs?: number;
}

/** Runs `fn` with `names` removed from process.env, restoring them afterwards. */
export function withoutProcessEnv<T>(names: readonly string[], fn: () => T): T {
  const saved = new Map<string, string>();
  for (const name of names) {
    const value = process.env[name];
    if (value !== undefined) {
      saved.set(name, value);
      delete process.env[name];
    }
  }
  try {
    return fn();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}

/**
 * Starts the SDK unless OTEL_SDK_DISABLED=true. Returns it, or undefined when nothing was started
 * (disabled, or a problem that was reported).
 */
export function startFromEnvironment(options: StartOptions = {}): NodeSDKLike | undefined {
  const proc = options.process ?? process;
  const env = proc.env;
  if (isSdkDisabled(env)) return undefined;

  setUpDiagnostics(env, options.reportError);
  const report = (error: unknown): void => {
    const reason = error instanceof Error ? error.message : String(error);
    // To stderr through the person reporter when OTEL_LOG_LEVEL is unset, else to OTel's console logger.
    diag.error(`${LOG_PREFIX}tracing is disabled, the application runs without it: ${reason}`);
  };

  try {
    const config = xrayNodeSDKConfig({ ...options.config, env });
    const { NodeSDK } = options.sdkNode ?? loadSdkNode();
    // NodeSDK would set a second diag logger from OTEL_LOG_LEVEL (and warn that it overrides ours).
    const sdk = withoutProcessEnv(['OTEL_LOG_LEVEL'], () => new NodeSDK(config));
    sdk.start();
    const processors = config.spanProcessors;
    installShutdownHooks({
      process: proc,
      flush: () => Promise.all(processors.map((processor) => processor.forceFlush())),
      shutdown: () => sdk.shutdown(),
      timeoutMs: options.timeoutMs,
    });
    diag.info(`${LOG_PREFIX}OpenTelemetry started for AWS X-Ray`);
    return sdk;
  } catch (error) {
    report(error);
    return undefined;
  }
}

const STARTED = Symbol.for('@xray-otel/register.started');

/** startFromEnvironment() once per process, even if the package is loaded twice (-r and --import). */
export function startOnce(options?: StartOptions): NodeSDKLike | undefined {
  const global = globalThis as { [STARTED]?: boolean };
  if (global[STARTED]) return undefined;
  global[STARTED] = true;
  return startFromEnvironment(options);
}
