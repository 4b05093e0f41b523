// What npm shows for every package under packages/* (found, not listed): the licence and where the
// code, home page and issues are.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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
