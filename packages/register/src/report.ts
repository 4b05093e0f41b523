// Diagnostics that reach a person. OTel's `diag` prints nothing unless OTEL_LOG_LEVEL is set, so a
// typo in OTEL_TRACES_EXPORTER or a daemon nobody runs would turn tracing off without a word. When
// OTEL_LOG_LEVEL is unset, register installs a diag logger at WARN level that hands every warning and
// error to src/problems.ts (which ones are for the person) and writes one stderr line per distinct
// problem, rate-limited (one per key per REPORT_INTERVAL_MS; the next says how many were held
// back). Never stdout, which may be the app's output. With OTEL_LOG_LEVEL set, OTel's console logger
// is in charge as usual (and `none` means nothing at all).
import { Console } from 'node:console';
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { RateLimitedLog } from '@xray-otel/core';
import { getString } from './env';
import type { Env } from './env';
import { LOG_PREFIX, warn } from './log';
import { toProblem } from './problems';
import type { Problem } from './problems';

/** One stderr line per problem per this many milliseconds. */
export const REPORT_INTERVAL_MS = 60_000;

export type ReportWriter = (line: string) => void;

let stderrConsole: Console | undefined;

/**
 * Writes a line to stderr through a Console of our own: not the global `console` (an app or a
 * logger may have replaced console.error), and with `ignoreErrors` so that a closed stderr (EPIPE)
 * cannot become an exception in the app.
 */
export const writeToStderr: ReportWriter = (line) => {
  stderrConsole ??= new Console({ stdout: process.stderr, stderr: process.stderr, ignoreErrors: true });
  stderrConsole.error(line);
};

/** Writes `@xray-otel/register: <message>` lines, at most one per problem key per interval. */
export class PersonReporter {
  private readonly log: RateLimitedLog;

  constructor(write: ReportWriter = writeToStderr, intervalMs = REPORT_INTERVAL_MS, now?: () => number) {
    this.log = new RateLimitedLog(
      (line) => {
        try {
          write(LOG_PREFIX + line);
        } catch {
          // Telemetry must never break the app, not even by failing to say so.
        }
      },
      intervalMs,
      now,
    );
  }

  report(problem: Problem): void {
    this.log.log(problem.key, problem.message);
  }
}

/** A DiagLogger that passes warnings and errors meant for the person (problems.ts) to `reporter`. */
export class ReportingDiagLogger implements DiagLogger {
  constructor(private readonly reporter: PersonReporter) {}

  error(message: string, ...args: unknown[]): void {
    this.forward(message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.forward(message, args);
  }

  info(): void {}

  debug(): void {}

  verbose(): void {}

  private forward(message: string, args: unknown[]): void {
    try {
      const problem = toProblem(message, args);
      if (problem !== undefined) this.reporter.report(problem);
    } catch {
      // Never into the code that called diag.
    }
  }
}

const LOG_LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

/** OTEL_LOG_LEVEL as a DiagLogLevel (any case); undefined when unset; INFO for an unknown name. */
export function getLogLevel(env: Env): DiagLogLevel | undefined {
  const name = getString(env, 'OTEL_LOG_LEVEL');
  if (name === undefined) return undefined;
  return LOG_LEVELS[name.toUpperCase()] ?? DiagLogLevel.INFO;
}

/** The process's reporter: one, so that the ESM entry and the start share what was said. */
let processReporter: PersonReporter | undefined;

/**
 * Installs the diag logger for `env`: OTel's console logger at OTEL_LOG_LEVEL when it is set, else a
 * {@link ReportingDiagLogger} (to `write`, default stderr). Returns which one.
 */
export function setUpDiagnostics(env: Env, write?: ReportWriter): 'console' | 'person' {
  const level = getLogLevel(env);
  if (level !== undefined) {
    diag.setLogger(new DiagConsoleLogger(), { logLevel: level, suppressOverrideMessage: true });
    const name = getString(env, 'OTEL_LOG_LEVEL') as string;
    if (LOG_LEVELS[name.toUpperCase()] === undefined) {
      warn(
        `OTEL_LOG_LEVEL=${JSON.stringify(name)} is not one of ${Object.keys(LOG_LEVELS).join(', ')} ` +
          '(any case); using INFO.',
      );
    }
    return 'console';
  }
  const reporter =
    write === undefined ? (processReporter ??= new PersonReporter()) : new PersonReporter(write);
  diag.setLogger(new ReportingDiagLogger(reporter), {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  return 'person';
}
