#!/usr/bin/env bash
# Installs a built tree into a temporary prefix and uses it the ways an
# application would:
#   1. the installed file list (libraries with SONAME links, headers, CMake
#      package, pkg-config file, CLI);
#   2. find_package(pglite CONFIG): one executable on pglite::pglite (static),
#      one on pglite::pglite_shared;
#   3. pkg-config: a C program linked with `--libs` (libpglite.so, run with the
#      prefix's libdir) and one with `--static --libs` (libpglite.a).
# Each program opens a temporary database, runs a query and checks that the
# library's version is the header's. Prints how long each step took.
set -euo pipefail

while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2 ;;
    --source) here=$2 ;;
    --cmake) cmake=$2 ;;
    --generator) generator=$2 ;;
    --cc) cc=$2 ;;
    --cxx) cxx=$2 ;;
    --pkg-config) pkgconfig=$2 ;;
    --libdir) libdir=$2 ;;
    --includedir) includedir=$2 ;;
    --bindir) bindir=$2 ;;
    --version) version=$2 ;;
    --headers) headers=$2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
major=${version%%.*}

work=$(mktemp -d "${TMPDIR:-/tmp}/pglite-packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "FAILED: $*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
step_start=$(now_ms)
step_name=""
step() {  # step NAME: prints how long the previous step took, starts NAME
  local t
  t=$(now_ms)
  [ -z "$step_name" ] || echo "   ($step_name: $((t - step_start)) ms)"
  echo "== $1"
  step_name=$1
  step_start=$t
}

step "install into $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }

step "installed files"
(cd "$prefix" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) >"$work/files"
cat "$work/files"
expect_file() { grep -qxF "$1" "$work/files" || fail "not installed: $1"; }
expect_link() {
  [ -L "$prefix/$1" ] || fail "$1 is not a symlink"
  [ "$(readlink "$prefix/$1")" = "$2" ] || fail "$1 -> $(readlink "$prefix/$1"), expected $2"
}
expect_file "$libdir/libpglite.a"
expect_file "$libdir/libpglite.so.$version"
expect_link "$libdir/libpglite.so.$major" "libpglite.so.$version"
expect_link "$libdir/libpglite.so" "libpglite.so.$major"
soname=$(readelf -d "$prefix/$libdir/libpglite.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "libpglite.so.$major" ] || fail "SONAME is '$soname', expected libpglite.so.$major"
for h in "$headers"/*.h "$headers"/*.hpp; do
  expect_file "$includedir/pglite/$(basename "$h")"
done
for h in pglite.h pglite.hpp export.h version.h script.h; do expect_file "$includedir/pglite/$h"; done
! grep -q '\.in$' "$work/files" || fail "a template (.in) was installed"
for f in pgliteConfig.cmake pgliteConfigVersion.cmake pgliteTargets.cmake; do expect_file "$libdir/cmake/pglite/$f"; done
expect_file "$libdir/pkgconfig/pglite.pc"
expect_file "$bindir/pglite"
"$prefix/$bindir/pglite" --version | tee "$work/cli-version"
grep -q "^pglite $version (PostgreSQL [0-9]*\.[0-9]*)$" "$work/cli-version" || fail "pglite --version"
unexpected=$(grep -v -e "^$bindir/pglite$" -e "^$includedir/pglite/" -e "^$libdir/libpglite\." -e "^$libdir/cmake/pglite/" \
  -e "^$libdir/pkgconfig/pglite.pc$" "$work/files" || true)
[ -z "$unexpected" ] || fail "unexpected installed files: $unexpected"

# The build tree must play no part from here on.
uses_lib() {  # uses_lib PROGRAM: the libpglite.so the loader picks, or nothing
  ldd "$1" | awk '/libpglite\.so/ {print $3}'
}

step "CMake consumer: configure"
"$cmake" -S "$here/consumer" -B "$work/cmake-consumer" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" \
  -DPGLITE_EXPECTED_VERSION="$version" >"$work/consumer-configure.log" ||
  { cat "$work/consumer-configure.log"; fail "configuring the CMake consumer"; }
grep -q "pglite_DIR:PATH=$prefix/$libdir/cmake/pglite" "$work/cmake-consumer/CMakeCache.txt" ||
  fail "find_package(pglite) did not find the installed package"

step "CMake consumer: build (pglite::pglite and pglite::pglite_shared)"
"$cmake" --build "$work/cmake-consumer" >"$work/consumer-build.log" 2>&1 ||
  { cat "$work/consumer-build.log"; fail "building the CMake consumer"; }

step "CMake consumer: run"
[ -z "$(uses_lib "$work/cmake-consumer/consumer_static")" ] || fail "consumer_static loads libpglite.so"
[ "$(uses_lib "$work/cmake-consumer/consumer_shared")" = "$prefix/$libdir/libpglite.so.$major" ] ||
  fail "consumer_shared loads '$(uses_lib "$work/cmake-consumer/consumer_shared")', not the installed library"
"$work/cmake-consumer/consumer_static"
"$work/cmake-consumer/consumer_shared"

export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
[ "$("$pkgconfig" --modversion pglite)" = "$version" ] || fail "pkg-config --modversion pglite"
cflags=$("$pkgconfig" --cflags pglite)
libs=$("$pkgconfig" --libs pglite)
static_libs=$("$pkgconfig" --static --libs pglite)
echo "pkg-config --cflags: $cflags"
echo "pkg-config --libs: $libs"
echo "pkg-config --static --libs: $static_libs"

step "pkg-config consumer, shared: build"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror -pedantic $cflags "$here/consumer/main.c" -o "$work/c_shared" $libs

step "pkg-config consumer, shared: run"
found=$(LD_LIBRARY_PATH="$prefix/$libdir" uses_lib "$work/c_shared")
[ "$found" = "$prefix/$libdir/libpglite.so.$major" ] || fail "c_shared loads '$found', not the installed library"
LD_LIBRARY_PATH="$prefix/$libdir" "$work/c_shared"

step "pkg-config consumer, static: build"
# The linker prefers libpglite.so to libpglite.a for -lpglite: ask for the
# archive as a user linking statically would.
static_libs=${static_libs/-lpglite/-Wl,-Bstatic -lpglite -Wl,-Bdynamic}
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror -pedantic $cflags "$here/consumer/main.c" -o "$work/c_static" $static_libs

step "pkg-config consumer, static: run"
[ -z "$(LD_LIBRARY_PATH="$prefix/$libdir" uses_lib "$work/c_static")" ] || fail "c_static loads libpglite.so"
"$work/c_static"

step "done"
