#!/usr/bin/env bash
# pgvector workloads side by side in one run: this library (bench/vector_bench.cc,
# Google Benchmark) and PGlite 0.4.6 on Node (bench/node/vector.mjs, installed
# with npm into the build tree). Debian 12 has no postgresql-15-pgvector, so
# native PostgreSQL is not part of this comparison. Prints ms and ratios.
#   bench/vector_compare.sh [build-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
# shellcheck source=lib/node_pglite.sh
source "$here/lib/node_pglite.sh"
node_dir=$(node_pglite_install "$build")
cp "$here/node/vector.mjs" "$node_dir/vector.mjs"

ours=$("$build/bench/pglite_bench" --benchmark_filter='Vector' --benchmark_format=json 2>/dev/null)
theirs=$(cd "$node_dir" && node vector.mjs)
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours = {b["name"].split("/")[0]: b["real_time"] for b in json.loads(sys.argv[1])["benchmarks"]}
theirs = json.loads(sys.argv[2])
print(f"{'benchmark':32} {'pglite-native ms':>17} {'PGlite/Node ms':>15} {'speed-up':>9}")
for name, node_ms in theirs.items():
    ms = ours.get(name)
    if ms is None:
        continue
    print(f"{name:32} {ms:17.2f} {node_ms:15.2f} {node_ms / ms:8.2f}x")
PY
