#!/usr/bin/env bash
# pglite's shell against psql 15, the oracle: the same script (compare/
# script.sql: \x, \pset, \t, \a, \echo, \copy, \i, \ir, \o, \encoding,
# \timing, \conninfo, \g...) runs through psql against `pglite serve` and
# through `pglite -f`, each on its own copy of one fixture database and in
# its own copy of compare/; standard output and the files the script writes
# must be identical.
#
#   psql_compare_test.sh PGLITE_BINARY PSQL
#
# Normalised before the diff (and only this):
#   - "Time: N ms" (\timing)       -> "Time: <ms>"
#   - the \conninfo line           -> "<conninfo>" (psql names host and port,
#                                     pglite says embedded)
#   - the "pager" line of \pset    -> "pager <n>" (psql 1, pglite 0: no pager)
# Standard error is not compared (psql prefixes script errors with
# "psql:FILE:LINE:"), but neither run may report an error.
set -euo pipefail

pglite=$(realpath "$1") psql=$2
here=$(cd "$(dirname "$0")" && pwd)
server_sh=$here/../server/server.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/pglcmp.XXXXXX")
srv=$work/srv
cleanup() {
  [ -e "$srv/server.pid" ] && { "$server_sh" stop "$srv" >/dev/null 2>&1 || true; }
  rm -rf "$work"
}
trap cleanup EXIT

"$pglite" -d "$work/db" -v ON_ERROR_STOP=1 -f "$here/compare/fixture.sql" >/dev/null
cp -r "$work/db" "$work/db_pglite"
mkdir -p "$srv"
cp -r "$here/compare" "$work/psql_run"
cp -r "$here/compare" "$work/pglite_run"

# psql 15 against `pglite serve` on the first copy.
PGLITE_SERVER_CMD="$pglite serve -d $work/db" "$server_sh" start "$srv" >/dev/null
(
  # shellcheck source=/dev/null
  source "$srv/env"
  cd "$work/psql_run"
  PGCLIENTENCODING=UTF8 "$psql" -X -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres \
    -f script.sql >"$work/psql.out" 2>"$work/psql.err"
) || { echo "psql failed:"; cat "$work/psql.err"; exit 1; }
"$server_sh" stop "$srv" >/dev/null

# pglite on the second copy.
(cd "$work/pglite_run" && "$pglite" -d "$work/db_pglite" -f script.sql >"$work/pglite.out" 2>"$work/pglite.err") ||
  { echo "pglite -f failed:"; cat "$work/pglite.err"; exit 1; }

status=0
for who in psql pglite; do
  if [ -s "$work/$who.err" ]; then
    echo "$who wrote to standard error:"; cat "$work/$who.err"; status=1
  fi
  sed -E -e 's/^Time: [0-9]+\.[0-9]{3} ms( \(.*\))?$/Time: <ms>/' \
         -e 's/^You are connected to database .*$/<conninfo>/' \
         -e 's/^pager( +)[01]$/pager\1<n>/' "$work/$who.out" >"$work/$who.norm"
done
if ! diff -u "$work/psql.norm" "$work/pglite.norm"; then
  echo "FAIL: standard output differs (- psql 15, + pglite)"; status=1
fi
for f in fruit.csv loaded.tsv results.txt; do
  if ! cmp -s "$work/psql_run/$f" "$work/pglite_run/$f"; then
    echo "FAIL: $f differs (- psql 15, + pglite)"
    diff -u "$work/psql_run/$f" "$work/pglite_run/$f" || true
    status=1
  fi
done
grep -q '^=== query buffer' "$work/pglite.out" || { echo "FAIL: the script did not run to its end"; status=1; }
[ "$status" = 0 ] && echo "ok: $(wc -l <"$work/pglite.out") lines of output and 3 files identical to psql 15's"
exit "$status"
