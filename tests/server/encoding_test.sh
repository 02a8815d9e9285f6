#!/usr/bin/env bash
# Client encodings other than UTF8 and the statements that used to trap the
# instance, through the server with psql: each fails or succeeds as in native
# PostgreSQL and the server then still answers. Usage (under server.sh run):
# encoding_test.sh [PSQL]
set -euo pipefail
PSQL=${1:-psql}
cd "$SERVER_SCRATCH"
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { timeout 60 "$PSQL" -X -At "$@"; }
expect() {  # expect WANT GOT WHAT
  [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
  echo "ok: $3"
}
healthy() { expect 1 "$(q -c 'SELECT 1')" "server answers after: $1"; }

# The session's client encoding, set by SET and by the startup packet: the
# result comes back in it (LATIN1 é is 0xe9, SJIS 日本 is 93 fa 96 7b).
got=$(q -c 'SET client_encoding TO LATIN1' -c "SELECT U&'h\\00E9'" | od -An -tx1 | tr -d ' \n')
expect "5345540a68e90a" "$got" "SET client_encoding TO LATIN1"
got=$(PGCLIENTENCODING=SJIS q -c "SELECT U&'\\65E5\\672C'" | od -An -tx1 | tr -d ' \n')
expect "93fa967b0a" "$got" "PGCLIENTENCODING=SJIS"
healthy "client encodings"

# Text the client encoding cannot hold is an ordinary error.
err=$(q -c 'SET client_encoding TO LATIN1' -c "SELECT U&'\\65E5'" 2>&1 >/dev/null || true)
[[ $err == *'has no equivalent in encoding "LATIN1"'* ]] || fail "untranslatable character: $err"
echo "ok: untranslatable character is an error"
healthy "an untranslatable character"

expect "\\x93fa967b" "$(q -c "SELECT convert('\\xc6fccbdc'::bytea, 'EUC_JP', 'SJIS')")" "convert EUC_JP to SJIS"

# CREATE SUBSCRIPTION needs libpqwalreceiver, which cannot load here: an
# ordinary error (native PostgreSQL creates it, with a warning).
out=$(q -c "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p WITH (connect=false, slot_name=NONE)" 2>&1 || true)
case "$out" in
  *libpqwalreceiver*) echo "ok: CREATE SUBSCRIPTION is an error" ;;
  *"CREATE SUBSCRIPTION"*) q -c 'DROP SUBSCRIPTION s' >/dev/null; echo "ok: CREATE SUBSCRIPTION (native)" ;;
  *) fail "CREATE SUBSCRIPTION: $out" ;;
esac
healthy "CREATE SUBSCRIPTION"
