#!/usr/bin/python3
"""The pglite binary alone in an empty root (PGLITE_STATIC_CLI).

Run as: unshare --map-root-user --mount minimal_root_test.py PGLITE PSQL
(a user namespace, so chroot needs no root; the network namespace is the
host's, so the host's psql reaches a server inside the chroot).

The root holds the binary and the glibc files `ldd` lists, nothing else: no
/tmp, /dev, /proc, /etc. Inside it, with an empty environment, the test runs
a query on a temporary database, serves over TCP and queries with psql from
outside, and dumps a persistent database made in the root. A dependency other
than glibc (libc, libm, the loader, the vdso) fails the test.

What the binary does without the usual directories (strace, 2026-11-27):
a temporary database is in memory and touches no file at all (no /tmp);
/proc/self/maps (pthread_getattr_np: the main thread's stack limit, used to
report a native stack overflow as a trap; guest code runs on its own stack)
and /dev/null (libuv, serve) are tried and missing is fine; /proc/self/fd
is used to chmod in a persistent database only on kernels older than 6.6
(no fchmodat2).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile

PGLITE, PSQL = sys.argv[1], sys.argv[2]
GLIBC = {"linux-vdso.so.1", "libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2"}
TIMEOUT = 60


def fail(msg):
    raise SystemExit("minimal_root: " + msg)


def glibc_files(binary):
    """The files ldd lists; fails on any library but glibc's."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, timeout=TIMEOUT)
    if "not a dynamic executable" in out.stdout + out.stderr:
        return []
    files = []
    for line in out.stdout.splitlines():
        parts = line.split()
        if not parts:
            continue
        if os.path.basename(parts[0]) not in GLIBC:
            fail("linked against more than glibc: " + line.strip())
        path = parts[2] if len(parts) > 2 and parts[1] == "=>" else parts[0]
        if path.startswith("/"):
            files.append(path)
    return files


def make_root():
    root = tempfile.mkdtemp(prefix="pglite-root-")
    shutil.copy2(PGLITE, os.path.join(root, "pglite"))
    for f in glibc_files(PGLITE):
        dest = root + f
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(os.path.realpath(f), dest)
    return root


def inside(root, *args):
    return ["/usr/bin/env", "-i", "LD_LIBRARY_PATH=", "/usr/sbin/chroot", root, "/pglite", *args]


def run(root, *args):
    p = subprocess.run(inside(root, *args), capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode != 0:
        fail("pglite %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.strip()))
    return p.stdout


def expect(text, needle, what):
    if needle not in text:
        fail("%s: %r not in output:\n%s" % (what, needle, text))


def serve(root):
    proc = subprocess.Popen(inside(root, "serve", "--port", "0"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        if not url.startswith("postgresql://"):
            fail("serve did not start: %r %s" % (url, proc.stderr.read() if proc.poll() is not None else ""))
        if "@127.0.0.1:" not in url:
            fail("serve does not listen on 127.0.0.1: " + url)
        q = subprocess.run([PSQL, "-X", "-At", "-d", url, "-c",
                            "CREATE TABLE s(a int); INSERT INTO s SELECT generate_series(1, 5);"
                            " SELECT sum(a) * 2 FROM s"],
                           capture_output=True, text=True, timeout=TIMEOUT)
        if q.returncode != 0 or q.stdout.strip().splitlines()[-1:] != ["30"]:
            fail("psql through serve: exit %d: %r %r" % (q.returncode, q.stdout, q.stderr))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            fail("serve did not stop on SIGTERM")


def main():
    root = make_root()
    try:
        before = sorted(os.listdir(root))
        expect(run(root, "-c", "SELECT version()"), "PostgreSQL 17.", "SELECT version()")
        serve(root)
        run(root, "-d", "/db", "-c", "CREATE TABLE standalone_t(id int PRIMARY KEY, note text)",
            "-c", "INSERT INTO standalone_t VALUES (1, 'in a chroot'), (2, 'no /tmp')")
        dump = run(root, "dump", "-d", "/db")
        expect(dump, "CREATE TABLE public.standalone_t", "pglite dump")
        expect(dump, "1\tin a chroot\n2\tno /tmp\n", "pglite dump")
        after = sorted(os.listdir(root))
        if after != sorted(before + ["db"]):
            fail("the root changed beyond /db: %s -> %s" % (before, after))
        print("minimal_root: ok (root: %s)" % ", ".join(before))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
