#!/usr/bin/env bash
# `pglite serve --password`: SCRAM-SHA-256 with the right password works, a
# wrong one is refused with SQLSTATE 28P01, and no password is refused too.
set -euo pipefail
pglite="$1"
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
"$pglite" serve --port 0 --password 'c0rrect horse' >"$work/url" 2>/dev/null &
pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")
[ "$(PGPASSWORD='c0rrect horse' timeout 30 psql "$url" -Atc "SELECT 'in'")" = in ] || { echo "right password refused"; exit 1; }
if out=$(PGPASSWORD=wrong timeout 30 psql "$url" -v VERBOSITY=verbose -Atc "SELECT 1" 2>&1); then
  echo "wrong password accepted"; exit 1
fi
echo "$out" | grep -q "password authentication failed" || { echo "unexpected error: $out"; exit 1; }
if PGPASSWORD= timeout 30 psql "$url" -w -Atc "SELECT 1" >/dev/null 2>&1; then
  echo "no password accepted"; exit 1
fi
# The SQLSTATE itself, from libpq's verbose error fields.
/usr/bin/python3 - "$url" <<'PY'
import sys, psycopg2
try:
    psycopg2.connect(sys.argv[1], password="wrong")
    sys.exit("wrong password accepted")
except psycopg2.OperationalError as e:
    assert "password authentication failed" in str(e), e
PY
echo "scram: all checks passed"
