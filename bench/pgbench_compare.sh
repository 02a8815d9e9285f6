#!/usr/bin/env bash
# pgbench against `pglite serve` (persistent database on disk, fsync on) and
# against native PostgreSQL 15 from Debian started here on a unix socket with
# the same shared_buffers, in one run. Prints TPS and ratios.
#   bench/pgbench_compare.sh [build-dir]        DURATION=20 SCALE=1
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/native_pg.sh
source "$here/lib/native_pg.sh"
build="${1:-build}"
duration="${DURATION:-20}"
scale="${SCALE:-1}"
pgbin=$PG_BINDIR
work=$(mktemp -d /tmp/pglite-pgbench-XXXXXX)
chmod 755 "$work"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  native_stop "$work/native"
  rm -rf "$work"
}
trap cleanup EXIT

run_suite() {  # name, connection args...
  local name=$1
  shift
  "$pgbin/pgbench" -i -q -s "$scale" "$@" >/dev/null 2>&1
  for mode in select-only tpcb-like; do
    for clients in 1 4; do
      local flag=""
      [ "$mode" = select-only ] && flag="-S"
      local tps
      tps=$("$pgbin/pgbench" -n $flag -c "$clients" -T "$duration" "$@" 2>/dev/null |
        sed -n 's/^tps = \([0-9.]*\).*/\1/p')
      echo "$name $mode $clients ${tps:-0}" | tee -a "$work/results"
    done
  done
}

# pglite
mkdir -p "$work/sock"
"$build/bin/pglite" serve -d "$work/pglite-db" --port 0 --unix "$work/sock" >"$work/url" 2>/dev/null &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
port=$(head -1 "$work/url" | sed 's/.*:\([0-9]*\)\/.*/\1/')
run_suite pglite -h "$work/sock" -p "$port" -U postgres postgres
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

# native PostgreSQL 15, same shared_buffers, fsync on
native_init "$work/native"
native_start "$work/native" "$work/nsock"
run_suite native -h "$work/nsock" -p "$NATIVE_PORT" -U postgres postgres
native_stop "$work/native"

echo
echo "workload          clients   pglite TPS   native TPS   pglite/native"
while read -r name mode clients tps; do
  [ "$name" = pglite ] || continue
  native=$(awk -v m="$mode" -v c="$clients" '$1=="native" && $2==m && $3==c {print $4}' "$work/results")
  awk -v m="$mode" -v c="$clients" -v p="$tps" -v n="$native" \
    'BEGIN { printf "%-17s %7s %12.0f %12.0f %14.2fx\n", m, c, p, n, (n > 0 ? p / n : 0) }'
done <"$work/results"
