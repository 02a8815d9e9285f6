#!/usr/bin/env bash
# pg_dump of a ~100 MB database, side by side in one run: `pglite dump`
# (pg_dump 18 in-process) vs Debian's pg_dump 15 against native PostgreSQL 15
# (started here on a unix socket, shared_buffers=128MB, fsync on; stopped
# after), on the same data made by the same SQL. Then archive export and
# open-from-archive times (bench/dump_bench.cc).
#   bench/dump_compare.sh [build-dir] [rows]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
rows=${2:-750000}
pglite=$build/bin/pglite
# shellcheck source=lib/native_pg.sh
source "$here/lib/native_pg.sh"
bindir=$PG_BINDIR
work=$(mktemp -d "${TMPDIR:-/tmp}/pglite-dump-bench.XXXXXX")
chmod 755 "$work"
stop_native() { native_stop "$work/native"; }
trap 'stop_native; rm -rf "$work"' EXIT
now() { date +%s.%N; }

sql="CREATE TABLE events (id bigint PRIMARY KEY, user_id int, kind text, payload text,
       amount numeric(12,2), at timestamptz);
     INSERT INTO events SELECT g, g % 9973, 'kind_' || (g % 17), md5(g::text) || md5((g * 7)::text),
       (g % 100000) / 100.0, timestamptz '2024-01-01 00:00+00' + g * interval '1 second'
       FROM generate_series(1, $rows) g;
     CREATE INDEX events_user ON events (user_id);"
vacuum="VACUUM ANALYZE events"

echo "preparing $rows rows in both databases..." >&2
"$pglite" -d "$work/ours" -c "$sql" -c "$vacuum" >/dev/null
size=$("$pglite" -d "$work/ours" -c "SELECT pg_database_size(current_database())" | sed -n 3p | tr -d ' ')

native_init "$work/native"
native_start "$work/native" "$work/sock"
"$bindir/psql" -X -q -h "$work/sock" -p "$NATIVE_PORT" -U postgres -c "$sql" -c "$vacuum" postgres >/dev/null

t0=$(now); "$bindir/pg_dump" -h "$work/sock" -p "$NATIVE_PORT" -U postgres postgres >"$work/native.sql"; t1=$(now)
"$pglite" dump -d "$work/ours" >"$work/ours.sql"; t2=$(now)
stop_native

native_bytes=$(stat -c %s "$work/native.sql")
our_bytes=$(stat -c %s "$work/ours.sql")
python3 - "$size" "$t0" "$t1" "$t2" "$native_bytes" "$our_bytes" <<'PY'
import sys
size, t0, t1, t2, nb, ob = int(sys.argv[1]), *map(float, sys.argv[2:5]), int(sys.argv[5]), int(sys.argv[6])
native, ours = t1 - t0, t2 - t1
print(f"database: {size / 1e6:.1f} MB on disk")
print(f"{'pg_dump (plain SQL)':28} {'seconds':>8} {'dump MB':>8} {'MB/s':>7}")
print(f"{'native pg_dump 15 / PG 15':28} {native:8.2f} {nb / 1e6:8.1f} {nb / 1e6 / native:7.1f}")
print(f"{'pglite dump (in-process)':28} {ours:8.2f} {ob / 1e6:8.1f} {ob / 1e6 / ours:7.1f}")
print(f"pglite / native time: {ours / native:.2f}x")
PY
PGLITE_BENCH_DUMP_DIR="$work/ours" "$build/bench/pglite_bench" \
  --benchmark_filter='DumpSql|Archive' 2>/dev/null | grep -E "^BM_|^-|^Benchmark"
