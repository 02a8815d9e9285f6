#!/usr/bin/env bash
# A stand-in for `pglite serve` backed by a native PostgreSQL (Debian
# postgresql-15), to check the tests themselves against a real server:
#   PGLITE_SERVER_CMD=tests/server/native-pg-serve.sh ctest --test-dir build -L server
# Same contract: [--port N] [--unix DIR] [-d PATH]; prints the URL line; runs
# until SIGINT/SIGTERM; exits 0. Postgres refuses to run as root, so as root
# it runs as the `postgres` user; its socket lives in a directory of its own,
# linked from --unix DIR (which that user may not be able to reach).
set -euo pipefail
bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
port=0 unix="" data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --unix) unix=$2; shift 2 ;;
    -d) data=$2; shift 2 ;;
    *) echo "native-pg-serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$bindir/postgres" ] || { echo "native-pg-serve.sh: no $bindir/postgres (apt-get install postgresql-15)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nativepg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
: "${data:=$tmp/data}"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then chown postgres "$tmp"; fi
[ -f "$data/PG_VERSION" ] || as_pg "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" ||
  { cat "$tmp/initdb.log" >&2; exit 1; }
if [ "$port" = 0 ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
as_pg "$bindir/pg_ctl" start -w -t 60 -D "$data" -l "$tmp/postgres.log" \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null ||
  { cat "$tmp/postgres.log" >&2; exit 1; }
# shellcheck disable=SC2317  # called from the traps
stop_pg() { as_pg "$bindir/pg_ctl" stop -w -t 60 -m fast -D "$data" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap 'stop_pg; exit 0' INT TERM
trap 'stop_pg' EXIT
[ -z "$unix" ] || ln -sf "$tmp/.s.PGSQL.$port" "$unix/.s.PGSQL.$port"
echo "postgresql://postgres@127.0.0.1:$port/postgres"
while as_pg "$bindir/pg_ctl" status -D "$data" >/dev/null; do sleep 1 & wait $! || true; done
cat "$tmp/postgres.log" >&2
echo "native-pg-serve.sh: postgres exited on its own" >&2
exit 1
