#!/usr/bin/env bash
# The side-by-side benchmark in one run: the same generated workloads
# (bench/compare/workloads.cc) on
#   1. pglite-native, C++ API: temporary database (memory) and on disk
#   2. pglite-native through `pglite serve`, libpq over a unix socket
#   3. native PostgreSQL 15 from Debian, libpq, unix socket (started here)
#   4. PGlite 0.4.6 on Node: in memory and NodeFS
# then a report: tables (report.md), results.json and chart.png.
#   bench/compare.sh [--quick] [--build DIR] [--out DIR]
# Full scale takes about 5 minutes; --quick (CI smoke) well under one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
scale=full build="$root/build" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) scale=quick ;;
    --build) build=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: bench/compare.sh [--quick] [--build DIR] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
build=$(cd "$build" && pwd)
out=${out:-$build/bench-compare-$scale}
# shellcheck source=lib/native_pg.sh
source "$here/lib/native_pg.sh"
# shellcheck source=lib/node_pglite.sh
source "$here/lib/node_pglite.sh"

if [ "$scale" = full ]; then runs=20 cold_runs=10 counts="1 10 50"; else runs=3 cold_runs=2 counts="1 10"; fi
compare="$build/bench/pglite_compare"
pglite="$build/bin/pglite"
cmake --build "$build" --target pglite_compare pglite_cli >/dev/null
node_dir=$(node_pglite_install "$build")
cp "$here/node/compare.mjs" "$node_dir/compare.mjs"

work=$(mktemp -d "${TMPDIR:-/tmp}/pglite-compare.XXXXXX")
chmod 755 "$work"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  native_stop "$work/native"
  native_stop "$work/native-cold"
  rm -rf "$work"
}
trap cleanup EXIT
raw="$out/raw"
rm -rf "$raw" && mkdir -p "$raw"
"$compare" workloads --scale "$scale" --out "$work/workloads.json"

# Every probe of one target: run T TITLE KIND [args for pglite_compare].
ours() {  # NAME TITLE TARGET-ARGS... ; suite + warm startup
  local name=$1 title=$2
  shift 2
  "$compare" run --scale "$scale" "$@" --target "$name" --title "$title" --out "$raw/$name-suite.json"
  "$compare" startup --runs "$runs" "$@" --target "$name" --title "$title" --out "$raw/$name-startup.json"
}
timed() {  # NAME TITLE ID ROW-TITLE BEFORE CMD...
  local name=$1 title=$2 id=$3 row=$4 before=$5
  shift 5
  "$compare" time --runs "$cold_runs" --id "$id" --row-title "$row" --before "$before" \
    --target "$name" --title "$title" --out "$raw/$name-$id.json" -- "$@"
}
memory() {  # NAME TITLE ARGS...
  local name=$1 title=$2 n
  shift 2
  for n in $counts; do
    "$compare" memory --count "$n" "$@" --target "$name" --title "$title" --out "$raw/$name-rss-$n.json"
  done
}
cold_row="new database + first query, cold process"

echo "== pglite-native, C++ API" >&2
t="pglite-native, C++ API, temporary database (memory)"
ours pglite-direct-memory "$t" --memory
timed pglite-direct-memory "$t" temp-cold "$cold_row" "" "$compare" once
memory pglite-direct-memory "$t" --memory
mkdir -p "$work/direct-disk"
ours pglite-direct-disk "pglite-native, C++ API, database on disk" --disk "$work/direct-disk"

echo "== pglite-native, pglite serve + libpq" >&2
t="pglite-native, pglite serve (disk), libpq, unix socket"
mkdir -p "$work/server-sock"
"$pglite" serve -d "$work/server-db" --port 0 --unix "$work/server-sock" >"$work/server-url" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/server-url" ] && break; sleep 0.1; done
port=$(head -1 "$work/server-url" | sed 's/.*:\([0-9]*\)\/.*/\1/')
server="host=$work/server-sock port=$port user=postgres dbname=postgres"
ours pglite-server "$t" --conninfo "$server"
memory pglite-server "$t" --conninfo "$server" --postmaster-pid "$server_pid"
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
server_pid=""

echo "== native PostgreSQL $(native_version)" >&2
t="PostgreSQL $(native_version) (Debian), libpq, unix socket"
native_init "$work/native"
native_start "$work/native" "$work/native-sock"
native="$(native_conninfo "$work/native-sock")"
ours native-pg15 "$t" --conninfo "$native" --create-database
memory native-pg15 "$t" --conninfo "$native" --postmaster-pid "$(native_pid "$work/native")"
# Reopen: server start on the existing cluster + first query (stop untimed).
lib="source '$here/lib/native_pg.sh'"
timed native-pg15 "$t" reopen "reopen persistent database + first query" \
  "bash -c \"$lib; native_stop '$work/native'\"" \
  bash -c "$lib; native_start '$work/native' '$work/native-sock' && '$PG_BINDIR/psql' -X -Atqc 'SELECT 1' '$native' >/dev/null"
native_stop "$work/native"
# Cold: initdb + server start + first query; the previous cluster is
# removed untimed.
timed native-pg15 "$t" temp-cold "$cold_row" \
  "bash -c \"$lib; native_stop '$work/native-cold'; rm -rf '$work/native-cold'\"" \
  bash -c "$lib; native_init '$work/native-cold' && native_start '$work/native-cold' '$work/native-sock' && '$PG_BINDIR/psql' -X -Atqc 'SELECT 1' '$native' >/dev/null"
native_stop "$work/native-cold"

echo "== PGlite $PGLITE_NODE_VERSION on Node $(node --version)" >&2
node_run() { (cd "$node_dir" && node --expose-gc compare.mjs "$@"); }
for storage in memory nodefs; do
  name="pglite-node-$storage"
  t="PGlite $PGLITE_NODE_VERSION, Node $(node --version), $storage"
  mkdir -p "$work/$name"
  node_run run --workloads "$work/workloads.json" --storage "$storage" --dir "$work/$name/suite" \
    --target "$name" --title "$t" --out "$raw/$name-suite.json"
  node_run startup --storage "$storage" --dir "$work/$name/startup" --runs "$runs" \
    --target "$name" --title "$t" --out "$raw/$name-startup.json"
done
t="PGlite $PGLITE_NODE_VERSION, Node $(node --version), memory"
timed pglite-node-memory "$t" temp-cold "$cold_row" "" node "$node_dir/compare.mjs" once
for n in $counts; do
  node_run rss --count "$n" --target pglite-node-memory --title "$t" --out "$raw/pglite-node-memory-rss-$n.json"
done

# Machine and versions for the report header.
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
ours_pg=$("$pglite" -c 'SHOW server_version' | sed -n 3p | tr -d ' ')
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
cat >"$raw/meta.json" <<JSON
{"date": "$(date -u +%Y-%m-%dT%H:%MZ)", "scale": "$scale",
 "machine": {"cpu": "$cpu", "cores": $(nproc), "memory": "$mem", "kernel": "$(uname -r)"},
 "versions": {"pglite-native": "git $rev (PostgreSQL $ours_pg)", "postgresql": "$(native_version)",
              "node": "$(node --version)", "pglite": "$PGLITE_NODE_VERSION"},
 "targets": [
  {"target": "pglite-direct-memory", "family": "ours", "storage": "memory"},
  {"target": "pglite-direct-disk", "family": "ours", "storage": "disk"},
  {"target": "pglite-server", "family": "ours", "storage": "disk"},
  {"target": "native-pg15", "family": "native", "storage": "disk"},
  {"target": "pglite-node-memory", "family": "pglite", "storage": "memory"},
  {"target": "pglite-node-nodefs", "family": "pglite", "storage": "disk"}]}
JSON
python3 "$here/compare/report.py" --results "$raw" --out "$out"
echo "report: $out/report.md, $out/results.json, $out/chart.png ($SECONDS s)" >&2
