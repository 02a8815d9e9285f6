#!/usr/bin/env bash
# Compiles the regression suite's C test modules (regress.c and contrib/spi's
# autoinc.c and refint.c) to WebAssembly side modules for PGlite's
# postgres.wasm, which the build then translates like every other side module
# (CMake option PGLITE_WITH_REGRESS_MODULES).
#   build_modules.sh SRC_DIR SERVER_DEV_DEB OUT_DIR
# SRC_DIR holds the three sources (prepare.sh copies them from the suite it
# chose), SERVER_DEV_DEB is trixie's postgresql-server-dev-17 package (the
# PostgreSQL 17 server headers), OUT_DIR receives regress.so, autoinc.so and
# refint.so. Tools: Debian's clang and lld (wasm-ld) and wasi-libc's headers;
# the headers' pg_config.h is rewritten for wasm32 (32-bit long and pointers,
# no x86 instructions, no NLS, spinlocks emulated with semaphores), which is
# how PGlite configured its build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$1 deb=$2 out=$3

pick() { local c; for c in "$@"; do command -v "$c" >/dev/null && { echo "$c"; return 0; }; done; return 1; }
cc=$(pick clang-14 clang) || { echo "build_modules: no clang (install-deps installs clang-14)" >&2; exit 1; }
ld=$(pick wasm-ld-14 wasm-ld) || { echo "build_modules: no wasm-ld (install-deps installs lld-14)" >&2; exit 1; }
libc=/usr/include/wasm32-wasi
[ -d "$libc" ] || { echo "build_modules: no $libc (install-deps installs wasi-libc)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/dev"
inc=$tmp/dev/usr/include/postgresql/17/server
[ -f "$inc/pg_config.h" ] || { echo "build_modules: $deb has no server headers" >&2; exit 1; }
sed -i -E \
  -e 's/^#define (SIZEOF_LONG|SIZEOF_SIZE_T|SIZEOF_VOID_P|ALIGNOF_LONG) 8$/#define \1 4/' \
  -e 's/^#define HAVE_LONG_INT_64 1$/#define HAVE_LONG_LONG_INT_64 1/' \
  -e 's/^#define INT64_MODIFIER "l"$/#define INT64_MODIFIER "ll"/' \
  -e 's/^#define PG_INT64_TYPE long int$/#define PG_INT64_TYPE long long int/' \
  -e 's/^#define (PG_[A-Z_]*PRINTF_ATTRIBUTE) gnu_printf$/#define \1 printf/' \
  -e 's/^#define (ENABLE_NLS|HAVE_SPINLOCKS|HAVE_X86_64_POPCNTQ|USE_AVX512_POPCNT_WITH_RUNTIME_CHECK|USE_SSE42_CRC32C_WITH_RUNTIME_CHECK) 1$/#undef \1/' \
  -e 's|^/\* #undef USE_SLICING_BY_8_CRC32C \*/$|#define USE_SLICING_BY_8_CRC32C 1|' \
  "$inc/pg_config.h"
grep -q '^#define SIZEOF_VOID_P 4$' "$inc/pg_config.h" || { echo "build_modules: pg_config.h not as expected" >&2; exit 1; }

cflags=(--target=wasm32-unknown-emscripten -fPIC -O2 -w -nostdinc
  -isystem "$("$cc" -print-resource-dir)/include" -isystem "$here/include" -isystem "$libc"
  -D__wasi__ -D_WASI_EMULATED_SIGNAL -D_GNU_SOURCE -I "$inc" -include pglite_wasm_module.h)
"$cc" "${cflags[@]}" -c "$here/wasm_compat.c" -o "$tmp/wasm_compat.o"
"$cc" "${cflags[@]}" -include postgres.h -include utils/array.h -c "$here/../regress_compat.c" -o "$tmp/regress_compat.o"
mkdir -p "$out"
for m in regress autoinc refint; do
  extra=()
  [ $m = regress ] && extra=(-include postgres.h -include utils/array.h)  # 15's regress.c relies on it
  [ $m = refint ] && extra=(-DREFINT_VERBOSE)  # as contrib/spi's Makefile builds it for the tests
  "$cc" "${cflags[@]}" "${extra[@]}" -c "$src/$m.c" -o "$tmp/$m.o"
  "$ld" -shared --experimental-pic --export-dynamic -o "$tmp/$m.so" "$tmp/$m.o" "$tmp/wasm_compat.o" "$tmp/regress_compat.o"
  cmp -s "$tmp/$m.so" "$out/$m.so" || mv "$tmp/$m.so" "$out/$m.so"  # unchanged: no retranslation
done
