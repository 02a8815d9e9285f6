#!/usr/bin/env bash
# The side-by-side runner works end to end at --quick scale: every target
# (ours direct and through the server, native PostgreSQL 17.5 and 15, PGlite
# on Node) produced every workload, and the report, JSON and chart were
# written.
# Times are not asserted (bench/ measures, tests don't).
#   compare_quick_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
out="$build/bench-compare-test"
"$src/bench/compare.sh" --quick --build "$build" --out "$out" >"$out.log" 2>&1 || {
  tail -40 "$out.log"
  exit 1
}
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
data = json.load(open(f"{out}/results.json"))
workloads = data["workloads"]
expect = {  # target -> workloads it must have measured
    "pglite-direct-memory": ["speed", "rtt", "tpcb", "startup", "memory", "clone", "select1"],
    "pglite-direct-disk": ["speed", "rtt", "tpcb", "startup", "clone"],
    "pglite-server": ["speed", "rtt", "tpcb", "startup", "memory", "select1"],
    "native-pg17": ["speed", "rtt", "tpcb", "startup", "memory", "clone", "select1"],
    "native-pg15": ["speed", "rtt", "tpcb", "startup", "memory", "clone", "select1"],
    "pglite-node-memory": ["speed", "rtt", "tpcb", "startup", "memory", "clone", "select1"],
    "pglite-node-nodefs": ["speed", "rtt", "tpcb", "startup"],
}
problems = []
for target, names in expect.items():
    for name in names:
        rows = [r for r in workloads[name]["rows"] if target in r["values"]]
        if not rows or any(r["values"][target] <= 0 for r in rows):
            problems.append(f"{target}: no {name} results")
speed = workloads["speed"]["rows"]
if len(speed) != 18:
    problems.append(f"speed suite has {len(speed)} tests, not 18")
geomean = workloads["speed"]["geomean"]
for key in ("pglite-direct-memory/native", "pglite-direct-memory/pglite"):
    if not geomean.get(key, 0) > 0:
        problems.append(f"no speed geomean {key}")
if open(f"{out}/chart.png", "rb").read(8) != b"\x89PNG\r\n\x1a\n":
    problems.append("chart.png is not a PNG")
if "## Speed suite" not in open(f"{out}/report.md").read():
    problems.append("report.md has no speed table")
if problems:
    sys.exit("\n".join(problems))
print("compare --quick: all targets measured; report, results.json and chart written")
PY
