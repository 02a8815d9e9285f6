#!/usr/bin/env bash
# Installs dependencies, builds and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
ctest --test-dir build --output-on-failure -j2
# Linux arm64: cross-built and tested under qemu-user (scripts/test-arm64.sh).
# PGLITE_SKIP_ARM64=1 skips it for local runs.
if [ "${PGLITE_SKIP_ARM64:-0}" != 1 ]; then
  ./scripts/test-arm64.sh
fi
