#!/usr/bin/python3
"""Disk full, end to end: `pglite serve -d` on a small real tmpfs.

Run as: unshare --map-root-user --mount disk_full_test.py PGLITE (a mount
namespace of its own, so no root is needed and nothing outlives the test).
A 96 MiB tmpfs holds the database and a 24 MiB ballast file. Clients fill
the disk four ways, one after the other: heap inserts (53100), one large
transaction, WAL from many updates, a CHECKPOINT. A statement that cannot
write fails (53100; a WAL or checkpoint write that fails is a PANIC, as
natively: the server restarts the backend, which on a still-full disk
fails, so every client gets 57P03); no statement may hang, and a watchdog
client must get an answer or an error within 10 s throughout. Then the
ballast is removed, and every acknowledged commit must be there, with
amcheck clean: first through the same server (a new connection restarts
its backend once the disk has room), then after a restart of the server.
"""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2

PGLITE = sys.argv[1]
LIMIT = 2.0


def start_server(data):
    proc = subprocess.Popen([PGLITE, "serve", "-d", data, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("postgresql://"):
        proc.kill()
        raise SystemExit("disk_full: server did not start: %r" % url)
    return proc, url


def connect(url):
    conn = psycopg2.connect(url, connect_timeout=10)
    conn.autocommit = True
    return conn


def execute(url_or_conn, sql, params=None):
    """Runs sql; returns None on success or the SQLSTATE (or the error text)."""
    try:
        conn = connect(url_or_conn) if isinstance(url_or_conn, str) else url_or_conn
        with conn.cursor() as cur:
            cur.execute("SET statement_timeout = '60s'")
            cur.execute(sql, params)
        return None
    except psycopg2.Error as e:
        return e.pgcode or str(e).strip().splitlines()[0]


class Watchdog(threading.Thread):
    """A fresh connection and SELECT 1 every 0.3 s: any answer (even an error
    while the backend restarts) within LIMIT seconds."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.stop, self.slowest, self.rounds = url, threading.Event(), 0.0, 0

    def run(self):
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                conn = psycopg2.connect(self.url, connect_timeout=int(LIMIT * 5))
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")
                conn.close()
            except psycopg2.Error:
                pass
            self.slowest = max(self.slowest, time.monotonic() - start)
            self.rounds += 1
            self.stop.wait(0.3)


def fill(url, acked):
    """The four ways of filling the disk; returns what each ended with."""
    outcomes = {}
    conn = connect(url)
    execute(conn, "CREATE TABLE IF NOT EXISTS kept (id int PRIMARY KEY, v text)")
    execute(conn, "CREATE TABLE IF NOT EXISTS filler (v text)")
    # 1. heap inserts, each acknowledged row remembered
    state = None
    for i in range(1, 100000):
        state = execute(conn, "INSERT INTO kept VALUES (%s, repeat('k', 2000)); "
                              "INSERT INTO filler SELECT repeat('f', 2000) FROM generate_series(1, 200)", (i,))
        if state is not None:
            break
        acked.append(i)
    outcomes["heap inserts"] = state
    # 2. one large transaction
    outcomes["large transaction"] = execute(
        url, "BEGIN; INSERT INTO filler SELECT repeat('t', 2000) FROM generate_series(1, 200000); COMMIT")
    # 3. WAL from many updates of the same rows
    state = None
    for _ in range(2000):
        state = execute(url, "UPDATE kept SET v = repeat(md5(random()::text), 60) WHERE id % 7 = 0")
        if state is not None:
            break
    outcomes["wal from updates"] = state
    # 4. a checkpoint on the full disk
    outcomes["checkpoint"] = execute(url, "CHECKPOINT")
    return outcomes


def verify(url, acked):
    conn = connect(url)
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM kept")
        present = {row[0] for row in cur.fetchall()}
        lost = [i for i in acked if i not in present]
        cur.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        cur.execute("SELECT count(*) FROM verify_heapam('kept')")
        heap_problems = cur.fetchone()[0]
        cur.execute("SELECT bt_index_check('kept_pkey', true)")
    return lost, heap_problems


def main():
    root = tempfile.mkdtemp(prefix="pglite-diskfull-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", root], check=True)
    server = None
    try:
        with open(os.path.join(root, "ballast"), "wb") as f:
            f.write(b"\0" * (24 << 20))
        data = os.path.join(root, "db")
        server, url = start_server(data)
        watchdog = Watchdog(url)
        watchdog.start()
        acked = []
        outcomes = fill(url, acked)
        watchdog.stop.set()
        watchdog.join(timeout=30)
        # Room again: the same server's next connection restarts the backend
        # (crash recovery), which a full disk had stopped.
        os.remove(os.path.join(root, "ballast"))
        time.sleep(1.1)
        lost, heap_problems = verify(url, acked)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            raise SystemExit("disk_full: the server did not stop on SIGTERM")
        server, url = start_server(data)  # and it opens again with the same rows
        lost2, _ = verify(url, acked)
        lost += lost2
        for way, state in outcomes.items():
            print("disk_full: %-18s -> %s" % (way, state or "succeeded"))
        print("disk_full: %d acknowledged commits, %d lost, heap problems %d; watchdog %d rounds, slowest %.2f s"
              % (len(acked), len(lost), heap_problems, watchdog.rounds, watchdog.slowest))
        failures = []
        if outcomes["heap inserts"] != "53100":
            failures.append("heap inserts ended with %s, not 53100" % outcomes["heap inserts"])
        if outcomes["large transaction"] is None:
            failures.append("the large transaction committed on a full disk")
        if lost or heap_problems:
            failures.append("lost %d commits, %d heap problems" % (len(lost), heap_problems))
        if watchdog.slowest > LIMIT * 5 or watchdog.rounds == 0:
            failures.append("the watchdog waited %.1f s" % watchdog.slowest)
        if failures:
            raise SystemExit("disk_full: FAIL: " + "; ".join(failures))
    finally:
        if server and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        subprocess.run(["umount", "-l", root])
        os.rmdir(root)


if __name__ == "__main__":
    main()
