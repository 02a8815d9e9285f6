#!/usr/bin/env bash
# Each of many clients in turn makes its first temporary table (each one
# commits a new temporary namespace in the shared backend). Usage (under
# server.sh run): temp_tables_many_test.sh [PSQL] [CLIENTS]
set -euo pipefail
PSQL=${1:-psql}
n=${2:-24}
for i in $(seq "$n"); do
  timeout 60 "$PSQL" -X -v ON_ERROR_STOP=1 -q -c 'create temp table t(a int)' ||
    { echo "FAIL: client $i could not create its temp table" >&2; exit 1; }
done
echo "ok: $n clients made a temp table each"
