#!/usr/bin/env bash
# pgbench against the server: initialise scale 1, run tpcb-like with 4 clients
# (simple protocol, extended protocol, then named prepared statements — which
# needs the server to answer a PQprepare locally while another of pgbench's
# connections holds a transaction); require 0 failed transactions, then check
# that the books balance.
# Usage (under server.sh run): pgbench_test.sh [PGBENCH] [PSQL] [SECONDS]
set -euo pipefail
PGBENCH=${1:-pgbench}
PSQL=${2:-psql}
secs=${3:-10}
cd "$SERVER_SCRATCH"
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { timeout 60 "$PSQL" -X -v ON_ERROR_STOP=1 -At -c "$1"; }

timeout 180 "$PGBENCH" -i -s 1 -q >init.log 2>&1 || { cat init.log >&2; fail "pgbench -i -s 1 failed"; }
[ "$(q 'SELECT count(*) FROM pgbench_accounts')" = 100000 ] || fail "pgbench -i did not load 100000 accounts"
echo "ok: pgbench -i -s 1"

run() {  # run LOG ARGS...: pgbench with 0 failed, >0 processed transactions
  local log=$1; shift
  local status=0
  timeout $((secs + 60)) "$PGBENCH" -n "$@" >"$log" 2>&1 || status=$?
  [ "$status" -eq 0 ] || { cat "$log" >&2; fail "pgbench $* exited with status $status"; }
  local processed failed
  processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
  { [ -n "$processed" ] && [ -n "$failed" ]; } || { cat "$log" >&2; fail "cannot parse the pgbench $* report"; }
  [ "$failed" -eq 0 ] || { cat "$log" >&2; fail "pgbench $*: $failed failed transactions"; }
  [ "$processed" -gt 0 ] || { cat "$log" >&2; fail "pgbench $*: no transaction processed"; }
  echo "ok: pgbench -n $*: $processed transactions, 0 failed ($(grep '^tps' "$log" | head -n1))"
}
half=$((secs / 2 > 0 ? secs / 2 : 1))
run simple.log -c 4 -T "$secs"
run extended.log -c 4 -T "$half" -M extended
run prepared.log -c 4 -T "$half" -M prepared

# Every transaction added its delta to one account, teller and branch and to the history.
history=$(q 'SELECT sum(delta) FROM pgbench_history')
[ -n "$history" ] || fail "pgbench_history is empty"
for t in accounts:abalance tellers:tbalance branches:bbalance; do
  sum=$(q "SELECT sum(${t#*:}) FROM pgbench_${t%%:*}")
  [ "$sum" = "$history" ] || fail "sum(${t#*:}) of pgbench_${t%%:*} is $sum, sum(delta) of pgbench_history is $history"
done
echo "ok: account, teller and branch balances each add up to the history ($history, $(q 'SELECT count(*) FROM pgbench_history') rows)"
echo "pgbench_test: all passed"
