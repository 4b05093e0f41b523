// The per-package coverage gate (scripts/check-coverage.mjs), run on made-up nyc summaries in a
// temporary folder laid out like the repository.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './helpers/processes';

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'check-coverage.mjs');

interface Counts {
  lines: [number, number];
  branches: [number, number];
}

/** A folder with packages/<name>/ for each name and coverage/coverage-summary.json for `files`. */
function layout(packages: string[], files: Record<string, Counts> | undefined): string {
  const root = mkdtempSync(path.join(tmpdir(), 'check-coverage-'));
  mkdirSync(path.join(root, 'packages'));
  for (const name of packages) mkdirSync(path.join(root, 'packages', name, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'packages', 'README.md'), 'not a package');
  if (files !== undefined) {
    const metric = ([covered, total]: [number, number]) => ({
      covered,
      total,
      skipped: 0,
      pct: total === 0 ? 100 : (100 * covered) / total,
    });
    const summary: Record<string, unknown> = { total: {} };
    for (const [file, counts] of Object.entries(files)) {
      summary[path.join(root, file)] = {
        lines: metric(counts.lines),
        branches: metric(counts.branches),
        statements: metric(counts.lines),
        functions: metric([1, 1]),
      };
    }
    mkdirSync(path.join(root, 'coverage'));
    writeFileSync(path.join(root, 'coverage', 'coverage-summary.json'), JSON.stringify(summary));
  }
  return root;
}

function check(root: string, env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const childEnv = { ...process.env, ...env };
  if (env.COVERAGE_FLOOR === undefined) delete childEnv.COVERAGE_FLOOR;
  if (env.COVERAGE_BRANCH_FLOOR === undefined) delete childEnv.COVERAGE_BRANCH_FLOOR;
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT], { cwd: root, env: childEnv }, (error, stdout, stderr) => {
      rmSync(root, { recursive: true, force: true });
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

const GOOD: Counts = { lines: [95, 100], branches: [90, 100] };

describe('coverage gate (scripts/check-coverage.mjs)', function () {
  this.timeout(20000);

  it('passes when every package has >= 90 % of lines and >= 85 % of branches, and prints both', async () => {
    const { code, output } = await check(
      layout(['api', 'translator'], {
        'packages/api/src/index.ts': { lines: [9, 10], branches: [17, 20] },
        'packages/translator/src/a.ts': GOOD,
        'packages/translator/src/b.ts': { lines: [10, 10], branches: [0, 0] },
        'scripts/elsewhere.ts': { lines: [0, 10], branches: [0, 10] },
      }),
    );
    assert.equal(code, 0, output);
    assert.match(output, /floors: lines 90 %, branches 85 %/);
    assert.match(output, /api +90\.00 % \(9\/10\) +85\.00 % \(17\/20\)/);
    assert.match(output, /translator +95\.45 % \(105\/110\) +90\.00 % \(90\/100\)/);
    assert.doesNotMatch(output, /README/);
  });

  it('fails a package under the line floor or under the branch floor, naming it', async () => {
    const lines = await check(
      layout(['api', 'translator'], {
        'packages/api/src/index.ts': { lines: [89, 100], branches: [100, 100] },
        'packages/translator/src/a.ts': GOOD,
      }),
    );
    assert.equal(lines.code, 1, lines.output);
    assert.match(lines.output, /api: lines below 90 %/);
    assert.doesNotMatch(lines.output, /translator: /);

    const branches = await check(
      layout(['api', 'translator'], {
        'packages/api/src/index.ts': GOOD,
        'packages/translator/src/a.ts': { lines: [100, 100], branches: [84, 100] },
      }),
    );
    assert.equal(branches.code, 1, branches.output);
    assert.match(branches.output, /translator: branches below 85 %/);
    assert.match(branches.output, /BRANCHES BELOW 85 %/);
  });

  it('fails a package nyc measured nothing of: a new package is not "fully covered"', async () => {
    const { code, output } = await check(
      layout(['core', 'translator'], {
        'packages/translator/src/a.ts': GOOD,
        'packages/core/src/empty.ts': { lines: [0, 0], branches: [0, 0] },
      }),
    );
    assert.equal(code, 1, output);
    assert.match(output, /core +NO LINES MEASURED/);
    assert.match(output, /core: no lines measured \(nyc saw 1 file\(s\) of packages\/core\/src\)/);

    const unseen = await check(layout(['core', 'translator'], { 'packages/translator/src/a.ts': GOOD }));
    assert.equal(unseen.code, 1, unseen.output);
    assert.match(unseen.output, /core: no lines measured \(nyc saw 0 file\(s\)/);
  });

  it('floors can be raised through COVERAGE_FLOOR and COVERAGE_BRANCH_FLOOR', async () => {
    const files = { 'packages/api/src/index.ts': GOOD };
    assert.equal((await check(layout(['api'], files), { COVERAGE_FLOOR: '96' })).code, 1);
    assert.equal((await check(layout(['api'], files), { COVERAGE_BRANCH_FLOOR: '91' })).code, 1);
    assert.equal((await check(layout(['api'], files), { COVERAGE_BRANCH_FLOOR: '90' })).code, 0);
  });

  it('fails without a coverage summary, or without any package', async () => {
    const missing = await check(layout(['api'], undefined));
    assert.equal(missing.code, 1);
    assert.match(missing.output, /coverage\/coverage-summary\.json is missing/);
    const none = await check(layout([], {}));
    assert.equal(none.code, 1);
    assert.match(none.output, /no package found under packages\//);
  });
});
