// Prints, one per line, `<name>@<version>` for every OpenTelemetry peer dependency a user must install
// with our packages (the non-optional peerDependencies of packages/*, other than our own), at the
// exact version CI tests: the one in the given lock file (default: the root package-lock.json, the
// OpenTelemetry JS 2.x line; test/compat-otel3/package-lock.json is the 3.x line). `--with express`
// adds other packages the same way. Used by test/installed/run.sh; the root README's install lines
// are checked against the same rule by test/package-metadata.test.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const args = process.argv.slice(2);
const extra = [];
let lockFile = join(root, 'package-lock.json');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--with') extra.push(args[++i]);
  else lockFile = resolve(args[i]);
}

const peers = new Set();
for (const dir of readdirSync(join(root, 'packages'))) {
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  for (const name of Object.keys(pkg.peerDependencies ?? {}))
    if (!name.startsWith('@xray-otel/') && !pkg.peerDependenciesMeta?.[name]?.optional) peers.add(name);
}

const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
for (const name of [...[...peers].sort(), ...extra]) {
  const version = lock.packages?.[`node_modules/${name}`]?.version;
  if (!version) {
    console.error(`peers: ${name} is not installed at the top of ${lockFile}`);
    process.exit(1);
  }
  console.log(`${name}@${version}`);
}
