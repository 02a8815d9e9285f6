#!/usr/bin/env bash
# Generated objects may depend only on generated files and the runtime ABI
# headers; editing the shim or host code must never recompile them.
set -euo pipefail
build="$1"
src="$2"
cd "$build"
objs=$(find generated/CMakeFiles/pglite_generated.dir -name '*.c.o' | grep -v -e '_link.c.o' -e 'glue.c.o')
[ -n "$objs" ] || { echo "no generated objects found"; exit 1; }
build_abs=$(pwd -P)
bad=$(ninja -t deps $objs | sed 's/^ *//' | grep -E "^$src/" | grep -v -e "^$build_abs/" \
  -e "^$src/wasi-shim/runtime/wasm-rt.h$" -e "^$src/generated/" | sort -u || true)
if [ -n "$bad" ]; then
  echo "generated code depends on hand-written files:"; echo "$bad"; exit 1
fi
echo "$(echo "$objs" | wc -l) generated objects depend only on generated files and wasm-rt.h"
