#!/usr/bin/env bash
# The regression suite side by side (CTest regress.vs_native): prepares the
# inputs, runs upstream pg_regress against native PostgreSQL 17.5 and against
# `pglite serve`, and compares (compare.py decides the exit status).
#   suite.sh [PGLITE_BIN] [OUT_DIR] [--fresh] [--markdown FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pglite=${PGLITE_BIN:-$here/../../build/bin/pglite}
out=${TMPDIR:-/tmp}/pglite-regress-out
fresh="" markdown=()
pos=0
for a in "$@"; do
  case "$a" in
  --fresh) fresh=1 ;;
  --markdown) markdown=(--markdown) ;;
  *) if [ ${#markdown[@]} -eq 1 ]; then markdown+=("$a")
     elif [ $pos -eq 0 ]; then pglite=$a; pos=1
     else out=$a; fi ;;
  esac
done
[ -x "$pglite" ] || { echo "regress: no pglite binary at $pglite" >&2; exit 1; }
rc=0
"$here/prepare.sh" || rc=$?
[ $rc -eq 0 ] || exit $rc
mkdir -p "$out"
# Bounds that end a run cleanly inside CTest's TIMEOUT (each hang costs ~2 min).
bound=${PGLITE_REGRESS_TOTAL_SECS:-1200}
"$here/run.py" native "$out/native" --total-secs "$bound"
"$here/run.py" pglite "$out/pglite" --pglite "$pglite" --total-secs "$bound"
args=(--native "$out/native" --pglite "$out/pglite" --diffs "$out/diffs" "${markdown[@]}")
if [ -n "$fresh" ]; then
  "$here/run.py" pglite-fresh "$out/fresh" --pglite "$pglite" --total-secs "$bound"
  args+=(--fresh "$out/fresh")
fi
if [ ${#markdown[@]} -eq 2 ]; then
  "$here/platform_probe.sh" "$pglite" >"$out/probe.txt" 2>&1 || true
  args+=(--probe "$out/probe.txt")
fi
echo "regress: outputs and diffs (native -> pglite) in $out"
exec python3 "$here/compare.py" "${args[@]}"
