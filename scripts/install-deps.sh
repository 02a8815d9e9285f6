#!/usr/bin/env bash
# Installs everything the build and the tests need on Debian 12.
set -euo pipefail
# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"
PKGS=(
  build-essential cmake ninja-build ccache pkg-config python3 wabt
  libarchive-dev libzstd-dev libuv1-dev libssl-dev libedit-dev
  # the static pglite CLI (PGLITE_STATIC_CLI): libedit's own static dependencies
  libncurses-dev libbsd-dev libmd-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # tests/packaging: `pkg-config --static --libs pglite` names libarchive's
  # private libraries (-lacl -llz4), which libarchive-dev does not pull in
  libacl1-dev liblz4-dev
  # tests/server: real clients against `pglite serve` (psql, libpq, psycopg2,
  # and pgbench plus the native server that checks the tests, from postgresql-15)
  postgresql-client libpq-dev python3-psycopg2 postgresql-15
  # tests/jdbc (runs when a JDK is present) and tests/tls
  libpostgresql-jdbc-java openssl
  # bench/compare.sh: charts
  gnuplot-nox
  # tests/regress: building psql 17 and pg_regress from a PostgreSQL source
  # tree (a git tree has no generated parser files), bz2 tarball, curl
  bison flex bzip2 curl
  # tests/regress/wasm: the suite's C test modules compiled to wasm side modules
  clang-14 lld-14 wasi-libc
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt_update
  apt_install "${missing[@]}"
fi
