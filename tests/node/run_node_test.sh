#!/usr/bin/env bash
# Installs node-pg into the build tree (npm, pinned) if needed, starts
# `pglite serve`, runs the pool test, stops the server.
set -euo pipefail
pglite="$1"
workdir="$2"
mkdir -p "$workdir"
if [ ! -d "$workdir/node_modules/pg" ]; then
  npm install --silent --no-audit --no-fund --prefix "$workdir" pg@8.13.1 >/dev/null
fi
out=$(mktemp)
"$pglite" serve --port 0 >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
NODE_PATH="$workdir/node_modules" timeout 120 node "$(dirname "$0")/pool_test.js" "$(head -1 "$out")"
