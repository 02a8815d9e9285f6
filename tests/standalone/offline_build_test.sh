#!/usr/bin/env bash
# A build without network: offline_build_test.sh REPO INPUT_CACHE [cmake option]...
#
# The pinned tarballs are copied from INPUT_CACHE (the main build's
# PGLITE_INPUT_CACHE) into a fresh directory with scripts/fetch-inputs.sh.
# With npm shadowed by a stub that records any call and fails, and npm's
# registry pointing at a closed port:
#  - a tarball with one byte changed, and a missing tarball, stop the
#    configure step with the file and its expected SHA-256, and the input
#    directory is left exactly as it was;
#  - REPO/build-offline (the depth of REPO/build, so ccache hits the main
#    build's objects) is configured with -DPGLITE_OFFLINE=ON, pglite_cli is
#    built and runs a query; the input directory is unchanged and npm never ran.
set -euo pipefail
repo=$1 cache=$2
shift 2
work=$(mktemp -d)
build="${PGLITE_OFFLINE_BUILD_DIR:-$repo/build-offline}"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "offline_build: $*" >&2
  exit 1
}
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$repo}"
start=$SECONDS

inputs="$work/inputs"
"$repo/scripts/fetch-inputs.sh" --from "$cache" "$inputs" >/dev/null
# CMake wraps long messages: compare with whitespace collapsed.
said() { tr -s ' \n' '  ' <"$1" | grep -qF "$2"; }
manifest() { (cd "$1" && find . -type f -printf '%p %s %T@\n' | sort && sha256sum ./* | sort); }

mkdir "$work/bin"
for tool in npm npx; do
  printf '#!/bin/sh\necho "$0 $*" >>"%s/npm-ran"\nexit 1\n' "$work" >"$work/bin/$tool"
  chmod +x "$work/bin/$tool"
done
export PATH="$work/bin:$PATH" npm_config_registry=http://127.0.0.1:9/

configure() { # configure BUILD_DIR INPUT_DIR [option]...
  local dir=$1 in=$2
  shift 2
  cmake -S "$repo" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGLITE_OFFLINE=ON -DPGLITE_INPUT_CACHE="$in" \
    -DPGLITE_BUILD_TESTS=OFF -DPGLITE_BUILD_BENCH=OFF -DPGLITE_BUILD_SHARED=OFF "$@"
}

# Refused inputs: one byte changed, then a tarball missing.
tarball=$(cd "$inputs" && ls electric-sql-pglite-[0-9]*.tgz)
expected=$(sed -n 's/^set(PGLITE_NPM_TARBALL_SHA256 "\(.*\)")$/\1/p' "$repo/wasm/manifest.cmake")
bad="$work/bad"
cp -a "$inputs" "$bad"
printf '\x5a' | dd of="$bad/$tarball" bs=1 seek=4096 conv=notrunc status=none
cmp -s "$inputs/$tarball" "$bad/$tarball" && fail "the byte did not change"
before=$(manifest "$bad")
if configure "$work/bad-build" "$bad" >"$work/bad.log" 2>&1; then fail "a tampered tarball was accepted"; fi
said "$work/bad.log" "checksum mismatch for $bad/$tarball" || fail "no checksum message: $(tail -20 "$work/bad.log")"
said "$work/bad.log" "expected $expected" || fail "the expected SHA-256 is not named"
[ "$(manifest "$bad")" = "$before" ] || fail "the input directory changed after a mismatch"
rm "$bad/$tarball"
before=$(manifest "$bad")
if configure "$work/bad-build" "$bad" >"$work/missing.log" 2>&1; then fail "a missing tarball was accepted"; fi
said "$work/missing.log" "$bad/$tarball is missing" || fail "no missing-file message: $(tail -20 "$work/missing.log")"
said "$work/missing.log" "SHA-256 $expected" || fail "the expected SHA-256 is not named"
[ "$(manifest "$bad")" = "$before" ] || fail "the input directory changed after a missing file"
echo "refused: a changed byte and a missing tarball ($((SECONDS - start)) s)"

# The offline build.
before=$(manifest "$inputs")
rm -rf "$build"
configure "$build" "$inputs" "$@" >"$work/configure.log" 2>&1 || fail "configure: $(tail -30 "$work/configure.log")"
echo "configured ($((SECONDS - start)) s)"
cmake --build "$build" --target pglite_cli >"$work/build.log" 2>&1 || fail "build: $(tail -30 "$work/build.log")"
echo "built pglite_cli ($((SECONDS - start)) s)"
out=$("$build/bin/pglite" -c 'SELECT 1 AS offline') || fail "pglite did not run"
grep -q "offline" <<<"$out" || fail "unexpected output: $out"
[ "$(manifest "$inputs")" = "$before" ] || fail "the input directory changed during the build"
[ ! -e "$work/npm-ran" ] || fail "npm ran: $(cat "$work/npm-ran")"
rm -rf "$build"
echo "offline_build: ok ($((SECONDS - start)) s)"
