#!/usr/bin/env bash
# node-pg (npm, pinned; installed into the build tree on first use) against
# the server. Runs under server.sh. Usage: node_pg_test.sh NODE_PREFIX
set -euo pipefail
prefix="$1"
if [ ! -d "$prefix/node_modules/pg" ]; then
  npm install --silent --no-audit --no-fund --prefix "$prefix" pg@8.13.1 >/dev/null
fi
NODE_PATH="$prefix/node_modules" node "$(dirname "$0")/node_pool_test.js"
