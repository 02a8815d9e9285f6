#!/usr/bin/env bash
# Compiles and runs JdbcTest against `pglite serve`.
set -euo pipefail
pglite="$1"
workdir="$2"
jar=/usr/share/java/postgresql.jar
mkdir -p "$workdir"
javac -d "$workdir" "$(dirname "$0")/JdbcTest.java"
out=$(mktemp)
"$pglite" serve --port 0 >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
port=$(head -1 "$out" | sed 's/.*:\([0-9]*\)\/.*/\1/')
timeout 120 java -cp "$workdir:$jar" JdbcTest "$port"
