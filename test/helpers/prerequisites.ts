// Prerequisites a test needs from the machine (python3 with the classic X-Ray SDK, Chromium; the
// backends of test/real-apps, whose `missing*` checks live in test/real-apps/services.ts): one
// rule for every test that cannot run without one. Outside CI a missing prerequisite skips the test
// (or leaves out the parts that need it) and prints why. Under CI (`CI=true`) or with
// `XRAY_OTEL_REQUIRE_ALL=1` it fails instead, naming what is missing: CI installs everything the
// suite needs (.ci/run), so a skip there would only hide a test that no longer runs.
//
//   before(function () {
//     skipIfMissing(this, missingPython());           // whole suite, or one test from inside `it`
//   });
//   if (noticeIfMissing(missingPython(), 'the Flask parts')) { /* run without them */ }
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Stable code of the error thrown when a required prerequisite is missing. */
export const MISSING_PREREQUISITE = 'XRAY_OTEL_MISSING_PREREQUISITE';

export class MissingPrerequisiteError extends Error {
  readonly code = MISSING_PREREQUISITE;
  constructor(missing: string, why: string) {
    super(`missing prerequisite (${why}, so it cannot be skipped): ${missing}`);
    this.name = 'MissingPrerequisiteError';
  }
}

/** Why a missing prerequisite must fail, or undefined when it may be skipped. */
export function prerequisitesRequired(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.XRAY_OTEL_REQUIRE_ALL === '1') return 'XRAY_OTEL_REQUIRE_ALL=1';
  if ((env.CI ?? '').toLowerCase() === 'true') return 'CI=true';
  return undefined;
}

/**
 * `missing` is undefined when the prerequisite is there, else a sentence saying what is missing.
 * When missing: throws {@link MissingPrerequisiteError} under CI, else prints the reason and skips
 * the calling test (called in a `before` hook: every test of the suite). Does not return when it
 * skips (mocha's `this.skip()` throws).
 */
export function skipIfMissing(
  context: Mocha.Context,
  missing: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (missing === undefined) return;
  const required = prerequisitesRequired(env);
  if (required !== undefined) throw new MissingPrerequisiteError(missing, required);
  console.log(`      SKIPPED: ${missing}`);
  context.skip();
}

/**
 * For a test that runs partly without the prerequisite: returns true (after printing which parts
 * are left out) when `missing` is set and skipping is allowed, false when nothing is missing;
 * throws {@link MissingPrerequisiteError} under CI.
 */
export function noticeIfMissing(
  missing: string | undefined,
  leftOut: string,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (missing === undefined) return false;
  const required = prerequisitesRequired(env);
  if (required !== undefined)
    throw new MissingPrerequisiteError(`${missing} (needed for ${leftOut})`, required);
  console.log(`      NOTICE ${leftOut} are left out: ${missing}`);
  return true;
}

/** The Python modules the Flask sample service (test/apps/flask_app.py) imports. */
export const PYTHON_MODULES = ['aws_xray_sdk', 'flask', 'requests'];

/** Undefined when `python3` imports {@link PYTHON_MODULES}, else why not. */
export function missingPython(python = 'python3'): string | undefined {
  try {
    execFileSync(python, ['-c', `import ${PYTHON_MODULES.join(', ')}`], { stdio: 'pipe', timeout: 15000 });
    return undefined;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop();
    return (
      `${python} with ${PYTHON_MODULES.join(', ')} is not available (${stderr || (err as Error).message}); ` +
      `install with: ${python} -m pip install aws-xray-sdk flask requests`
    );
  }
}

/** Undefined when an executable exists at `path`, else why not. */
export function missingChromium(path: string): string | undefined {
  return existsSync(path)
    ? undefined
    : `no Chromium at ${path} (apt-get install chromium, or set CHROMIUM_PATH)`;
}
