#!/usr/bin/env python3
"""A backend that breaks (here: a wasm trap, nesting deep enough to exhaust
the native stack in the jsonb parser) ends every client's session at once,
as a native server does when a backend crashes: the client whose statement
broke it and every other client, waiting or idle, get FATAL. The server then
starts a new backend on the same data (crash recovery) and keeps serving,
without spinning. Checked on the temporary database of server.sh
($SERVER_URL) and on a persistent one this test serves itself
($PGLITE_BIN serve -d)."""
import os
import subprocess
import threading
import time

import psycopg2

TRAP = "SELECT repeat('[', 5000000)::jsonb"


def connect(url, autocommit=True):
    conn = psycopg2.connect(url, connect_timeout=10)
    conn.autocommit = autocommit
    return conn


def one(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


def fails(conn, sql, within):
    start = time.monotonic()
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    except psycopg2.Error as e:
        took = time.monotonic() - start
        assert took < within, f"{sql}: error after {took:.1f} s"
        return e
    raise AssertionError(f"{sql}: no error")


def ended(e):
    return "crash of another server process" in str(e) or "closed the connection" in str(e)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def crash_and_recover(url, pid=None, round_no=1):
    setup = connect(url)
    with setup.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS kept (v int)")
        cur.execute("INSERT INTO kept VALUES (%s)", (round_no,))
    before = one(setup, "SELECT count(*) FROM kept")
    idle = connect(url)
    assert one(idle, "SELECT 1") == 1
    holder = connect(url, autocommit=False)
    with holder.cursor() as cur:
        cur.execute("INSERT INTO kept VALUES (-1)")  # open transaction: never committed
    # A client waiting for the backend while `holder` has it.
    waiting_error = []

    def wait_for_backend():
        try:
            with connect(url) as w, w.cursor() as cur:
                cur.execute("SELECT 2")
        except psycopg2.Error as e:
            waiting_error.append(e)

    waiter = threading.Thread(target=wait_for_backend)
    waiter.start()
    time.sleep(0.5)
    assert waiter.is_alive(), "the waiting client was not waiting"
    e = fails(holder, TRAP, within=60)
    assert isinstance(e, psycopg2.OperationalError), repr(e)
    waiter.join(10)
    assert not waiter.is_alive(), "the waiting client got no answer"
    assert waiting_error, "the waiting client's statement succeeded"
    assert ended(waiting_error[0]), str(waiting_error[0])
    # Idle clients find their connection ended when they next use it (as
    # with a native server, libpq may report only the closed socket).
    assert ended(fails(idle, "SELECT 1", within=10))
    assert ended(fails(setup, "SELECT 1", within=10))
    # A new client is served by the new backend, which has every committed row.
    fresh = connect(url)
    assert one(fresh, "SELECT count(*) FROM kept") == before, "committed rows lost"
    assert one(fresh, "SELECT count(*) FROM kept WHERE v = -1") == 0, "uncommitted row survived"
    assert one(fresh, "SELECT current_user") == "postgres"
    if pid is not None:
        used = cpu_seconds(pid)
        time.sleep(2)
        spent = cpu_seconds(pid) - used
        assert spent < 0.5, f"server busy while idle after the crash: {spent:.2f} s CPU in 2 s"
    fresh.close()
    for c in (holder, idle, setup):
        c.close()
    print(f"ok: crash round {round_no} on {url}")


# The temporary database server.sh started (PGDATA in memory: recovered too).
crash_and_recover(os.environ["SERVER_URL"], round_no=1)
crash_and_recover(os.environ["SERVER_URL"], round_no=2)

# A persistent database: crash recovery from its WAL on disk.
data = os.path.join(os.environ["SERVER_SCRATCH"], "db")
server = subprocess.Popen([os.environ["PGLITE_BIN"], "serve", "-d", data, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    url = server.stdout.readline().strip()
    assert url.startswith("postgresql://"), url
    crash_and_recover(url, pid=server.pid, round_no=1)
    crash_and_recover(url, pid=server.pid, round_no=2)
finally:
    server.terminate()
    status = server.wait(60)
assert status == 0, f"persistent server exited {status}: {server.stderr.read()}"
# The data directory opens again with both rounds' rows.
server = subprocess.Popen([os.environ["PGLITE_BIN"], "serve", "-d", data, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    url = server.stdout.readline().strip()
    with connect(url) as conn:
        assert one(conn, "SELECT string_agg(v::text, ',' ORDER BY v) FROM kept") == "1,2"
finally:
    server.terminate()
    assert server.wait(60) == 0
print("crash: every client told at once, new backend on the same data, no spinning")
