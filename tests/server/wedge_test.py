#!/usr/bin/env python3
"""A client that vanishes in any protocol state must not wedge the server.

Run under server.sh: wedge_test.py PSQL. Each case leaves a connection in
the middle of something (COPY FROM STDIN, an extended-protocol exchange
before Sync, a transaction holding a lock, startup, SSL negotiation, a
running query) or does something that once broke the shared backend (client
encodings, a too-deep jsonb). Throughout, a watchdog client runs SELECT 1
every 0.2 s and must be answered within 2 s each time; after each case the
database must show exactly what Postgres would have kept (an exchange
without Sync is rolled back, a failed COPY leaves nothing). Standard library
only; loopback; every socket has a timeout.
"""
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

from pgwire import Failure, connect, login, message, read_message, read_until, startup_packet

PSQL = sys.argv[1] if len(sys.argv) > 1 else "psql"
WATCHDOG_LIMIT = 2.0


def parse(sql):
    return message(b"P", b"\0" + sql.encode() + b"\0\0\0")


BIND = message(b"B", b"\0" * 8)
EXECUTE = message(b"E", b"\0" * 5)
FLUSH = message(b"H")
SYNC = message(b"S")


def query(s, sql):
    """Rows (first column, text) of a simple query; raises Failure on error."""
    s.sendall(message(b"Q", sql.encode() + b"\0"))
    rows, error = [], None
    for kind, body in read_until(s, (b"Z",)):
        if kind == b"D":
            n = struct.unpack("!i", body[2:6])[0]
            rows.append(None if n < 0 else body[6:6 + n].decode())
        elif kind == b"E" and error is None:
            error = body
    if error:
        raise Failure("%s: %r" % (sql, error))
    return rows


def one(sql):
    s = login()
    try:
        return query(s, sql)[0]
    finally:
        s.close()


def rst_close(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


class Watchdog(threading.Thread):
    """SELECT 1 every 0.2 s on its own connection; remembers the slowest."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.slowest = 0.0
        self.rounds = 0
        self.errors = []

    def run(self):
        try:
            s = login(timeout=WATCHDOG_LIMIT * 5)
            while not self.stop.is_set():
                start = time.monotonic()
                try:
                    if query(s, "SELECT 1") != ["1"]:
                        self.errors.append("wrong answer")
                except (Failure, OSError) as e:
                    self.errors.append(str(e))
                    s = login(timeout=WATCHDOG_LIMIT * 5)
                self.slowest = max(self.slowest, time.monotonic() - start)
                self.rounds += 1
                self.stop.wait(0.2)
        except (Failure, OSError) as e:
            self.errors.append("watchdog could not reconnect: %s" % e)


# ---- cases ----

def copy_in_then_fin():
    s = login()
    s.sendall(message(b"Q", b"COPY kept FROM STDIN\0"))
    read_until(s, (b"G",))
    s.sendall(message(b"d", b"100\n101\n"))
    s.shutdown(socket.SHUT_WR)
    time.sleep(0.2)
    s.close()


def copy_in_then_rst():
    s = login()
    s.sendall(message(b"Q", b"INSERT INTO kept VALUES (102); COPY kept FROM STDIN\0"))
    read_until(s, (b"G",))
    rst_close(s)


def copy_in_gone_at_once():
    for _ in range(20):  # gone before, while and after the COPY starts
        s = login()
        s.sendall(message(b"Q", b"COPY kept FROM STDIN\0") + message(b"d", b"103\n"))
        s.close()


def copy_in_extended_then_close():
    s = login()
    s.sendall(parse("COPY kept FROM STDIN") + BIND + EXECUTE + SYNC)
    read_until(s, (b"G",))
    s.sendall(message(b"d", b"104\n"))
    s.close()


def psql_killed_mid_copy():
    p = subprocess.Popen([PSQL, "-X", "-q", "-c", "COPY kept FROM STDIN"], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    p.stdin.write(b"105\n106\n")
    p.stdin.flush()
    time.sleep(0.3)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=10)


def parse_error_flush_then_close():
    s = login()
    s.sendall(parse("SELEC 1") + FLUSH)
    kind, _ = read_message(s)
    if kind != b"E":
        raise Failure("expected ErrorResponse, got %r" % kind)
    s.close()


def execute_flush_then_close():
    s = login()
    s.sendall(parse("INSERT INTO kept VALUES (107)") + BIND + EXECUTE + FLUSH)
    read_until(s, (b"C",))
    s.close()


def error_flush_then_sync_answers_once():
    # Postgres sends no ReadyForQuery before Sync, skips to it, then one.
    s = login()
    try:
        s.sendall(parse("SELEC 1") + FLUSH)
        read_until(s, (b"E",))
        s.sendall(message(b"Q", b"SELECT 2\0"))  # skipped: inside the failed exchange
        s.sendall(SYNC)
        got = [kind for kind, _ in read_until(s, (b"Z",))]
        if got != [b"Z"]:
            raise Failure("after Sync: %r" % got)
        if query(s, "SELECT 3") != ["3"]:
            raise Failure("no answer after Sync")
    finally:
        s.close()


def transaction_with_lock_then_close():
    s = login()
    query(s, "BEGIN")
    query(s, "LOCK kept IN ACCESS EXCLUSIVE MODE")
    query(s, "INSERT INTO kept VALUES (108)")
    rst_close(s)


def gone_while_query_runs():
    s = login()
    s.sendall(message(b"Q", b"SELECT pg_sleep(0.5)\0"))
    s.close()


def gone_before_a_large_answer():
    # Writing to a closed connection raises SIGPIPE, which once ended the
    # whole server process.
    for _ in range(10):
        s = login()
        s.sendall(message(b"Q", b"SELECT repeat('x', 1000000) FROM generate_series(1, 40)\0"))
        s.close()


def gone_mid_startup_and_ssl():
    s = connect()
    s.sendall(startup_packet()[:11])
    s.close()
    s = connect()
    s.sendall(struct.pack("!II", 8, 80877103))  # SSLRequest
    s.recv(1)
    s.close()
    s = connect()
    s.sendall(startup_packet())
    s.close()


def client_encodings():
    for encoding in ["LATIN1", "WIN1252", "EUC_JP", "SJIS", "BIG5"]:
        out = subprocess.run([PSQL, "-X", "-Atc", "SET client_encoding TO %s" % encoding,
                              "-c", "SELECT 'abc', convert_to('abc', 'UTF8')"],
                             capture_output=True, timeout=30)
        if out.returncode != 0 or b"abc|\\x616263" not in out.stdout:
            raise Failure("client_encoding %s: rc=%d %r %r" % (encoding, out.returncode, out.stdout, out.stderr))


def deep_jsonb_error_stays_with_its_client():
    s = login()
    try:
        try:
            query(s, "SELECT repeat('[', 1000000)::jsonb")
            raise Failure("deep jsonb was accepted")
        except Failure as e:
            if "deep jsonb" in str(e):
                raise
        if query(s, "SELECT 4") != ["4"]:
            raise Failure("the failing client is not answered afterwards")
    finally:
        s.close()


CASES = [
    copy_in_then_fin,
    copy_in_then_rst,
    copy_in_gone_at_once,
    copy_in_extended_then_close,
    psql_killed_mid_copy,
    parse_error_flush_then_close,
    execute_flush_then_close,
    error_flush_then_sync_answers_once,
    transaction_with_lock_then_close,
    gone_while_query_runs,
    gone_before_a_large_answer,
    gone_mid_startup_and_ssl,
    client_encodings,
    deep_jsonb_error_stays_with_its_client,
]


def main():
    s = login()
    query(s, "DROP TABLE IF EXISTS kept")
    query(s, "CREATE TABLE kept (v int)")
    query(s, "INSERT INTO kept VALUES (1)")
    s.close()
    watchdog = Watchdog()
    watchdog.start()
    failed = 0
    for case in CASES:
        start = time.monotonic()
        try:
            case()
            # Nothing of an abandoned COPY, exchange or transaction is kept.
            rows = one("SELECT string_agg(v::text, ',' ORDER BY v) FROM kept")
            if rows != "1":
                raise Failure("table holds %s, expected 1" % rows)
            print("ok: %s (%.1f s)" % (case.__name__, time.monotonic() - start), flush=True)
        except (Failure, OSError, subprocess.SubprocessError) as e:
            failed += 1
            print("FAIL: %s: %s" % (case.__name__, e), flush=True)
    watchdog.stop.set()
    watchdog.join(timeout=30)
    print("watchdog: %d rounds, slowest %.2f s, errors %s" % (watchdog.rounds, watchdog.slowest, watchdog.errors))
    if watchdog.slowest > WATCHDOG_LIMIT or watchdog.errors or watchdog.is_alive():
        failed += 1
        print("FAIL: the watchdog client was not answered within %.0f s every time" % WATCHDOG_LIMIT)
    print("wedge_test: %d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
