#!/usr/bin/env bash
# The server with a password: SCRAM-SHA-256 with the right password works; a
# wrong one and none at all are refused ("password authentication failed",
# SQLSTATE 28P01 on the wire). Runs itself under server.sh like tls_test.sh.
set -euo pipefail
password=c0rrect-horse
if [ "${1:-}" = --check ]; then
  [ "$(PGPASSWORD=$password psql "$SERVER_URL" -Atc "SELECT 'in'")" = in ] || { echo "right password refused"; exit 1; }
  if out=$(PGPASSWORD=wrong psql "$SERVER_URL" -Atc "SELECT 1" 2>&1); then
    echo "wrong password accepted"; exit 1
  fi
  echo "$out" | grep -q "password authentication failed" || { echo "unexpected error: $out"; exit 1; }
  if PGPASSWORD= psql "$SERVER_URL" -w -Atc "SELECT 1" >/dev/null 2>&1; then
    echo "no password accepted"; exit 1
  fi
  echo "scram: all checks passed"
  exit 0
fi
PGLITE_SERVER_CMD="$PGLITE_BIN serve --password $password" "$(dirname "$0")/server.sh" run --timeout 60 -- "$0" --check
