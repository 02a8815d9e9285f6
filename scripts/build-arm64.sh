#!/usr/bin/env bash
# Cross-builds pglite for Linux arm64 into ./build-arm64 (Release, Ninja,
# ccache) with cmake/toolchains/aarch64-linux-gnu.cmake. Needs
# scripts/install-deps.sh and scripts/install-deps-arm64.sh.
#
# The template PGDATA is architecture-independent: with PGLITE_HOST_TEMPLATE
# (a native build's build/template/pgdata.tar.zst) it is copied, otherwise
# the arm64 template builder runs initdb under qemu-aarch64-static.
# Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
args=(
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/aarch64-linux-gnu.cmake"
  -DCMAKE_BUILD_TYPE=Release
  -DPGLITE_BUILD_BENCH=OFF
  # the regression suite's wasm test modules serve tests/regress only, which
  # the arm64 run leaves out (scripts/test-arm64.sh)
  -DPGLITE_WITH_REGRESS_MODULES=OFF
)
if [ -n "${PGLITE_HOST_TEMPLATE:-}" ]; then
  args+=(-DPGLITE_HOST_TEMPLATE="$(realpath "$PGLITE_HOST_TEMPLATE")")
fi
cmake -S . -B build-arm64 -G Ninja "${args[@]}" "$@"
cmake --build build-arm64 ${PGLITE_ARM64_TARGETS:+--target $PGLITE_ARM64_TARGETS}
