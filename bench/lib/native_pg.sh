# Native PostgreSQL 15 from Debian for the side-by-side benchmarks: a
# throw-away cluster on a unix socket with the settings every comparison
# uses (shared_buffers=128MB, fsync on, synchronous_commit on). Sourced.
#   native_init DIR; native_start DIR SOCKDIR; ...; native_stop DIR
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
NATIVE_PORT=${NATIVE_PORT:-54329}

# initdb and the server refuse to run as root: use Debian's postgres account.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

native_init() {  # DIR
  mkdir -p "$1" && chmod 755 "$(dirname "$1")"
  [ "$(id -u)" -eq 0 ] && chown postgres "$1"
  as_pg "$PG_BINDIR/initdb" -D "$1" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
}

native_start() {  # DIR SOCKDIR
  mkdir -p "$2" && { [ "$(id -u)" -ne 0 ] || chown postgres "$2"; }
  as_pg "$PG_BINDIR/pg_ctl" start -w -D "$1" -l "$1/server.log" \
    -o "-k $2 -p $NATIVE_PORT -c listen_addresses='' -c shared_buffers=128MB -c fsync=on -c synchronous_commit=on" \
    >/dev/null
}

native_stop() {  # DIR (no error if it is not running)
  [ -f "$1/postmaster.pid" ] && as_pg "$PG_BINDIR/pg_ctl" stop -w -m fast -D "$1" >/dev/null 2>&1 || true
}

native_pid() { head -1 "$1/postmaster.pid"; }  # DIR

native_conninfo() { echo "host=$1 port=$NATIVE_PORT user=postgres dbname=postgres"; }  # SOCKDIR

native_version() { "$PG_BINDIR/postgres" --version | awk '{print $3}'; }
