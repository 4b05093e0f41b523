// After `tsc --build` (root `npm run build`): puts into build/ what xray-local loads at run time but
// tsc does not emit, so the installed package works without the repository, ../shared or dev packages.
//  - AWS's segment document schema, from ../shared/schema/ (never copied into git: build/ is ignored),
//    which src/segment-schema.ts loads and overlays.
//  - The OTLP trace definitions (opentelemetry-proto .proto files) with their licence, from the
//    pinned dev dependency @elastic/mockotlpserver, which src/otlp.ts loads with protobufjs.
//  - Stale outputs removed: a build/x.js whose src/x.ts is gone (src/filter.ts became src/filter/)
//    would still win `require('./x')` over build/x/index.js.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(pkg, 'build');

function fail(message) {
  console.error(`xray-local build: ${message}`);
  process.exit(1);
}

function copy(source, target) {
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
}

// AWS's schema.
const shared = resolve(pkg, '..', '..', '..', 'shared');
const schema = join(shared, 'schema', 'xray-segment-schema.json');
if (!existsSync(schema)) {
  fail(
    `AWS's segment schema is missing: ${schema}\n` +
      'Put the shared reference folder (spec, vectors, schema, wire fixtures) beside the repository as ../shared.',
  );
}

// The OTLP definitions: the trace service and what it imports (opentelemetry-proto v1.4.0 there).
const PROTO_PACKAGE = '@elastic/mockotlpserver';
const PROTOS = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/trace/v1/trace.proto',
  'opentelemetry/proto/common/v1/common.proto',
  'opentelemetry/proto/resource/v1/resource.proto',
];
let protoPackage;
try {
  protoPackage = dirname(createRequire(join(pkg, 'package.json')).resolve(`${PROTO_PACKAGE}/package.json`));
} catch {
  fail(`${PROTO_PACKAGE} (the OTLP .proto files) is not installed: run npm ci`);
}
for (const file of [...PROTOS, 'LICENSE'])
  if (!existsSync(join(protoPackage, file)))
    fail(`${PROTO_PACKAGE} has no ${file}: check its pinned version`);

copy(schema, join(build, 'schema', 'xray-segment-schema.json'));
for (const file of [...PROTOS, 'LICENSE']) copy(join(protoPackage, file), join(build, 'otlp-proto', file));

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
