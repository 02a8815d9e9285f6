"""Malformed and abandoned connections must not take the server down.

Run under server.sh: bad_input_test.py [PSQL]. Standard library only; talks
to 127.0.0.1:$PGPORT alone. Each case sends something broken on raw sockets,
and afterwards a normal psql query must still succeed. Every case is bounded:
a few connections, socket timeouts of a few seconds.
"""
import random
import socket
import struct
import subprocess
import sys
import time

from pgwire import PROTOCOL_3_0, Failure, connect, login, read_message, recv_exactly, startup_packet

PSQL = sys.argv[1] if len(sys.argv) > 1 else "psql"


def expect_closed(s, within=10):
    """The server must close the connection (an ErrorResponse first is fine)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            if not s.recv(65536):
                return
        except ConnectionResetError:
            return
        except socket.timeout:
            break
    raise Failure("the server kept the connection open for %d s" % within)


def drain(s, seconds):
    """Reads whatever comes for a while; the server may or may not close."""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            s.settimeout(max(0.05, deadline - time.monotonic()))
            if not s.recv(65536):
                return
    except (socket.timeout, ConnectionError):
        pass


def psql_still_works():
    try:
        out = subprocess.run([PSQL, "-X", "-At", "-c", "SELECT 'alive'"], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        raise Failure("psql did not answer within 30 s")
    if out.returncode != 0 or out.stdout.strip() != "alive":
        raise Failure("psql failed afterwards (status %d): %s%s" % (out.returncode, out.stdout, out.stderr))


# --- the cases ---------------------------------------------------------------

def truncated_startup_then_close():
    for cut in (1, 3, 4, 7, 20):
        s = connect()
        s.sendall(startup_packet()[:cut])
        s.close()


def startup_length_2_31():
    s = connect()
    s.sendall(struct.pack("!II", 2**31, PROTOCOL_3_0) + b"user\0postgres\0")
    expect_closed(s)
    s.close()


def startup_length_too_small():
    s = connect()
    s.sendall(struct.pack("!II", 3, PROTOCOL_3_0))
    expect_closed(s)
    s.close()


def unsupported_protocol_version():
    s = connect()
    s.sendall(startup_packet(version=9 << 16))
    expect_closed(s)
    s.close()


def ssl_request_is_answered_n():
    s = connect()
    s.sendall(struct.pack("!II", 8, 80877103))
    if recv_exactly(s, 1) != b"N":
        raise Failure("SSLRequest not answered 'N'")
    s.sendall(startup_packet())  # the same connection goes on in plain text
    while read_message(s)[0] != b"Z":
        pass
    s.close()


def random_bytes_after_startup():
    rng = random.Random(20240501)  # the same bytes every run
    for _ in range(12):
        s = login()
        try:
            s.sendall(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096))))
        except ConnectionError:
            pass  # the server may already have closed it
        drain(s, 0.5)
        s.close()


def message_length_5gb():
    # The length field has 32 bits: 5 GiB wraps to 1 GiB; 0xFFFFFFFF is -1
    # when read as signed; 2 is shorter than the length field itself.
    for length in ((5 << 30) & 0xFFFFFFFF, 0xFFFFFFFF, 2):
        s = login()
        s.sendall(b"Q" + struct.pack("!I", length) + b"SELECT 1")
        expect_closed(s)
        s.close()


def half_open_connections_left_idle():
    idle = [connect() for _ in range(3)]  # connected, nothing sent
    partial_startup = connect()
    partial_startup.sendall(startup_packet()[:12])
    partial_query = login()  # half a Query message, the rest never comes
    partial_query.sendall(b"Q" + struct.pack("!I", 100) + b"SELECT")
    logged_in_idle = login()
    try:
        time.sleep(0.5)
        psql_still_works()
    finally:
        for s in idle + [partial_startup, partial_query, logged_in_idle]:
            s.close()


def abrupt_disconnects():
    for i in range(30):
        s = login()
        if i % 2:  # gone while its query runs
            sql = b"SELECT pg_sleep(0.2), count(*) FROM generate_series(1, 100000)\0"
            s.sendall(b"Q" + struct.pack("!I", len(sql) + 4) + sql)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, not FIN
        s.close()


CASES = [
    truncated_startup_then_close,
    startup_length_2_31,
    startup_length_too_small,
    unsupported_protocol_version,
    ssl_request_is_answered_n,
    random_bytes_after_startup,
    message_length_5gb,
    half_open_connections_left_idle,
    abrupt_disconnects,
]


def main():
    psql_still_works()
    passed = failed = 0
    for case in CASES:
        start = time.monotonic()
        try:
            case()
            psql_still_works()
            passed += 1
            print("ok: %s (%.1f s)" % (case.__name__, time.monotonic() - start), flush=True)
        except (Failure, OSError) as e:
            failed += 1
            print("FAIL: %s: %s" % (case.__name__, e), flush=True)
    print("bad_input_test: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
