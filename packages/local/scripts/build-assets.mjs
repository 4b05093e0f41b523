// After `tsc --build` (root `npm run build`): puts into build/ what xray-local loads at run time but
// tsc does not emit, so the installed package works without the repository or ../shared.
//  - AWS's segment document schema, from ../shared/schema/ (never copied into git: build/ is ignored),
//    which src/segment-schema.ts loads and overlays.
//  - Stale outputs removed: a build/x.js whose src/x.ts is gone (src/filter.ts became src/filter/)
//    would still win `require('./x')` over build/x/index.js.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(pkg, 'build');
const shared = resolve(pkg, '..', '..', '..', 'shared');
const source = join(shared, 'schema', 'xray-segment-schema.json');
const target = join(build, 'schema', 'xray-segment-schema.json');

if (!existsSync(source)) {
  console.error(
    `xray-local build: AWS's segment schema is missing: ${source}\n` +
      'Put the shared reference folder (spec, vectors, schema, wire fixtures) beside the repository as ../shared.',
  );
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);

const OUTPUT = /\.(js|d\.ts)(\.map)?$/;
function prune(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = join(folder, entry.name);
    if (entry.isDirectory()) {
      prune(file);
      if (readdirSync(file).length === 0) rmSync(file, { recursive: true });
      continue;
    }
    if (!OUTPUT.test(entry.name)) continue;
    const stem = relative(build, file).replace(OUTPUT, '');
    if (!existsSync(join(pkg, 'src', stem + '.ts'))) rmSync(file);
  }
}
prune(build);
