#!/usr/bin/env bash
# The server with a certificate: psql connects with sslmode=require and sees
# TLS; plain connections still work; a missing key is refused at start.
#   tls_test.sh            (PGLITE_BIN set) generates a certificate, then runs
#                          the checks below under server.sh
#   tls_test.sh --check    the checks, run by server.sh
set -euo pipefail
here=$(dirname "$0")
if [ "${1:-}" = --check ]; then
  info=$(psql "$SERVER_URL?sslmode=require" -c '\conninfo')
  echo "$info" | grep -q "SSL connection (protocol: TLSv1" || { echo "not a TLS connection: $info"; exit 1; }
  [ "$(psql "$SERVER_URL?sslmode=require" -Atc "SELECT 40 + 2")" = 42 ] || { echo "query over TLS failed"; exit 1; }
  [ "$(psql "$SERVER_URL?sslmode=disable" -Atc "SELECT 1")" = 1 ] || { echo "plain connection failed"; exit 1; }
  echo "tls: all checks passed"
  exit 0
fi
certs=$(mktemp -d)
trap 'rm -rf "$certs"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$certs/key.pem" -out "$certs/cert.pem" -days 2 \
  -subj "/CN=localhost" >/dev/null 2>&1
if "$PGLITE_BIN" serve --port 0 --tls-cert "$certs/cert.pem" --tls-key /nonexistent >/dev/null 2>&1; then
  echo "started with a missing key"; exit 1
fi
PGLITE_SERVER_CMD="$PGLITE_BIN serve --tls-cert $certs/cert.pem --tls-key $certs/key.pem" \
  "$here/server.sh" run --timeout 60 -- "$0" --check
