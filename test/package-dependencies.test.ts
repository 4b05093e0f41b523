// Every package declares exactly what its src uses: a package its src imports must be in its
// `dependencies` or `peerDependencies` (else an installed copy fails with "Cannot find module", or
// works only by luck of hoisting), and a package it declares must be used by its src (else every
// user installs it for nothing). Packages are found under packages/*, so a new one is checked too.
//
// "Imports" are read from the syntax tree (comments do not count): `import` / `export ... from`,
// `import x = require()`, `require()`, `import()`, `require.resolve()` and `import('x').Type`, with a
// string literal. A declared package also counts as used when its name is a string literal in src:
// that is how a package loaded by name at run time is written (e.g. the OTLP exporter per protocol).
// Built-in modules and the package's own name (its subpath exports) are left out.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';
import { REPO_ROOT, packageDirs, readPackageJson } from './helpers/packages';

interface SourceUse {
  /** Package name → first file that imports it. */
  imported: Map<string, string>;
  /** Every string literal in src (for packages loaded by name). */
  literals: Set<string>;
}

const BUILTINS = new Set(builtinModules);

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) ? undefined : name;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(c|m)?[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** Module specifiers (string literals) used by one file. */
export function moduleSpecifiers(
  fileName: string,
  text: string,
): { specifiers: string[]; literals: string[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const literals: string[] = [];
  const literal = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) specifiers.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node)) literals.push(node.text);
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isResolve =
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'require' &&
        callee.name.text === 'resolve';
      if (isRequire || isImport || isResolve) literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { specifiers, literals };
}

function sourceUse(dir: string, ownName: string): SourceUse {
  const imported = new Map<string, string>();
  const literals = new Set<string>();
  for (const file of sourceFiles(path.join(REPO_ROOT, dir, 'src'))) {
    const found = moduleSpecifiers(file, readFileSync(file, 'utf8'));
    for (const specifier of found.specifiers) {
      const name = packageOf(specifier);
      if (name && name !== ownName && !imported.has(name)) imported.set(name, path.relative(REPO_ROOT, file));
    }
    for (const text of found.literals) literals.add(text);
  }
  return { imported, literals };
}

describe('package dependencies match what src uses', () => {
  it('reads imports from the syntax tree', () => {
    const { specifiers, literals } = moduleSpecifiers(
      'x.ts',
      [
        "import { a } from '@scope/a/sub';",
        "import type { B } from 'b';",
        "export * from './local';",
        "import c = require('c');",
        "const d = require('d'); const e = import('e'); require.resolve('f/g.js');",
        "type H = import('h').H;",
        "// require('not-me')",
        "const byName = { json: '@scope/loaded-by-name' };",
      ].join('\n'),
    );
    assert.deepEqual(specifiers, ['@scope/a/sub', 'b', './local', 'c', 'd', 'e', 'f/g.js', 'h']);
    assert.ok(literals.includes('@scope/loaded-by-name'));
    assert.deepEqual(['@scope/a/sub', 'f/g.js', './local', 'node:fs', 'http', 'zlib'].map(packageOf), [
      '@scope/a',
      'f',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  for (const dir of packageDirs()) {
    describe(dir, () => {
      const pkg = readPackageJson(dir);
      const declared = new Set([
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}),
      ]);
      const use = sourceUse(dir, pkg.name);

      it('declares every package its src imports (dependencies or peerDependencies)', () => {
        const undeclared = [...use.imported]
          .filter(([name]) => !declared.has(name))
          .map(([name, file]) => `${name} (imported by ${file})`);
        assert.deepEqual(undeclared, [], `${dir}/package.json does not declare`);
      });

      it('uses every package it declares', () => {
        const unused = [...declared].filter(
          (name) =>
            !use.imported.has(name) &&
            !use.literals.has(name) &&
            ![...use.literals].some((text) => text.startsWith(`${name}/`)),
        );
        assert.deepEqual(unused, [], `${dir}/package.json declares packages its src never uses`);
      });

      it('declares no package twice, and an optional peer only as a peer', () => {
        const both = Object.keys(pkg.dependencies ?? {}).filter(
          (name) => name in (pkg.peerDependencies ?? {}),
        );
        assert.deepEqual(both, [], 'in both dependencies and peerDependencies');
        for (const name of Object.keys(pkg.peerDependenciesMeta ?? {}))
          assert.ok(
            name in (pkg.peerDependencies ?? {}),
            `peerDependenciesMeta.${name} without a peer dependency`,
          );
      });
    });
  }
});
