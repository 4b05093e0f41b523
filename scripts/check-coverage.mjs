// Prints line coverage per package and fails when one is under the floor (issue #2: >= 90 % each).
// nyc's own check-coverage is global or per file; we want it per package.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const FLOOR = Number(process.env.COVERAGE_FLOOR ?? 90);
const root = process.cwd();
const summary = JSON.parse(readFileSync(join(root, 'coverage', 'coverage-summary.json'), 'utf8'));
const perPackage = new Map();
for (const name of readdirSync(join(root, 'packages'))) perPackage.set(name, { covered: 0, total: 0 });
for (const [file, data] of Object.entries(summary)) {
  if (file === 'total') continue;
  const parts = relative(root, file).split(sep);
  if (parts[0] !== 'packages') continue;
  const entry = perPackage.get(parts[1]);
  if (!entry) continue;
  entry.covered += data.lines.covered;
  entry.total += data.lines.total;
}
let failed = false;
console.log('\nLine coverage per package (floor ' + FLOOR + ' %)');
for (const [name, { covered, total }] of perPackage) {
  if (total === 0) {
    console.log(`  ${name.padEnd(16)} no source yet`);
    continue;
  }
  const pct = (100 * covered) / total;
  const ok = pct >= FLOOR;
  if (!ok) failed = true;
  console.log(
    `  ${name.padEnd(16)} ${pct.toFixed(2).padStart(6)} %  (${covered}/${total})${ok ? '' : '  BELOW FLOOR'}`,
  );
}
if (failed) {
  console.error('coverage: at least one package is below ' + FLOOR + ' % of lines');
  process.exit(1);
}
