#!/usr/bin/env bash
# Configures and builds into ./build (Release, Ninja, ccache when present).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache: paths below the repository are hashed relative to the build
# directory, so another checkout, or another build directory at the same depth
# (build-offline/, tests/standalone/offline_build_test.sh), hits the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build
