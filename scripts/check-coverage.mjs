// The per-package coverage gate of `npm test` (issues #2 and #10), run after nyc: every package
// under packages/ (discovered, not listed: a new package is gated from its first commit) must have
//   - lines measured at all: a package whose src nyc did not see fails (it is not "fully covered");
//   - at least COVERAGE_FLOOR % of its lines covered (default 90);
//   - at least COVERAGE_BRANCH_FLOOR % of its branches covered (default 85; a package without any
//     branch counts as 100 %).
// nyc's own check-coverage is global or per file; we want it per package. Prints one row per package.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const LINE_FLOOR = Number(process.env.COVERAGE_FLOOR ?? 90);
const BRANCH_FLOOR = Number(process.env.COVERAGE_BRANCH_FLOOR ?? 85);
const root = process.cwd();
const summaryPath = join(root, 'coverage', 'coverage-summary.json');

if (!existsSync(summaryPath)) {
  console.error(
    `coverage: ${relative(root, summaryPath)} is missing: run the tests under nyc first (npm test)`,
  );
  process.exit(1);
}
const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));

const perPackage = new Map();
for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
  if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
  perPackage.set(entry.name, {
    files: 0,
    lines: { covered: 0, total: 0 },
    branches: { covered: 0, total: 0 },
  });
}
for (const [file, data] of Object.entries(summary)) {
  if (file === 'total') continue;
  const parts = relative(root, file).split(sep);
  if (parts[0] !== 'packages') continue;
  const entry = perPackage.get(parts[1]);
  if (!entry) continue;
  entry.files++;
  for (const metric of ['lines', 'branches']) {
    entry[metric].covered += data[metric].covered;
    entry[metric].total += data[metric].total;
  }
}

const percent = ({ covered, total }) => (total === 0 ? 100 : (100 * covered) / total);
const cell = (counts) => `${percent(counts).toFixed(2).padStart(6)} % (${counts.covered}/${counts.total})`;

const failures = [];
console.log(`\nCoverage per package (floors: lines ${LINE_FLOOR} %, branches ${BRANCH_FLOOR} %)`);
console.log(`  ${'package'.padEnd(16)} ${'lines'.padEnd(22)} branches`);
for (const [name, { files, lines, branches }] of [...perPackage].sort(([a], [b]) => (a < b ? -1 : 1))) {
  if (lines.total === 0) {
    failures.push(`${name}: no lines measured (nyc saw ${files} file(s) of packages/${name}/src)`);
    console.log(`  ${name.padEnd(16)} NO LINES MEASURED: nyc saw no source of packages/${name}/src`);
    continue;
  }
  const problems = [];
  if (percent(lines) < LINE_FLOOR) problems.push(`lines below ${LINE_FLOOR} %`);
  if (percent(branches) < BRANCH_FLOOR) problems.push(`branches below ${BRANCH_FLOOR} %`);
  for (const problem of problems) failures.push(`${name}: ${problem}`);
  console.log(
    `  ${name.padEnd(16)} ${cell(lines).padEnd(22)} ${cell(branches)}` +
      (problems.length ? '  ' + problems.join(', ').toUpperCase() : ''),
  );
}
if (perPackage.size === 0) failures.push('no package found under packages/');
if (failures.length > 0) {
  console.error(`coverage: ${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
