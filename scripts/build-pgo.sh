#!/usr/bin/env bash
# A build whose translated Postgres is optimised with a profile (GCC PGO),
# about 10 % faster on the speed suite (docs/PERFORMANCE.md, 2026-11-27), in
# ./build-pgo. Two trees, because the build itself runs translated code (the
# template maker):
#   1. build-pgo-train: the Postgres units instrumented (-fprofile-generate);
#      training = the speed suite in memory (full scale) and on disk (quick),
#      plus tools/build/pgo_train.sql through `pglite -f`;
#   2. build-pgo: the same units compiled with that profile (-fprofile-use).
# Costs about 15 more CPU-minutes than scripts/build.sh (a clean one is about
# 14 minutes on 2 cores; this one about 22). Extra arguments go to both
# configures.
#   scripts/build-pgo.sh [-DOPTION=...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
train=build-pgo-train final=build-pgo
profile="$root/$train/pgo-profile"

configure() {  # TREE UNIT-FLAGS [cmake args...]
  local tree=$1 flags=$2
  shift 2
  cmake -S . -B "$tree" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGLITE_BUILD_TESTS=OFF -DPGLITE_BUILD_BENCH=ON \
    "-DPGLITE_POSTGRES_UNIT_FLAGS=$flags" "$@"
}

configure "$train" "-fprofile-generate=$profile/raw;-fprofile-update=single" \
  -DCMAKE_EXE_LINKER_FLAGS=-fprofile-generate -DCMAKE_SHARED_LINKER_FLAGS=-fprofile-generate "$@"
cmake --build "$train" --target pglite_cli pglite_compare
rm -rf "$profile" && mkdir -p "$profile/raw" "$profile/use"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pglite-pgo.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
"$train/bench/pglite_compare" run --scale full --memory --target train --title train --out "$scratch/mem.json"
"$train/bench/pglite_compare" run --scale quick --disk "$scratch/disk" --target train --title train \
  --out "$scratch/disk.json"
"$train/bin/pglite" -f tools/build/pgo_train.sql >/dev/null
# The profile files are named after the objects' paths: this tree's become
# the other's.
shopt -s nullglob
files=("$profile"/raw/*.gcda)
[ ${#files[@]} -gt 0 ] || { echo "build-pgo: the training run wrote no profile" >&2; exit 1; }
for f in "${files[@]}"; do
  name=$(basename "$f")
  cp "$f" "$profile/use/${name//#$train#/#$final#}"
done

configure "$final" "-fprofile-use=$profile/use;-fprofile-partial-training;-Wno-missing-profile" "$@"
cmake --build "$final"
echo "build-pgo: $final is built with the profile of ${#files[@]} units" >&2
