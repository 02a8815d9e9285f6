#!/usr/bin/env python3
"""statement_timeout through `pglite serve` ($SERVER_URL): a client's timeout
cancels its own statement (57014, a sleep and a busy one), a client queued
behind it is answered right after, and a client that never set the timeout
is not affected by another's. Without delivered timers the sleeping
statement would run for 60 s, so every check below would fail or time out."""
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
    print("ok")


if __name__ == "__main__":
    main()
