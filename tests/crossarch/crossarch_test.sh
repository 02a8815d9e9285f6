#!/usr/bin/env bash
# The same database on two host architectures (scripts/test-arm64.sh):
#   crossarch_test.sh "TOOL_A" "TOOL_B"
# Each TOOL is a crossarch_tool command line (split on spaces; an emulator
# prefix such as "qemu-aarch64-static -L /usr/aarch64-linux-gnu tool" is
# fine). Each side writes a persistent data directory and a physical archive;
# each side then reads both sides' directory (a copy each) and archive. Every
# read must print the same answers: A's files on B as on A, and B's on A.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 TOOL_A TOOL_B" >&2; exit 2; }
read -ra tool_a <<<"$1"
read -ra tool_b <<<"$2"
work=$(mktemp -d /tmp/pglite-crossarch-XXXXXX)
trap 'rm -rf "$work"' EXIT

run() {  # run SIDE ARGS...
  local side=$1; shift
  if [ "$side" = a ]; then "${tool_a[@]}" "$@"; else "${tool_b[@]}" "$@"; fi
}

for w in a b; do
  run "$w" write "$work/$w.data" "$work/$w.tar.zst"
done
fail=0
for w in a b; do          # who wrote
  for r in a b; do        # who reads
    cp -a "$work/$w.data" "$work/$w.data.$r"
    run "$r" read-dir "$work/$w.data.$r" >"$work/dir.$w.$r.out"
    run "$r" read-archive "$work/$w.tar.zst" >"$work/archive.$w.$r.out"
  done
  for kind in dir archive; do
    if ! diff -u "$work/$kind.$w.$w.out" "$work/$kind.$w.$(if [ $w = a ]; then echo b; else echo a; fi).out"; then
      echo "FAIL: $kind written by $w reads differently on the other architecture" >&2
      fail=1
    fi
  done
done
# Both sides wrote the same database: their answers agree too.
for kind in dir archive; do
  diff -u "$work/$kind.a.a.out" "$work/$kind.b.b.out" ||
    { echo "FAIL: $kind: the two architectures wrote databases that answer differently" >&2; fail=1; }
done
grep -q '^on$' "$work/dir.a.a.out" || { echo "FAIL: data_checksums is not on" >&2; fail=1; }
grep -c . "$work/dir.a.b.out" | sed 's/^/lines compared per read: /'
[ "$fail" -eq 0 ] && echo "crossarch: identical answers on both architectures (directory and archive, both directions)"
exit "$fail"
