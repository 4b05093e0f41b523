import * as assert from 'node:assert/strict';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import {
  PersonReporter,
  REPORT_INTERVAL_MS,
  ReportingDiagLogger,
  getLogLevel,
  setUpDiagnostics,
  writeToStderr,
} from '../src/report';

/** Lines written to process.stderr / process.stdout while `fn` runs. */
function captureStdio(fn: () => void): { stderr: string; stdout: string } {
  const captured = { stderr: '', stdout: '' };
  const stderrWrite = process.stderr.write;
  const stdoutWrite = process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    captured.stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    captured.stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stderr.write = stderrWrite;
    process.stdout.write = stdoutWrite;
  }
  return captured;
}

describe('register report (diagnostics for a person)', () => {
  afterEach(() => diag.disable());

  it('one line per problem key per interval, prefixed; the next says how many were held back', () => {
    const lines: string[] = [];
    let now = 1000;
    const reporter = new PersonReporter(
      (line) => lines.push(line),
      REPORT_INTERVAL_MS,
      () => now,
    );
    for (let i = 0; i < 5; i++) reporter.report({ key: 'a', message: 'problem a' });
    reporter.report({ key: 'b', message: 'problem b' });
    assert.deepEqual(lines, ['@xray-otel/register: problem a', '@xray-otel/register: problem b']);
    now += REPORT_INTERVAL_MS;
    reporter.report({ key: 'a', message: 'problem a' });
    assert.equal(lines[2], '@xray-otel/register: problem a (4 similar messages suppressed)');
  });

  it('a writer that throws costs nothing', () => {
    const reporter = new PersonReporter(() => {
      throw new Error('EPIPE');
    });
    reporter.report({ key: 'a', message: 'x' });
  });

  it('the diag logger forwards warnings and errors meant for the person, nothing else', () => {
    const lines: string[] = [];
    const logger = new ReportingDiagLogger(new PersonReporter((line) => lines.push(line)));
    logger.warn('@xray-otel/register: OTEL_X="y" is not "true" or "false"; using false.');
    logger.error('@xray-otel/register: tracing is disabled', new Error('boom'));
    logger.warn('Invalid attribute value set for key: k');
    logger.info();
    logger.debug();
    logger.verbose();
    assert.deepEqual(lines, [
      '@xray-otel/register: OTEL_X="y" is not "true" or "false"; using false.',
      '@xray-otel/register: tracing is disabled: boom',
    ]);
    // A message that is not a string (diag is untyped at runtime) is no problem of ours.
    logger.warn(null as unknown as string);
    assert.equal(lines.length, 2);
  });

  it('OTEL_LOG_LEVEL names, any case; unknown means INFO', () => {
    assert.equal(getLogLevel({}), undefined);
    assert.equal(getLogLevel({ OTEL_LOG_LEVEL: 'Warn' }), DiagLogLevel.WARN);
    assert.equal(getLogLevel({ OTEL_LOG_LEVEL: 'chatty' }), DiagLogLevel.INFO);
  });

  it('OTEL_LOG_LEVEL unset: diag warnings become stderr lines (never stdout), debug stays quiet', () => {
    const lines: string[] = [];
    assert.equal(
      setUpDiagnostics({}, (line) => lines.push(line)),
      'person',
    );
    diag.debug('@xray-otel/register: debug detail');
    diag.info('@xray-otel/register: started');
    diag.warn('@xray-otel/register: a bad value; using the default.');
    assert.deepEqual(lines, ['@xray-otel/register: a bad value; using the default.']);

    // The default writer: process.stderr, through a Console of its own.
    const stdio = captureStdio(() => {
      setUpDiagnostics({});
      diag.warn('@xray-otel/register: to stderr');
      diag.warn('@xray-otel/register: to stderr');
    });
    assert.equal(stdio.stderr, '@xray-otel/register: to stderr\n');
    assert.equal(stdio.stdout, '');
    assert.equal(captureStdio(() => writeToStderr('direct')).stderr, 'direct\n');
  });

  it("OTEL_LOG_LEVEL set: OTel's console logger at that level; none prints nothing", () => {
    const lines: string[] = [];
    const stdio = captureStdio(() => {
      assert.equal(
        setUpDiagnostics({ OTEL_LOG_LEVEL: 'none' }, (line) => lines.push(line)),
        'console',
      );
      diag.error('@xray-otel/register: tracing is disabled');
    });
    assert.deepEqual(lines, []);
    assert.deepEqual(stdio, { stderr: '', stdout: '' });
  });

  it('an unknown OTEL_LOG_LEVEL is said (at INFO, by the console logger)', () => {
    const stdio = captureStdio(() => setUpDiagnostics({ OTEL_LOG_LEVEL: 'chatty' }));
    assert.match(stdio.stderr, /OTEL_LOG_LEVEL="chatty" is not one of NONE, .*; using INFO\./);
  });
});
