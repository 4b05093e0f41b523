/** scripts/build-assets.mjs (run by the root `npm run build` after tsc) in a throw-away repository layout. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', 'scripts', 'build-assets.mjs');

/** `<tmp>/repo/packages/local` with the script, some sources and outputs; `<tmp>/shared` when asked. */
function layout(withShared: boolean): { pkg: string; run: () => ReturnType<typeof spawnSync> } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'build-assets-'));
  const pkg = path.join(tmp, 'repo', 'packages', 'local');
  const files: Record<string, string> = {
    'scripts/build-assets.mjs': fs.readFileSync(SCRIPT, 'utf8'),
    'src/server.ts': '',
    'src/filter/index.ts': '',
    'build/server.js': '',
    'build/server.d.ts.map': '',
    'build/filter/index.js': '',
    'build/.tsbuildinfo': '{}',
    // Outputs of src/filter.ts and src/old/gone.ts, which no longer exist.
    'build/filter.js': '',
    'build/filter.d.ts': '',
    'build/filter.js.map': '',
    'build/old/gone.js': '',
  };
  if (withShared) files['../../../shared/schema/xray-segment-schema.json'] = '{"type":"object"}';
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(pkg, name)), { recursive: true });
    fs.writeFileSync(path.join(pkg, name), text);
  }
  return {
    pkg,
    run: () =>
      spawnSync(process.execPath, [path.join(pkg, 'scripts', 'build-assets.mjs')], { encoding: 'utf8' }),
  };
}

describe('build-assets', () => {
  it("copies AWS's schema from ../shared into build/schema/ and removes outputs whose source is gone", () => {
    const { pkg, run } = layout(true);
    const result = run();
    assert.equal(result.status, 0, String(result.stderr));
    assert.equal(
      fs.readFileSync(path.join(pkg, 'build', 'schema', 'xray-segment-schema.json'), 'utf8'),
      '{"type":"object"}',
    );
    const left = fs.readdirSync(path.join(pkg, 'build'), { recursive: true }).map(String).sort();
    assert.deepEqual(left, [
      '.tsbuildinfo',
      'filter',
      path.join('filter', 'index.js'),
      'schema',
      path.join('schema', 'xray-segment-schema.json'),
      'server.d.ts.map',
      'server.js',
    ]);
  });

  it('fails with a clear message when ../shared/schema is missing', () => {
    const { pkg, run } = layout(false);
    const result = run();
    assert.equal(result.status, 1);
    assert.match(
      String(result.stderr),
      /AWS's segment schema is missing: .*shared.schema.xray-segment-schema\.json/,
    );
    assert.match(String(result.stderr), /beside the repository as \.\.\/shared/);
    assert.ok(fs.existsSync(path.join(pkg, 'build', 'filter.js')), 'nothing is touched');
  });
});
