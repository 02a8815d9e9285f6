#!/usr/bin/env bash
# Runs the reliability suites and writes docs/RELIABILITY.md:
#   scripts/reliability.sh           short versions (what CI runs): 20 crash
#                                    trials per kind, 4000 fuzz messages
#   scripts/reliability.sh --long    200 crash trials per kind, 100000 fuzz
#                                    messages (about an hour on 2 cores)
# Uses the build in ./build (scripts/build.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
trials=20 messages=4000
if [ "${1:-}" = "--long" ]; then trials=200 messages=100000; fi
build=build
out=$(mktemp -d "${TMPDIR:-/tmp}/pglite-reliability.XXXXXX")
trap 'rm -rf "$out"' EXIT
py=/usr/bin/python3  # has psycopg2 (install-deps.sh)
cmake --build "$build" --target pglite_cli crash_writer fault_injection_test integration_test >/dev/null

echo "reliability: crash trials ($trials per kind)"
"$py" tests/reliability/crash_trials.py --pglite "$build/bin/pglite" --writer "$build/tests/reliability/crash_writer" \
  --trials "$trials" --json "$out/crash.json" | tail -n 4
echo "reliability: fault injection"
"$build/tests/reliability/fault_injection_test" --gtest_output="json:$out/faults.json" >/dev/null
echo "reliability: memory limit"
"$build/tests/integration_test" --gtest_filter='MemoryLimit.*' --gtest_output="json:$out/memory.json" >/dev/null
echo "reliability: disk full on tmpfs"
unshare --map-root-user --mount "$py" tests/reliability/disk_full_test.py "$build/bin/pglite" >"$out/disk_full.txt"
echo "reliability: protocol fuzz ($messages messages) and vanishing clients"
PGLITE_BIN=$build/bin/pglite tests/server/server.sh run --timeout 7200 -- \
  "$py" tests/server/fuzz_test.py psql --messages "$messages" --json "$out/fuzz.json" >/dev/null
PGLITE_BIN=$build/bin/pglite tests/server/server.sh run --timeout 600 -- \
  "$py" tests/server/wedge_test.py psql >"$out/wedge.txt"

"$py" tests/reliability/report.py "$out" >docs/RELIABILITY.md
echo "reliability: wrote docs/RELIABILITY.md"
