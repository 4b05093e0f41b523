/** scripts/build-assets.mjs (run by the root `npm run build` after tsc) in a throw-away repository layout. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', 'scripts', 'build-assets.mjs');
const PROTOS = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/trace/v1/trace.proto',
  'opentelemetry/proto/common/v1/common.proto',
  'opentelemetry/proto/resource/v1/resource.proto',
];

/** `<tmp>/repo/packages/local` with the script, some sources and outputs; `<tmp>/shared` when asked. */
function layout(
  withShared: boolean,
  withProtos = true,
): { pkg: string; run: () => ReturnType<typeof spawnSync> } {
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
  // The pinned package that ships the OTLP .proto files, where `npm ci` puts it (the workspace root).
  for (const name of withProtos ? [...PROTOS, 'LICENSE', 'package.json'] : [])
    files[`../../node_modules/@elastic/mockotlpserver/${name}`] =
      name === 'package.json' ? '{}' : `// ${name}`;
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
  it("copies AWS's schema and the OTLP .proto files with their licence, and removes outputs whose source is gone", () => {
    const { pkg, run } = layout(true);
    const result = run();
    assert.equal(result.status, 0, String(result.stderr));
    assert.equal(
      fs.readFileSync(path.join(pkg, 'build', 'schema', 'xray-segment-schema.json'), 'utf8'),
      '{"type":"object"}',
    );
    const build = path.join(pkg, 'build');
    const left = fs
      .readdirSync(build, { recursive: true })
      .map(String)
      .filter((name) => fs.statSync(path.join(build, name)).isFile())
      .sort();
    assert.deepEqual(
      left,
      [
        '.tsbuildinfo',
        path.join('filter', 'index.js'),
        ...[...PROTOS, 'LICENSE'].map((name) => path.join('otlp-proto', name)),
        path.join('schema', 'xray-segment-schema.json'),
        'server.d.ts.map',
        'server.js',
      ].sort(),
    );
    assert.ok(!fs.existsSync(path.join(build, 'old')), 'a folder left empty is removed');
    assert.equal(
      fs.readFileSync(path.join(pkg, 'build', 'otlp-proto', PROTOS[1]), 'utf8'),
      `// ${PROTOS[1]}`,
    );
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

  it('fails with a clear message when the package with the OTLP .proto files is not installed', () => {
    const { run } = layout(true, false);
    const result = run();
    assert.equal(result.status, 1);
    assert.match(
      String(result.stderr),
      /@elastic\/mockotlpserver \(the OTLP \.proto files\) is not installed: run npm ci/,
    );
  });
});
