#!/usr/bin/env python3
"""Timeouts through `pglite serve` ($SERVER_URL). statement_timeout: a
client's timeout cancels its own statement (57014, a sleep and a busy one),
a client queued behind it is answered right after, and a client that never
set the timeout is not affected by another's. Without delivered timers the
sleeping statement would run for 60 s, so every check below would fail or
time out. idle_in_transaction_session_timeout and idle_session_timeout end
only the idle client's session (FATAL, as natively), roll back what it
left, and the client waiting behind it goes on."""
import os
import threading
import time

import psycopg2
import psycopg2.errors

URL = os.environ["SERVER_URL"]


def connect():
    conn = psycopg2.connect(URL, connect_timeout=10)
    conn.autocommit = True
    return conn


def main():
    a, b, c = connect(), connect(), connect()
    with a.cursor() as cur:
        cur.execute("SET statement_timeout = '200ms'")
    answered = {}

    def other_client():
        with b.cursor() as cur:
            cur.execute("SELECT 'b answered'")
            answered["b"] = (cur.fetchone()[0], time.monotonic())

    for sql in ("SELECT pg_sleep(60)", "SELECT count(*) FROM generate_series(1, 20000000000)"):
        start = time.monotonic()
        waiter = threading.Thread(target=other_client)
        with a.cursor() as cur:
            try:
                cur.execute("BEGIN")  # b waits for a's transaction
                waiter.start()
                cur.execute(sql)
                raise AssertionError(f"{sql}: no timeout")
            except psycopg2.errors.QueryCanceled as e:
                assert "statement timeout" in str(e), e
            cur.execute("ROLLBACK")
        waiter.join(30)
        assert answered.get("b", ("", 0))[0] == "b answered", f"{sql}: the waiting client got no answer"
        print(f"{sql}: canceled, the other client answered {answered['b'][1] - start:.2f} s after the start")

    # The timeout is a's setting only.
    with c.cursor() as cur:
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone()[0] == "0"
        cur.execute("SELECT pg_sleep(0.5)")
    with a.cursor() as cur:
        cur.execute("SELECT 'a still works'")
        assert cur.fetchone()[0] == "a still works"
    idle_timeouts()
    print("ok")


def expect_disconnected(conn, reason):
    """The server ended conn's session (libpq may show the FATAL's text or only the close)."""
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
    except psycopg2.OperationalError as e:
        assert reason in str(e) or "closed" in str(e), e
        return
    raise AssertionError(f"the client was not disconnected ({reason})")


def idle_timeouts():
    a, b = connect(), connect()
    with a.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS idle_kept (v int)")
        cur.execute("SET idle_in_transaction_session_timeout = '300ms'")
        cur.execute("BEGIN")
        cur.execute("INSERT INTO idle_kept VALUES (1)")
    start = time.monotonic()
    with b.cursor() as cur:  # waits for a's transaction, which the timeout ends
        cur.execute("SELECT count(*) FROM idle_kept")
        assert cur.fetchone()[0] == 0, "the ended client's insert was kept"
    waited = time.monotonic() - start
    assert waited < 5, f"the waiting client waited {waited:.2f} s"
    time.sleep(0.6)  # (natively b did not wait: a's timeout may not have expired yet)
    expect_disconnected(a, "idle-in-transaction timeout")
    print(f"idle_in_transaction_session_timeout: ended that client, the other one waited {waited:.2f} s")
    c = connect()
    with c.cursor() as cur:
        cur.execute("SET idle_session_timeout = '300ms'")
    time.sleep(0.6)
    expect_disconnected(c, "idle-session timeout")
    with b.cursor() as cur:
        cur.execute("SELECT current_setting('idle_session_timeout'), current_setting('idle_in_transaction_session_timeout')")
        assert cur.fetchone() == ("0", "0")
    print("idle_session_timeout: ended that client only")


if __name__ == "__main__":
    main()
