// `npm run pack [-- <folder>]`: builds every package, then writes an installable tarball of each
// (`npm pack --workspaces`) into <folder> (default dist/, git-ignored), replacing the tarballs of an
// earlier run. The one way this repository packs: test/compat-otel3/run.sh and
// test/installed/run.sh use it too. Each tarball is checked for what an installed copy needs
// (package.json, LICENSE, README.md, CHANGELOG.md, and every file that main, types, bin and
// exports point at); a missing one fails with the package and the file named.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const destination = resolve(process.argv[2] ?? join(root, 'dist'));

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    process.stderr.write(result.stderr ?? '');
    console.error(`pack: ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
  return result.stdout;
}

/** Files an installed copy of `pkg` loads: main, types, bin and every exports target. */
function entryFiles(pkg) {
  const files = new Set(['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md']);
  const add = (target) => {
    if (typeof target === 'string') files.add(target.replace(/^\.\//, ''));
    else if (target && typeof target === 'object') Object.values(target).forEach(add);
  };
  add(pkg.main);
  add(pkg.types);
  add(pkg.bin);
  add(pkg.exports);
  return [...files];
}

run('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'inherit', 'pipe'] });

mkdirSync(destination, { recursive: true });
for (const name of readdirSync(destination))
  if (/^xray-otel-.*\.tgz$/.test(name)) rmSync(join(destination, name));

const packed = JSON.parse(
  run('npm', ['pack', '--workspaces', '--pack-destination', destination, '--json', '--loglevel=error']),
);

const manifests = new Map(
  readdirSync(join(root, 'packages')).flatMap((dir) => {
    try {
      const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
      return [[pkg.name, pkg]];
    } catch {
      return [];
    }
  }),
);

let missing = 0;
for (const tarball of packed) {
  const pkg = manifests.get(tarball.name);
  const inside = new Set(tarball.files.map((file) => file.path));
  for (const file of entryFiles(pkg)) {
    if (inside.has(file)) continue;
    console.error(`pack: ${tarball.filename} lacks ${file}`);
    missing++;
  }
  console.log(`${join(destination, tarball.filename)}  (${tarball.entryCount} files, ${tarball.size} bytes)`);
}
if (missing > 0) process.exit(1);
