#!/usr/bin/env bash
# Fetches the pinned npm tarballs listed in wasm/manifest.cmake into DIR and
# verifies their SHA-256, for a build without network:
#   scripts/fetch-inputs.sh DIR            (where there is network)
#   cmake ... -DPGLITE_OFFLINE=ON -DPGLITE_INPUT_CACHE=DIR   (where there is none)
# A tarball already in DIR with the pinned checksum is kept; one with another
# checksum is an error (it is not replaced). Options: --from CACHE copies from
# another input directory (e.g. ~/.cache/pglite-native/npm) instead of npm.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
from=""
if [ "${1:-}" = "--from" ]; then from=$2; shift 2; fi
if [ $# -ne 1 ]; then
  echo "usage: $0 [--from CACHE_DIR] DIR" >&2
  exit 2
fi
dir=$1
mkdir -p "$dir"

# "package version tarball sha256" per line, as CMake reads the manifest.
manifest_lines() {
  local script
  script=$(mktemp)
  cat >"$script" <<CMAKE
include("$root/wasm/manifest.cmake")
foreach(p PGLITE_NPM PGLITE_TOOLS_NPM)
  message("\${\${p}_PACKAGE} \${\${p}_VERSION} \${\${p}_TARBALL} \${\${p}_TARBALL_SHA256}")
endforeach()
CMAKE
  cmake -P "$script" 2>&1
  rm -f "$script"
}

sha256() { sha256sum "$1" | cut -d' ' -f1; }

status=0
while read -r package version tarball expected; do
  dest="$dir/$tarball"
  if [ -e "$dest" ]; then
    have=$(sha256 "$dest")
    if [ "$have" = "$expected" ]; then
      echo "ok      $tarball (already there)"
    else
      echo "error   $dest has SHA-256 $have, expected $expected; remove it and run again" >&2
      status=1
    fi
    continue
  fi
  tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
  if [ -n "$from" ]; then
    cp "$from/$tarball" "$tmp/"
  else
    (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null)
  fi
  have=$(sha256 "$tmp/$tarball")
  if [ "$have" != "$expected" ]; then
    echo "error   $package@$version: got SHA-256 $have, expected $expected" >&2
    rm -rf "$tmp"
    status=1
    continue
  fi
  mv "$tmp/$tarball" "$dest"
  rmdir "$tmp"
  echo "fetched $tarball ($expected)"
done < <(manifest_lines)
exit $status
