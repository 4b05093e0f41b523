#!/usr/bin/env bash
# Our packages as a new user gets them, before they are on the registry: `npm run pack` tarballs
# installed into a temporary app OUTSIDE the repository (inside it, resolution would walk up to the
# workspace's node_modules), with express and the OpenTelemetry peers from the registry at the exact
# versions CI tests (test/installed/peers.mjs: the OpenTelemetry JS 2.x line of the root lock file).
# Then: xray-local from the installed @xray-otel/local on free ports, an untraced downstream service,
# and the Express app (test/installed/app.cjs, no tracing code) started with
# `node -r @xray-otel/register app.cjs`; check.mjs sends requests and asserts through xray-local's API
# that the traces arrived (service name, http block, the fault with its cause, the downstream
# subsegment, the service map). Bounded in time; stops what it started and removes the folder.
# Usage: bash test/installed/run.sh   (CI: .ci/run, after npm test; XRAY_OTEL_INSTALLED_KEEP=1 keeps
# the folder for a look)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
service="installed-app"
start=$(date +%s)
elapsed() { echo "$(($(date +%s) - start)) s"; }

work="$(mktemp -d -t xray-otel-installed.XXXXXX)"
case "$work" in "$root"/*)
  echo "installed: $work is inside the repository; set TMPDIR elsewhere" >&2
  exit 1
  ;;
esac
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${XRAY_OTEL_INSTALLED_KEEP:-}" = 1 ]; then echo "installed: kept $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "installed: FAILED after $(elapsed): $*" >&2
  for log in "$work"/*.log; do
    [ -s "$log" ] || continue
    echo "--- $(basename "$log") (last 40 lines)" >&2
    tail -n 40 "$log" >&2
  done
  exit 1
}

# Waits until FILE has a line matching PATTERN (grep -E), at most SECONDS, while PID lives.
wait_for() {
  local file=$1 pattern=$2 seconds=$3 pid=$4 what=$5
  local until=$(($(date +%s) + seconds))
  while ! grep -qE "$pattern" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || fail "$what exited before it was ready"
    [ "$(date +%s)" -lt "$until" ] || fail "$what not ready after $seconds s"
    sleep 0.1
  done
}

echo "installed: packing ($(elapsed))"
(cd "$root" && npm run pack --silent) >"$work/pack.log" 2>&1 || fail "npm run pack"
mapfile -t tarballs < <(grep -oE '[^ ]+\.tgz' "$work/pack.log")
[ "${#tarballs[@]}" -gt 0 ] || fail "npm run pack wrote no tarball"
mapfile -t registry < <(node "$here/peers.mjs" --with express)

echo "installed: npm install in $work: ${#tarballs[@]} tarballs + ${registry[*]} ($(elapsed))"
cd "$work"
printf '{ "name": "xray-otel-installed-app", "private": true }\n' >package.json
cp "$here/app.cjs" "$here/downstream.cjs" "$here/check.mjs" .
timeout 240 npm install --no-audit --no-fund --prefer-offline "${tarballs[@]}" "${registry[@]}" >install.log 2>&1 ||
  fail "npm install (exit $?)"
if grep -E 'ERESOLVE|EBADENGINE|peer dep' install.log >/dev/null; then
  fail "npm install warned about peer dependencies or engines (install.log)"
fi

echo "installed: starting xray-local, the downstream and the app ($(elapsed))"
./node_modules/.bin/xray-local --udp-port 0 --tcp-port 0 --otlp-port 0 --ui-port 0 --quiet >xray-local.log 2>&1 &
pids+=($!)
wait_for xray-local.log 'web viewer:' 20 "${pids[-1]}" "xray-local"
udp_port=$(sed -nE 's/.*segments \(UDP\): +[^ ]+:([0-9]+).*/\1/p' xray-local.log)
tcp_port=$(sed -nE 's/.*sampling API \(TCP\): +[^ ]+:([0-9]+).*/\1/p' xray-local.log)
ui_url=$(sed -nE 's|.*web viewer: +(http://[^/ ]+)/?.*|\1|p' xray-local.log)
[ -n "$udp_port" ] && [ -n "$tcp_port" ] && [ -n "$ui_url" ] || fail "cannot read xray-local's ports from its output"

node downstream.cjs >downstream.log 2>&1 &
pids+=($!)
wait_for downstream.log '^LISTENING [0-9]+' 20 "${pids[-1]}" "the downstream service"
downstream_url="http://127.0.0.1:$(sed -nE 's/^LISTENING ([0-9]+)/\1/p' downstream.log)"

app_start=$(date +%s%N)
OTEL_SERVICE_NAME="$service" AWS_XRAY_DAEMON_ADDRESS="tcp:127.0.0.1:$tcp_port udp:127.0.0.1:$udp_port" \
  DOWNSTREAM_URL="$downstream_url" node -r @xray-otel/register app.cjs --db-password=hunter2-installed >app.log 2>&1 &
pids+=($!)
wait_for app.log '^LISTENING [0-9]+' 60 "${pids[-1]}" "the app (node -r @xray-otel/register app.cjs)"
app_url="http://127.0.0.1:$(sed -nE 's/^LISTENING ([0-9]+)/\1/p' app.log)"
echo "installed: app ready in $((($(date +%s%N) - app_start) / 1000000)) ms; requests and checks ($(elapsed))"

timeout 60 node check.mjs "$app_url" "$ui_url" "$service" "$downstream_url" 30 || fail "check.mjs (exit $?)"
echo "installed: ok in $(elapsed)"
