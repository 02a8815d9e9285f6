#!/usr/bin/env bash
# `pglite serve` with a certificate: psql connects with sslmode=require and
# sees a TLS connection; without TLS it still works; a bad key is refused at start.
set -euo pipefail
pglite="$1"
work=$(mktemp -d)
out="$work/url"
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 \
  -subj "/CN=localhost" >/dev/null 2>&1
"$pglite" serve --port 0 --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" >"$out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
url=$(head -1 "$out")
info=$(timeout 30 psql "$url?sslmode=require" -c '\conninfo')
echo "$info" | grep -q "SSL connection (protocol: TLSv1" || { echo "not a TLS connection: $info"; exit 1; }
[ "$(timeout 30 psql "$url?sslmode=require" -Atc "SELECT 40 + 2")" = 42 ] || { echo "query over TLS failed"; exit 1; }
[ "$(timeout 30 psql "$url?sslmode=disable" -Atc "SELECT 1")" = 1 ] || { echo "plain connection failed"; exit 1; }
if "$pglite" serve --port 0 --tls-cert "$work/cert.pem" --tls-key /nonexistent >/dev/null 2>&1; then
  echo "started with a missing key"; exit 1
fi
echo "tls: all checks passed"
