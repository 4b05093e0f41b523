// Runs every bench/*.bench.mjs (or the ones named on the command line) one after another and
// prints their tables. Each bench compares our code with its peers in the same process, so the
// ratios are meaningful on a noisy machine even when absolute numbers are not.
// BENCH_QUICK=1 shortens every run (CI smoke test: the code paths still execute).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
for (const file of files) {
  console.log(`\n### ${file}`);
  await import(pathToFileURL(join(here, file)).href);
}
