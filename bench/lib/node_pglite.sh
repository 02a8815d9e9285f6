# PGlite 0.4.6 on Node for the side-by-side benchmarks, installed with npm
# into BUILD/node-bench. The tarball is the one the build already fetched and
# checked by SHA-256 (wasm/manifest.cmake), so the JS side runs exactly the
# wasm we translate. Sourced.
PGLITE_NODE_VERSION=0.4.6

node_pglite_install() {  # BUILD -> prints the directory to run scripts in
  local dir="$1/node-bench" pkg installed cache tarball
  pkg="$dir/node_modules/@electric-sql/pglite/package.json"
  installed=$(sed -n 's/^ *"version": "\(.*\)".*/\1/p' "$pkg" 2>/dev/null | head -1)
  if [ "$installed" != "$PGLITE_NODE_VERSION" ]; then
    mkdir -p "$dir"
    cache=$(sed -n 's/^PGLITE_INPUT_CACHE:[A-Z]*=//p' "$1/CMakeCache.txt" 2>/dev/null)
    tarball="$cache/electric-sql-pglite-$PGLITE_NODE_VERSION.tgz"
    [ -f "$tarball" ] || tarball="@electric-sql/pglite@$PGLITE_NODE_VERSION"
    (cd "$dir" && npm install --silent --no-audit --no-fund --save-exact "$tarball" >/dev/null)
  fi
  echo "$dir"
}
