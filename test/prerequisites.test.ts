// The rule for missing prerequisites (test/helpers/prerequisites.ts) and the CI switches of
// .mocharc.cjs: skipped outside CI with the reason printed, failed under CI=true naming what is missing.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import {
  MISSING_PREREQUISITE,
  MissingPrerequisiteError,
  missingChromium,
  missingPython,
  noticeIfMissing,
  prerequisitesRequired,
  skipIfMissing,
} from './helpers/prerequisites';
import { REPO_ROOT } from './helpers/processes';

const SKIPPED = new Error('skipped');
/** A mocha context whose skip() records the call and throws, as mocha's does. */
function fakeContext(): { context: Mocha.Context; skips: () => number } {
  let skips = 0;
  const context = {
    skip(): never {
      skips++;
      throw SKIPPED;
    },
  } as unknown as Mocha.Context;
  return { context, skips: () => skips };
}

/** Runs `fn` with console.log captured. */
function captureLog<T>(fn: () => T): { result?: T; error?: unknown; lines: string[] } {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(' '));
  try {
    return { result: fn(), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    console.log = original;
  }
}

describe('missing prerequisites: skipped outside CI, failed under CI', () => {
  it('CI=true or XRAY_OTEL_REQUIRE_ALL=1 require every prerequisite; anything else allows skipping', () => {
    assert.equal(prerequisitesRequired({ CI: 'true' }), 'CI=true');
    assert.equal(prerequisitesRequired({ CI: 'TRUE' }), 'CI=true');
    assert.equal(prerequisitesRequired({ XRAY_OTEL_REQUIRE_ALL: '1' }), 'XRAY_OTEL_REQUIRE_ALL=1');
    assert.equal(
      prerequisitesRequired({ CI: 'false', XRAY_OTEL_REQUIRE_ALL: '1' }),
      'XRAY_OTEL_REQUIRE_ALL=1',
    );
    assert.equal(prerequisitesRequired({}), undefined);
    assert.equal(prerequisitesRequired({ CI: 'false', XRAY_OTEL_REQUIRE_ALL: '0' }), undefined);
  });

  it('skipIfMissing: nothing missing runs the test; missing skips with the reason, or throws under CI', () => {
    const present = fakeContext();
    skipIfMissing(present.context, undefined, { CI: 'true' });
    assert.equal(present.skips(), 0);

    const local = fakeContext();
    const skipped = captureLog(() => skipIfMissing(local.context, 'no frobnicator at /x', {}));
    assert.equal(skipped.error, SKIPPED);
    assert.equal(local.skips(), 1);
    assert.deepEqual(skipped.lines, ['      SKIPPED: no frobnicator at /x']);

    const ci = fakeContext();
    const failed = captureLog(() => skipIfMissing(ci.context, 'no frobnicator at /x', { CI: 'true' }));
    assert.ok(failed.error instanceof MissingPrerequisiteError);
    assert.equal((failed.error as MissingPrerequisiteError).code, MISSING_PREREQUISITE);
    assert.match(String((failed.error as Error).message), /CI=true.*no frobnicator at \/x/);
    assert.equal(ci.skips(), 0);
  });

  it('noticeIfMissing: false when present, true with a notice when missing, throws under CI', () => {
    assert.equal(noticeIfMissing(undefined, 'the Flask parts', { CI: 'true' }), false);
    const allowed = captureLog(() => noticeIfMissing('no python3', 'the Flask parts', {}));
    assert.equal(allowed.result, true);
    assert.deepEqual(allowed.lines, ['      NOTICE the Flask parts are left out: no python3']);
    const required = captureLog(() =>
      noticeIfMissing('no python3', 'the Flask parts', { XRAY_OTEL_REQUIRE_ALL: '1' }),
    );
    assert.ok(required.error instanceof MissingPrerequisiteError);
    assert.match(
      String((required.error as Error).message),
      /XRAY_OTEL_REQUIRE_ALL=1.*no python3 \(needed for the Flask parts\)/,
    );
  });

  it('the checks name what is missing and how to install it', () => {
    const python = missingPython('/nonexistent/python3');
    assert.match(
      String(python),
      /\/nonexistent\/python3 with aws_xray_sdk, flask, requests is not available/,
    );
    assert.match(String(python), /pip install aws-xray-sdk flask requests/);
    assert.match(String(missingChromium('/nonexistent/chromium')), /no Chromium at \/nonexistent\/chromium/);
    assert.equal(missingChromium(process.execPath), undefined);
  });

  it('.mocharc.cjs forbids pending tests and .only under CI only', () => {
    const configPath = path.join(REPO_ROOT, '.mocharc.cjs');
    const load = (env: Record<string, string | undefined>) => {
      const saved = { CI: process.env.CI, XRAY_OTEL_REQUIRE_ALL: process.env.XRAY_OTEL_REQUIRE_ALL };
      try {
        for (const [key, value] of Object.entries(env)) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
        delete require.cache[require.resolve(configPath)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(configPath) as Record<string, unknown>;
      } finally {
        for (const [key, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      }
    };
    for (const env of [{ CI: 'true' }, { CI: undefined, XRAY_OTEL_REQUIRE_ALL: '1' }]) {
      const config = load(env);
      assert.equal(config['forbid-pending'], true, JSON.stringify(env));
      assert.equal(config['forbid-only'], true, JSON.stringify(env));
    }
    const local = load({ CI: undefined, XRAY_OTEL_REQUIRE_ALL: undefined });
    assert.equal(local['forbid-pending'], false);
    assert.equal(local['forbid-only'], false);
  });

  describe('in a real mocha run (test/helpers/prerequisites-fixture.ts)', function () {
    this.timeout(60000);
    function runFixture(env: Record<string, string>): Promise<{ code: number; output: string }> {
      const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
      if (env.CI === undefined) delete childEnv.CI;
      if (env.XRAY_OTEL_REQUIRE_ALL === undefined) delete childEnv.XRAY_OTEL_REQUIRE_ALL;
      // nyc's hooks are not wanted in the child: it only runs the fixture.
      for (const key of Object.keys(childEnv)) if (key.startsWith('NYC_')) delete childEnv[key];
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          [
            path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'),
            '--no-config',
            '-r',
            './scripts/mocha-setup.js',
            '--extension',
            'ts',
            '--reporter',
            'spec',
            'test/helpers/prerequisites-fixture.ts',
          ],
          { cwd: REPO_ROOT, env: childEnv },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
        );
      });
    }

    it('outside CI: the suite is skipped with its reason and the run passes', async () => {
      const { code, output } = await runFixture({});
      assert.equal(code, 0, output);
      assert.match(output, /SKIPPED: the frobnicator 3\.1 is not installed/);
      assert.match(output, /1 passing/);
      assert.match(output, /1 pending/);
    });

    it('under CI=true: the run fails and says what is missing', async () => {
      const { code, output } = await runFixture({ CI: 'true' });
      assert.notEqual(code, 0, output);
      assert.match(
        output,
        /MissingPrerequisiteError: missing prerequisite \(CI=true, so it cannot be skipped\): the frobnicator 3\.1 is not installed/,
      );
      assert.doesNotMatch(output, /must not run/);
    });
  });
});
