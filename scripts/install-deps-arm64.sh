#!/usr/bin/env bash
# Installs what the Linux arm64 cross build (scripts/build-arm64.sh) and its
# emulated tests (scripts/test-arm64.sh) need on a Debian 12 x86-64 machine:
# the aarch64 cross toolchain, the arm64 multiarch -dev packages the library,
# the static CLI and the tests link against, and qemu-user-static. The native
# dependencies (wabt, python3, cmake, ...) come from scripts/install-deps.sh.
set -euo pipefail
# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"
PKGS=(
  crossbuild-essential-arm64 qemu-user-static
  libarchive-dev:arm64 libzstd-dev:arm64 libuv1-dev:arm64 libssl-dev:arm64 libedit-dev:arm64
  # the static pglite CLI (PGLITE_STATIC_CLI): libedit's own static dependencies
  libncurses-dev:arm64 libbsd-dev:arm64 libmd-dev:arm64
  libgtest-dev:arm64 libgmock-dev:arm64
)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
  apt_update
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt_update
  apt_install "${missing[@]}"
fi
