import { diag, DiagLogLevel } from '@opentelemetry/api';

/** Captures diag messages (as "level: message") while `fn` runs. */
export function captureDiag<T>(fn: () => T): { result: T; messages: string[] } {
  const messages: string[] = [];
  const record =
    (level: string) =>
    (message: string): void => {
      messages.push(`${level}: ${message}`);
    };
  diag.setLogger(
    {
      error: record('error'),
      warn: record('warn'),
      info: record('info'),
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true },
  );
  try {
    return { result: fn(), messages };
  } finally {
    diag.disable();
  }
}
