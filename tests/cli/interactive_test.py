#!/usr/bin/env python3
r"""The interactive shell on a pseudo-terminal, and Ctrl-C in -c/-f runs.

  interactive_test.py PGLITE_BINARY

Checks, as psql behaves:
  * Ctrl-C during SELECT pg_sleep(30) cancels it within a second
    ("canceling statement due to user request", 57014); the session goes on
    (SELECT 42 works) and a temporary table made before is still there;
  * Ctrl-C at an idle prompt drops the line and the pending query buffer and
    shows a fresh prompt;
  * Tab completes a table name (SELECT * FROM my_ta<TAB>) and a backslash
    command;
  * \x auto expands only what is wider than the terminal;
  * \watch 0.3 repeats the query under psql's title until Ctrl-C;
  * Ctrl-D quits with status 0;
  * SIGINT during `pglite -c 'SELECT pg_sleep(30)'` cancels it (status 1),
    during `pglite -f` cancels and stops the script (status 3).
"""
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

PGLITE = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


class Pty:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        self.buf = b""

    def send(self, data):
        # libedit prints the prompt before it puts the terminal in raw mode;
        # input typed in between is echoed twice and a Ctrl-D there reads as
        # NUL. Humans are slower than that, the test waits a little.
        time.sleep(0.05)
        os.write(self.fd, data)

    def read_until(self, needle, timeout):
        """Reads until `needle` (bytes) shows up after the current mark."""
        deadline = time.monotonic() + timeout
        while needle not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return needle in self.buf
                if not chunk:
                    return needle in self.buf
                self.buf += chunk
        return True

    def mark(self):
        """Forgets what was read so far (read_until looks past this point)."""
        self.buf = b""

    def wait(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                r, _, _ = select.select([self.fd], [], [], 0.1)
                if r:
                    self.buf += os.read(self.fd, 65536)
            except OSError:
                pass
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None


def interactive():
    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, TERM="xterm", COLUMNS="200", LC_ALL="C.UTF-8")
    p = Pty([PGLITE], env)
    PROMPT = b"postgres=# "
    check(p.read_until(PROMPT, 60), "interactive prompt appears")

    p.mark()
    p.send(b"CREATE TEMP TABLE my_table (id int); INSERT INTO my_table VALUES (7);\r")
    check(p.read_until(b"INSERT 0 1", 20) and p.read_until(PROMPT, 5), "temporary table created")

    # Ctrl-C cancels a running statement.
    p.mark()
    p.send(b"SELECT pg_sleep(30);\r")
    time.sleep(1.0)
    t0 = time.monotonic()
    p.send(b"\x03")
    cancelled = p.read_until(b"canceling statement due to user request", 5)
    elapsed = time.monotonic() - t0
    check(cancelled, "Ctrl-C cancels pg_sleep(30)")
    check(cancelled and elapsed < 1.0, "... within a second (%.2f s)" % elapsed)
    check(b"57014" in p.buf or p.read_until(b"57014", 2), "... with SQLSTATE 57014")
    check(p.read_until(PROMPT, 5), "prompt after the cancel")

    p.mark()
    p.send(b"SELECT 42 AS answer, (SELECT id FROM my_table) AS kept;\r")
    check(p.read_until(b"(1 row)", 10), "the session goes on after the cancel")
    check(b"42 |    7" in p.buf, "SELECT 42 and the temporary table still there: %r" % p.buf[-200:])
    p.read_until(PROMPT, 5)

    # Ctrl-C at the prompt drops the line and the pending query buffer.
    p.mark()
    p.send(b"SELECT 'pending'\r")
    check(p.read_until(b"postgres-# ", 5), "continuation prompt for an unfinished statement")
    p.mark()
    p.send(b"FROM nowhere_at_all")
    time.sleep(0.3)
    p.send(b"\x03")
    check(p.read_until(PROMPT, 5), "Ctrl-C at the prompt gives a fresh prompt")
    p.mark()
    p.send(b"SELECT 'fresh' AS state;\r")
    check(p.read_until(b"(1 row)", 10), "the next statement runs alone: %r" % p.buf)
    check(b"nowhere_at_all" not in p.buf and b"pending" not in p.buf and b"fresh" in p.buf,
          "the abandoned input is gone: %r" % p.buf[-300:])
    p.read_until(PROMPT, 5)

    # Tab completion: a table name, then a backslash command.
    p.mark()
    p.send(b"SELECT * FROM my_ta\t")
    # libedit types the rest of the word: "my_ta" is followed by "ble ".
    check(p.read_until(b"ble ", 5), "Tab completes my_ta -> my_table: %r" % p.buf)
    p.send(b";\r")
    check(p.read_until(b"(1 row)", 10), "the completed statement runs")
    p.read_until(PROMPT, 5)
    p.mark()
    p.send(b"\\conn\t")
    check(p.read_until(b"info ", 5), "Tab completes \\conn -> \\conninfo: %r" % p.buf)
    p.send(b"\r")
    check(p.read_until(b"(embedded; temporary database)", 10), "\\conninfo runs")
    p.read_until(PROMPT, 5)

    # \x auto: expanded only when wider than the terminal (COLUMNS=200).
    p.mark()
    p.send(b"\\x auto\r")
    check(p.read_until(b"Expanded display is used automatically.", 5), "\\x auto")
    p.read_until(PROMPT, 5)
    p.mark()
    p.send(b"SELECT repeat('n', 20) AS narrow;\r")
    check(p.read_until(b"(1 row)", 10) and b"RECORD" not in p.buf, "\\x auto: a narrow table stays a table")
    p.read_until(PROMPT, 5)
    p.mark()
    p.send(b"SELECT repeat('w', 250) AS wide;\r")
    check(p.read_until(b"-[ RECORD 1 ]", 10), "\\x auto: a table wider than the terminal is expanded")
    p.read_until(PROMPT, 5)
    p.send(b"\\x off\r")
    p.read_until(PROMPT, 5)

    # \watch re-runs the query buffer under psql's title until Ctrl-C.
    p.mark()
    p.send(b"SELECT 'w' AS watched \\watch 0.3\r")
    time.sleep(1.5)
    p.send(b"\x03")
    check(p.read_until(PROMPT, 5), "Ctrl-C ends \\watch")
    runs = p.buf.count(b"(every 0.3s)\r\n\r\n watched \r\n---------\r\n w\r\n(1 row)")
    check(runs >= 3, "\\watch 0.3 ran %d times in 1.5 s with psql's title: %r" % (runs, p.buf[:300]))
    p.mark()
    p.send(b"SELECT 'after watch' AS state;\r")
    check(p.read_until(b"(1 row)", 10) and b"after watch" in p.buf, "the session goes on after \\watch")
    p.read_until(PROMPT, 5)

    # Ctrl-D quits with status 0.
    p.send(b"\x04")
    status = p.wait(30)
    check(status == 0, "Ctrl-D quits with status 0 (got %r): %r" % (status, p.buf))


def sigint_during(argv, expected_status, what):
    """Runs argv (which prints 'started' before its pg_sleep), SIGINTs it."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = b""
    deadline = time.monotonic() + 60
    while b"started" not in out and time.monotonic() < deadline:
        r, _, _ = select.select([p.stdout], [], [], 0.5)
        if r:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
    check(b"started" in out, what + ": the statement before pg_sleep ran")
    time.sleep(1.0)  # into pg_sleep(30)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    try:
        rest, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        rest, err = p.communicate()
    out += rest
    elapsed = time.monotonic() - t0
    check(b"canceling statement due to user request" in err, what + ": statement cancelled (%r)" % err)
    check(p.returncode == expected_status, what + ": status %r (expected %d)" % (p.returncode, expected_status))
    check(elapsed < 5, what + ": ends promptly (%.1f s)" % elapsed)
    return out


interactive()
out = sigint_during([PGLITE, "-c", "SELECT 'started'", "-c", "SELECT pg_sleep(30)", "-c", "SELECT 'not reached'"],
                    1, "SIGINT during -c")
check(b"not reached" not in out, "SIGINT during -c: later -c arguments do not run")
with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
    f.write("SELECT 'started';\nSELECT pg_sleep(30);\nSELECT 'not reached' AS after;\n")
out = sigint_during([PGLITE, "-f", f.name], 3, "SIGINT during -f")
check(b"not reached" not in out, "SIGINT during -f: the script stops")
os.unlink(f.name)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
