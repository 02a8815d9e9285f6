#!/usr/bin/env bash
# Session state of one psql connection is invisible to the next, as with a
# native server where each connection is its own backend: SET ROLE, SET
# SESSION AUTHORIZATION (both exempt from RESET ALL), placeholders, and the
# temporary tables of a client that disconnected as a non-superuser role.
# Also: nothing the server runs itself loads plpgsql. Usage (under server.sh
# run): session_state_test.sh [PSQL]
set -euo pipefail
PSQL=${1:-psql}
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { timeout 60 "$PSQL" -X -v ON_ERROR_STOP=1 -At "$@"; }
expect() {  # expect WANT GOT WHAT
  [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
  echo "ok: $3"
}

# First, on the fresh server: a placeholder under plpgsql's prefix is
# accepted while plpgsql is not loaded (the server's own work used to run a
# DO block at startup, which loaded it and reserved the prefix).
q -c "CREATE TEMP TABLE t (a int)" >/dev/null
q -c "SET plpgsql.not_a_setting = 'x'" >/dev/null || fail "plpgsql loaded by the server"
echo "ok: plpgsql not loaded by the server"

me=$(q -c "SELECT current_user")
q -c "CREATE ROLE r" -c "SET ROLE r" >/dev/null
expect "$me" "$(q -c 'SELECT current_user')" "SET ROLE of a closed connection"
q -c "CREATE ROLE u" -c "SET SESSION AUTHORIZATION u" >/dev/null
expect "$me|$me" "$(q -c 'SELECT session_user, current_user')" "SET SESSION AUTHORIZATION of a closed connection"
q -c "SET myapp.tenant = 'acme'" -c "SET work_mem = '9MB'" >/dev/null
expect "|4MB" "$(q -c "SELECT current_setting('myapp.tenant', true), current_setting('work_mem')")" \
  "placeholder and GUC of a closed connection"

# A temporary table made under a non-superuser role goes with its client.
q -c "SET ROLE r" -c "CREATE TEMP TABLE secret (a int)" -c "INSERT INTO secret VALUES (42)" >/dev/null
expect 0 "$(q -c "SELECT count(*) FROM pg_class WHERE relname = 'secret'")" "temp table of a role is dropped"
q -c "SELECT * FROM secret" 2>/dev/null && fail "another client's temp table is readable"
echo "ok: temp table not readable"

# Two live connections: one's role never reaches the other (psql -f with
# \! would serialize; use a coprocess holding connection A open).
coproc A { timeout 60 "$PSQL" -X -qAt -v ON_ERROR_STOP=1 2>&1; }
apid=$A_PID  # bash unsets A_PID once the coprocess has ended
echo "SET ROLE r; SELECT 'a:' || current_user;" >&"${A[1]}"
read -r -t 20 line <&"${A[0]}" || fail "no answer from A"
expect "a:r" "$line" "A runs as r"
expect "$me" "$(q -c 'SELECT current_user')" "B meanwhile runs as $me"
echo "SELECT 'a:' || current_user;" >&"${A[1]}"
read -r -t 20 line <&"${A[0]}" || fail "no answer from A"
expect "a:r" "$line" "A still runs as r"
exec {A[1]}>&-
wait "$apid" 2>/dev/null || true
echo "session state: ok"
