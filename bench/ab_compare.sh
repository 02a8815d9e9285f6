#!/usr/bin/env bash
# Same machine, two builds, runs alternated: the in-process speed suite
# (pglite_compare run --memory; per row the median over rounds, then the
# geometric mean of the B:A ratios per workload), the embedded round trips and
# a new temporary database (pglite_bench). Used for guard pages vs bounds
# checks (docs/PERFORMANCE.md, 2026-11-27).
#   bench/ab_compare.sh BUILD_A BUILD_B [ROUNDS] [quick|full]
set -euo pipefail
a=$1 b=$2 rounds=${3:-5} scale=${4:-quick}
out=$(mktemp -d /tmp/ab_compare.XXXXXX)
for i in $(seq 1 "$rounds"); do
  for side in a b; do
    build=${!side}
    "$build/bench/pglite_compare" run --scale "$scale" --memory --target "$side" --title "$build" \
      --out "$out/$side-suite-$i.json" 2>/dev/null
    "$build/bench/pglite_bench" --benchmark_filter='BM_OpenTemporaryFirstQuery|BM_SelectOne' --benchmark_repetitions=3 \
      --benchmark_format=json --benchmark_out="$out/$side-api-$i.json" >/dev/null 2>&1
  done
  echo "round $i done" >&2
done
python3 - "$out" "$rounds" <<'PY'
import json, math, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def suite(side):
    rows = {}
    for i in range(1, rounds + 1):
        for r in json.load(open(f"{out}/{side}-suite-{i}.json"))["results"]:
            rows.setdefault((r["workload"], r["id"], r["title"]), []).append(r["value"])
    return {k: statistics.median(v) for k, v in rows.items()}
def api(side):
    rows = {}
    for i in range(1, rounds + 1):
        for r in json.load(open(f"{out}/{side}-api-{i}.json"))["benchmarks"]:
            if r.get("run_type") == "aggregate":
                continue
            rows.setdefault(r["name"], []).append((r["real_time"], r["time_unit"]))
    return {k: (statistics.median(t for t, _ in v), v[0][1]) for k, v in rows.items()}
sa, sb = suite("a"), suite("b")
by_wl = {}
for k in sa:
    if k in sb and sa[k] > 0 and sb[k] > 0:
        by_wl.setdefault(k[0], []).append(sb[k] / sa[k])
        print(f"{k[0]:10} {k[1]:6} {sa[k]:10.3f} {sb[k]:10.3f} {sb[k] / sa[k]:6.3f}  {k[2][:60]}")
for wl, r in by_wl.items():
    print(f"geomean B:A {wl}: {math.exp(sum(map(math.log, r)) / len(r)):.3f} over {len(r)} rows")
aa, ab = api("a"), api("b")
for k in aa:
    if k in ab:
        print(f"{k:40} A {aa[k][0]:10.2f} {aa[k][1]}  B {ab[k][0]:10.2f} {ab[k][1]}  B:A {ab[k][0] / aa[k][0]:.3f}")
print("raw:", out)
PY
