#!/usr/bin/env python3
"""Bounded protocol fuzz against the server at 127.0.0.1:$PGPORT.

A fixed number of connections (fixed seed, loopback only) each send one kind
of garbage: truncated startup packets, absurd lengths, random bytes, valid
messages with random byte flips, empty messages. Afterwards a normal client
must still get correct answers. Usage: fuzz_test.py PSQL
"""
import os
import random
import socket
import struct
import subprocess
import sys

PORT = int(os.environ["PGPORT"])
ROUNDS = 300


def startup():
    body = struct.pack("!I", 196608) + b"user\0postgres\0database\0postgres\0\0"
    return struct.pack("!I", len(body) + 4) + body


def message(kind, body):
    return kind + struct.pack("!I", len(body) + 4) + body


def mutated(rng):
    msgs = [
        message(b"Q", b"SELECT 1\0"),
        message(b"P", b"s1\0SELECT $1::int\0\0\0") + message(b"B", b"\0s1\0\0\0\0\x01\0\0\0\x011\0\0") +
        message(b"E", b"\0\0\0\0\0") + message(b"S", b""),
        message(b"Q", b"COPY (SELECT 1) TO STDOUT\0"),
    ]
    data = bytearray(rng.choice(msgs))
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.getrandbits(8)
    return bytes(data)


def one_round(i, rng):
    kind = i % 6
    payload = {
        0: lambda: startup()[: rng.randint(1, 10)],
        1: lambda: struct.pack("!II", 2**31, 196608),
        2: lambda: startup() + bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300))),
        3: lambda: startup() + b"Q" + struct.pack("!I", 0xFFFFFFF0) + b"x",
        4: lambda: startup() + mutated(rng),
        5: lambda: startup() + b"P" + struct.pack("!I", 4),
    }[kind]()
    with socket.create_connection(("127.0.0.1", PORT), timeout=2) as s:
        try:
            s.sendall(payload)
            s.settimeout(0.2)
            while s.recv(65536):
                pass
        except OSError:
            pass


def main():
    rng = random.Random(424242)
    for i in range(ROUNDS):
        one_round(i, rng)
    out = subprocess.run([sys.argv[1], "-Atc", "SELECT count(*) > 100, 6 * 7 FROM pg_class"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0 or out.stdout.strip() != "t|42":
        sys.exit(f"server unhealthy after fuzzing: rc={out.returncode} out={out.stdout!r} err={out.stderr!r}")
    print(f"fuzz: {ROUNDS} garbage connections, server still answers correctly")


if __name__ == "__main__":
    main()
