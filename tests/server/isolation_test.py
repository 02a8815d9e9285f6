#!/usr/bin/env python3
"""Per-client session state although clients share one backend: settings
(SET and startup-packet options), temporary tables, LISTEN channels and
named statements of one connection are invisible to the others and survive
the others' turns, DISCARD ALL and DEALLOCATE ALL included. Runs under
server.sh (uses $SERVER_URL)."""
import os
import select

import psycopg2
import psycopg2.errors

url = os.environ["SERVER_URL"]


def connect(**kwargs):
    conn = psycopg2.connect(url, **kwargs)
    conn.autocommit = True
    return conn


def one(cur, sql, *args):
    cur.execute(sql, args or None)
    return cur.fetchone()[0]


def fails(cur, sql, sqlstate):
    try:
        cur.execute(sql)
    except psycopg2.Error as e:
        assert e.pgcode == sqlstate, f"{sql}: {e.pgcode} {e}"
        return
    raise AssertionError(f"{sql}: no error")


a, b = connect(), connect()
ca, cb = a.cursor(), b.cursor()

# --- settings ---
ca.execute("SET work_mem = '7MB'")
ca.execute("SET search_path = pg_catalog, public")
assert one(cb, "SHOW work_mem") == "4MB", "b sees a's work_mem"
assert one(ca, "SHOW work_mem") == "7MB", "a lost its work_mem"
cb.execute("SET datestyle = 'German'")
assert one(ca, "SHOW search_path") == "pg_catalog, public", "a lost its search_path"
assert not one(ca, "SHOW datestyle").startswith("German"), "a sees b's datestyle"
assert one(cb, "SHOW datestyle").startswith("German"), "b lost its datestyle"
assert one(cb, "SHOW search_path") != "pg_catalog, public", "b sees a's search_path"
ca.execute("RESET work_mem")
assert one(ca, "SHOW work_mem") == "4MB", "RESET not kept"
ca.execute("RESET search_path")

# --- startup packet: options=-c, plain parameters, ParameterStatus ---
c = connect(options="-c work_mem=9MB -c search_path=pg_catalog", application_name="isolation-app")
cc = c.cursor()
assert one(cc, "SHOW work_mem") == "9MB", "-c work_mem not applied"
assert one(cc, "SHOW search_path") == "pg_catalog", "-c search_path not applied"
assert one(cc, "SHOW application_name") == "isolation-app"
assert c.get_parameter_status("application_name") == "isolation-app", "ParameterStatus not updated"
assert one(ca, "SHOW work_mem") == "4MB", "a sees c's startup work_mem"
assert one(cc, "SHOW work_mem") == "9MB", "c lost its startup work_mem"
c.close()
for bad, expected in (
    ("-c no_such_setting=1", 'unrecognized configuration parameter "no_such_setting"'),
    ("-c work_mem=lots", 'invalid value for parameter "work_mem"'),
    ("-B 10", 'unsupported startup option "-B"'),
):
    try:
        connect(options=bad)
        raise AssertionError(f"options={bad!r} accepted")
    except psycopg2.OperationalError as e:
        assert "FATAL" in str(e) and expected in str(e), str(e)
assert one(ca, "SELECT 1") == 1, "server unusable after refused startups"

# --- temporary tables belong to their client ---
ca.execute("CREATE TEMP TABLE t (who text, big text)")
ca.execute("INSERT INTO t VALUES ('a', repeat('x', 100000))")  # toasted
fails(cb, "SELECT * FROM t", "42P01")
cb.execute("CREATE TEMP TABLE t (who text, n int)")  # same name, other client
cb.execute("INSERT INTO t VALUES ('b', 1), ('b', 2)")
assert one(ca, "SELECT who || length(big) FROM t") == "a100000", "a's temp table changed"
assert one(cb, "SELECT count(*) FROM t WHERE who = 'b'") == 2, "b's temp table changed"
assert one(ca, "SELECT count(*) FROM pg_temp.t") == 1
ca.execute("CREATE TEMP TABLE only_a (x int)")
fails(cb, "SELECT * FROM only_a", "42P01")
assert one(ca, "SELECT pg_my_temp_schema() <> 0") is True
assert one(ca, "SELECT pg_my_temp_schema()") != one(cb, "SELECT pg_my_temp_schema()")
# A third client making its first temp table must not empty a's or b's.
d = connect()
cd = d.cursor()
cd.execute("CREATE TEMP TABLE t (z int)")
assert one(ca, "SELECT count(*) FROM t") == 1 and one(cb, "SELECT count(*) FROM t") == 2
# DISCARD TEMP / DISCARD ALL drop only the caller's.
cd.execute("DISCARD ALL")
fails(cd, "SELECT * FROM t", "42P01")
assert one(ca, "SELECT count(*) FROM t") == 1 and one(cb, "SELECT count(*) FROM t") == 2
# A client's temp tables go when it disconnects; its schemas too.
b.close()
assert one(ca, "SELECT count(*) FROM t") == 1
parked = one(ca, "SELECT count(*) FROM pg_namespace WHERE nspname ~ '^pg_(toast_)?temp_.*_pgl'")
d.close()
e = connect()
ce = e.cursor()
fails(ce, "SELECT * FROM t", "42P01")
ce.execute("CREATE TEMP TABLE t (y int)")
assert one(ca, "SELECT count(*) FROM t") == 1, "a's temp table lost"
assert parked <= 4, f"{parked} parked schemas with two clients"

# --- LISTEN: one client's UNLISTEN does not end another's ---
ca.execute("LISTEN chan")
ce.execute("LISTEN chan")
ce.execute("UNLISTEN *")
ce.execute("NOTIFY chan, 'hello'")
for _ in range(50):
    if select.select([a], [], [], 0.1)[0]:
        a.poll()
    if a.notifies:
        break
assert a.notifies and a.notifies[0].payload == "hello", "a lost its LISTEN"

# --- another client's DEALLOCATE ALL / DISCARD ALL (named statements: libpq_test.c) ---
ce.execute("DEALLOCATE ALL")
ce.execute("DISCARD ALL")
assert one(ca, "SELECT count(*) FROM t") == 1, "a's temp table lost to e's DISCARD ALL"
assert one(ca, "SHOW work_mem") == "4MB"
# Ending "the" backend would end everyone's session: it is refused.
assert one(ce, "SELECT pg_terminate_backend(pg_backend_pid())") is False
assert one(ca, "SELECT count(*) FROM t") == 1
print("isolation: settings, startup options, temp tables, LISTEN per client")
