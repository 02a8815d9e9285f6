#!/usr/bin/env bash
# Runs platform_probe.mjs on PGlite 0.4.6 under Node (the pinned tarball the
# build fetched, else the npm registry) and the same probes on `pglite`.
#   platform_probe.sh [PGLITE_BIN]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pglite=${1:-$here/../../build/bin/pglite}
dir=${XDG_CACHE_HOME:-$HOME/.cache}/pglite-native/regress/node-pglite
tarball=${XDG_CACHE_HOME:-$HOME/.cache}/pglite-native/npm/electric-sql-pglite-0.4.6.tgz
[ -f "$tarball" ] || tarball=@electric-sql/pglite@0.4.6
if ! [ -d "$dir/node_modules/@electric-sql/pglite" ]; then
  mkdir -p "$dir" && (cd "$dir" && npm install --silent --no-audit --no-fund "$tarball" >/dev/null)
fi
cp "$here/platform_probe.mjs" "$dir/"
echo "== PGlite 0.4.6 on Node"
(cd "$dir" && node platform_probe.mjs)
echo "== pglite-native ($pglite)"
sed -n "s/^  \['\([^']*\)', \"\(.*\)\"\],$/\1\t\2/p" "$here/platform_probe.mjs" | while IFS=$'\t' read -r cat sql; do
  printf '%s\t%s\t%s\n' "$cat" "$sql" "$("$pglite" -c "$sql" 2>&1 | tr '\n' ' ')"
done
