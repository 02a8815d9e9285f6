"""Raw-socket frontend for the server tests that send what no client library
would (bad_input_test, wedge_test, fuzz_test): framing, the startup packet,
reading backend messages, logging in. Loopback only, $PGPORT."""
import os
import socket
import struct

HOST = "127.0.0.1"
PORT = int(os.environ["PGPORT"])
PROTOCOL_3_0 = 196608


class Failure(Exception):
    pass


def message(kind, body=b""):
    return kind + struct.pack("!I", len(body) + 4) + body


def startup_packet(params=b"user\0postgres\0database\0postgres\0\0", version=PROTOCOL_3_0):
    body = struct.pack("!I", version) + params
    return struct.pack("!I", len(body) + 4) + body


def connect(timeout=5):
    return socket.create_connection((HOST, PORT), timeout=timeout)


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise Failure("server closed the connection")
        data += chunk
    return data


def read_message(s):
    """One backend message as (type, body); raises Failure on EOF."""
    head = recv_exactly(s, 5)
    return head[:1], recv_exactly(s, struct.unpack("!I", head[1:])[0] - 4)


def read_until(s, kinds):
    """Messages up to and including the first of `kinds`."""
    got = []
    while True:
        kind, body = read_message(s)
        got.append((kind, body))
        if kind in kinds:
            return got


def login(timeout=5):
    """A connection that completed startup (trust auth) and is ready for queries."""
    s = connect(timeout)
    s.sendall(startup_packet())
    for kind, body in read_until(s, (b"Z", b"E")):
        if kind == b"E":
            raise Failure("startup failed: %r" % body)
    return s
