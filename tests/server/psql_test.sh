#!/usr/bin/env bash
# psql against the server: -c, a script with -f and ON_ERROR_STOP, \d, and a
# \copy round trip. Usage (under server.sh run): psql_test.sh tcp|unix [PSQL]
set -euo pipefail
mode=${1:?usage: psql_test.sh tcp|unix [PSQL]}
PSQL=${2:-psql}
[ "$mode" = unix ] && export PGHOST=$SERVER_SOCKET_DIR
cd "$SERVER_SCRATCH"
fail() { echo "FAIL ($mode): $*" >&2; exit 1; }
q() { timeout 60 "$PSQL" -X -v ON_ERROR_STOP=1 -At "$@"; }
expect() {  # expect WANT GOT WHAT
  [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
  echo "ok: $3"
}

# The connection goes where it should.
conninfo=$(q -c '\conninfo')
case "$mode" in
  tcp) [[ $conninfo == *'on host "127.0.0.1"'* ]] || fail "not over TCP: $conninfo" ;;
  unix) [[ $conninfo == *"via socket in \"$SERVER_SOCKET_DIR\""* ]] || fail "not over the unix socket: $conninfo" ;;
esac
echo "ok: connected ($conninfo)"

expect 2 "$(q -c 'SELECT 1 + 1')" "-c"
expect "a|b" "$(q -c "SELECT 'a', 'b'")" "-c with two columns"

cat >script.sql <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, amount numeric(10,2), created date);
INSERT INTO t VALUES (1, 'one', 1.50, '2024-01-01'), (2, 'two', NULL, NULL);
BEGIN;
UPDATE t SET amount = amount * 2 WHERE id = 1;
INSERT INTO t SELECT g, 'gen ' || g, g / 4.0, date '2024-01-01' + g FROM generate_series(3, 10) g;
COMMIT;
SELECT count(*), sum(amount) FROM t;
SQL
expect "10|16.00" "$(q -f script.sql | tail -n1)" "-f script with ON_ERROR_STOP"

# ON_ERROR_STOP: psql exits 3 at the first error and runs nothing after it.
cat >bad.sql <<'SQL'
INSERT INTO t VALUES (100, 'before');
INSERT INTO t VALUES (1, 'duplicate key');
INSERT INTO t VALUES (101, 'after');
SQL
status=0; q -f bad.sql >/dev/null 2>bad.err || status=$?
expect 3 "$status" "ON_ERROR_STOP exit status on error"
grep -q 'duplicate key value violates unique constraint' bad.err || fail "unexpected error text: $(cat bad.err)"
expect "100" "$(q -c 'SELECT string_agg(id::text, $$,$$) FROM t WHERE id >= 100')" "statements after the error did not run"
q -c 'DELETE FROM t WHERE id >= 100' >/dev/null

# \d lists the columns with their types.
d=$(q -c '\d t')
for col in 'id|integer' 'name|text' 'amount|numeric(10,2)' 'created|date'; do
  grep -q "^$col|" <<<"$d" || fail "\\d t lacks column $col: $d"
done
grep -q 't_pkey' < <(timeout 60 "$PSQL" -X -c '\d t') || fail "\\d t lacks the primary key index"
echo "ok: \\d t"

# \copy FROM a file and back TO a file (text and CSV), byte for byte.
q -c 'CREATE TABLE c (id int, body text, note text)' >/dev/null
python3 - >in.txt <<'PY'
for i in range(1, 2001):
    body = "row %d tab\\there backslash\\\\ é ✓" % i if i % 3 else "plain %d" % i
    note = "\\N" if i % 5 == 0 else "n%d" % (i * 7)
    print("%d\t%s\t%s" % (i, body, note))
PY
expect "COPY 2000" "$(q -c '\copy c FROM in.txt')" "\\copy FROM file"
q -c '\copy (SELECT * FROM c ORDER BY id) TO out.txt' >/dev/null
cmp in.txt out.txt || fail "\\copy TO file differs from the file copied in"
expect "400|2000" "$(q -c 'SELECT count(*) FILTER (WHERE note IS NULL), count(*) FROM c')" "NULLs survive \\copy"
q -c '\copy c TO out.csv WITH (FORMAT csv, HEADER)' >/dev/null
q -c 'TRUNCATE c' -c '\copy c FROM out.csv WITH (FORMAT csv, HEADER)' >/dev/null
q -c '\copy c TO out2.csv WITH (FORMAT csv, HEADER)' >/dev/null
cmp out.csv out2.csv || fail "CSV \\copy round trip differs"
echo "ok: \\copy round trips (text, csv)"

# Large objects through libpq's fast-path FunctionCall messages (PQfn).
head -c 100000 /dev/urandom >blob.bin
oid=$(q -c '\lo_import blob.bin' | awk '{print $2}')
q -c "\\lo_export $oid blob.out" >/dev/null
cmp blob.bin blob.out || fail "\\lo_import/\\lo_export round trip differs"
echo "ok: large objects (FunctionCall)"

# Startup-packet settings (PGDATESTYLE, PGOPTIONS) are the client's RESET
# values, as natively; a client without them has the server's.
got=$(PGDATESTYLE='Postgres, MDY' PGOPTIONS='-c work_mem=8MB' q -q -c 'SET datestyle TO iso' \
  -c 'SET work_mem = 1024' -c 'RESET datestyle' -c 'SHOW datestyle' -c 'RESET ALL' -c 'SHOW work_mem' |
  tr '\n' ' ')
expect "Postgres, MDY 8MB " "$got" "RESET returns to the startup-packet values"
expect "ISO, MDY" "$(q -q -c 'RESET datestyle' -c 'SHOW datestyle' | tail -n1)" "another client has the server's"

# psql's \gdesc (Parse and Sync, then Describe and Sync) while other
# clients run between its two steps.
(for i in $(seq 1 150); do echo "SELECT $i;"; done | q >/dev/null) &
busy=$!
for i in $(seq 1 15); do
  out=$(printf 'SELECT 1 AS one, %s::text AS two \\gdesc\n' "$i" | q 2>&1)
  [ "$out" = $'one|integer\ntwo|text' ] || { kill $busy 2>/dev/null; fail "\\gdesc among other clients: $out"; }
done
wait $busy
echo "ok: \\gdesc among other clients"
echo "psql_test ($mode): all passed"
