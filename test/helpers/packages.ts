// The workspace's packages as the packaging tests see them: every folder under packages/ that holds
// a package.json (found, not listed, so a new package is checked as soon as it exists).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface PackageJson {
  name: string;
  version?: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  files?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

/** `packages/<name>` for every package, sorted. */
export function packageDirs(): string[] {
  return readdirSync(path.join(REPO_ROOT, 'packages'), { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(path.join(REPO_ROOT, 'packages', entry.name, 'package.json')),
    )
    .map((entry) => `packages/${entry.name}`)
    .sort();
}

/** The package.json of a folder relative to the repository root (`.` for the root). */
export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8')) as PackageJson;
}
