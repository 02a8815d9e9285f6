#!/usr/bin/env python3
"""Runs upstream pg_regress (--use-existing, parallel_schedule) against one
target and keeps its results for compare.py.

  run.py native OUT          native PostgreSQL 17.5 (the reference)
  run.py pglite OUT          `pglite serve`, every group on one server
  run.py pglite-fresh OUT    `pglite serve` restarted between test files
                             (serial order): shows what the multiplexer adds

Both sides get the same pg_regress flags and the same database settings
(those pg_regress's create_database() would set). The test files live under
/pglite/data/regress in a private mount namespace: the server inside pglite
sees its data directory at /pglite/data, so server-side COPY to and from
the test files' absolute paths works there as it does natively, and both
sides see byte-identical paths.

A watchdog bounds every test file (HANG after --hang-secs) and the whole run
(--total-secs); afterwards the server must answer SELECT 1 within 2 s.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MOUNT = "/pglite/data"  # where pglite's guest sees its data directory
FILES = MOUNT + "/regress"  # inputdir = outputdir = expecteddir
DLPATH = "/pglite/lib"  # the C test modules for the native server (pglite's are built in)
SETTINGS = [("lc_messages", "C"), ("lc_monetary", "C"), ("lc_numeric", "C"), ("lc_time", "C"),
            ("bytea_output", "hex"), ("timezone_abbreviations", "Default")]
DBNAME = "postgres"  # pglite serve has this one database (see README)


def inputs():
    """The cache paths of tests/regress/inputs.sh."""
    out = subprocess.run(["bash", "-c", f'. "{HERE}/inputs.sh"; echo "$NATIVE_DIR"; echo "$SUITE_PREFIX"'],
                         check=True, capture_output=True, text=True).stdout.split("\n")
    return Path(out[0]) / "native", Path(out[1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def schedule_tests(path):
    """Test names in schedule order; groups as lists."""
    groups = []
    for line in Path(path).read_text().splitlines():
        if line.startswith("test:"):
            groups.append(line.split()[1:])
    return groups


def as_postgres(cmd):
    return ["runuser", "-u", "postgres", "--"] + cmd if os.getuid() == 0 else cmd


class Native:
    def __init__(self, work, port, sock):
        # A hard-linked copy the postgres account can reach ($HOME may be private).
        subprocess.run(["cp", "-al", str(NATIVE_BIN), str(work / "native")], check=True)
        self.bindir = work / "native" / "bin"
        self.pgdata, self.port, self.sock = work / "pgdata", port, sock

    def init(self):
        self.pgdata.mkdir()
        if os.getuid() == 0:
            shutil.chown(self.pgdata, "postgres")
        # The encoding and locales of the pglite template (and of PGlite 0.4.6):
        # UTF8, collate C, ctype C.UTF-8.
        subprocess.run(as_postgres([str(self.bindir / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
                                    "-A", "trust", "-E", "UTF8", "--lc-collate=C", "--lc-ctype=C.UTF-8",
                                    "--locale-provider=libc"]),
                       check=True, stdout=subprocess.DEVNULL)

    def start(self, log):
        log = self.pgdata / "server.log"  # written by the postgres account
        opts = f"-k {self.sock} -p {self.port} -c listen_addresses='' -c max_connections=40"
        subprocess.run(as_postgres([str(self.bindir / "pg_ctl"), "start", "-w", "-D", str(self.pgdata),
                                    "-l", str(log), "-o", opts]), check=True, stdout=subprocess.DEVNULL)

    def alive(self):
        return (self.pgdata / "postmaster.pid").exists()

    def stop(self, grace=60):
        if self.alive():
            mode = "fast" if grace >= 60 else "immediate"
            subprocess.run(as_postgres([str(self.bindir / "pg_ctl"), "stop", "-w", "-m", mode, "-D",
                                        str(self.pgdata)]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Pglite:
    def __init__(self, binary, port, sock):
        self.binary, self.port, self.sock, self.proc = binary, port, sock, None

    def init(self):
        pass  # `pglite serve -d` makes the database on first start

    def start(self, log):
        self.log = open(log, "a")
        # A killed server leaves its socket file: wait for the new one.
        (self.sock / f".s.PGSQL.{self.port}").unlink(missing_ok=True)
        self.proc = subprocess.Popen([self.binary, "serve", "-d", MOUNT, "--port", str(self.port), "--unix",
                                      str(self.sock)], stdout=self.log, stderr=self.log)
        sockfile = self.sock / f".s.PGSQL.{self.port}"
        deadline = time.time() + 60
        while not sockfile.exists():
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"pglite serve did not start (see {log})")
            time.sleep(0.05)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace=60):
        if not self.alive():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def psql(args, sql, timeout=30, value=False):
    """True if sql ran (or its output with value=True; None on failure)."""
    cmd = [str(SUITE / "bin" / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", str(args.sock), "-p",
           str(args.port), "-U", "postgres", "-d", DBNAME, "-c", sql]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None if value else False
    if value:
        return r.stdout.strip() if r.returncode == 0 else None
    return r.returncode == 0


class Watchdog(threading.Thread):
    """Times each test file's psql (pg_regress gives it PGAPPNAME=
    pg_regress/<test>) and ends one that runs past the hang bound: SIGINT
    first (psql sends a CancelRequest), then SIGKILL. If the server then
    does not answer SELECT 1 within 2 s it is restarted on the same data, so
    the rest of the schedule still runs (the tests of that group fail)."""
    PAT = re.compile(rb"(?:^|\0)PGAPPNAME=pg_regress/([^\0]+)")

    def __init__(self, hang_secs, server, args):
        super().__init__(daemon=True)
        self.hang_secs, self.server, self.args = hang_secs, server, args
        self.started, self.seconds, self.hangs, self.restarts, self.deaths = {}, {}, [], [], []
        self.running = True
        self.regress_pid = None
        self.marker = f"PGLITE_REGRESS_RUN={args.sock}".encode()  # in the env of this run's psql
        self.restart_dead = args.target != "pglite-fresh"  # there the runner restarts it itself

    def scan(self):
        """{test: {pid: seconds running}} of the test processes now."""
        found, uptime = {}, float(open("/proc/uptime").read().split()[0])
        hz = os.sysconf("SC_CLK_TCK")
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                env = open(f"/proc/{pid}/environ", "rb").read()
                m = self.PAT.search(env)
                if m and self.marker in env:  # only this run's tests
                    start = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[19]) / hz
                    found.setdefault(m.group(1).decode(), {})[int(pid)] = uptime - start
            except (OSError, ValueError, IndexError):
                continue
        return found

    def end_hung(self, hung):
        # pg_regress waits meanwhile: it must not start the next group while
        # the server is being restarted.
        self.hangs += sorted(hung)
        if self.regress_pid:
            os.kill(self.regress_pid, signal.SIGSTOP)
        try:
            self.end_and_check([pid for pids in hung.values() for pid in pids])
        finally:
            if self.regress_pid:
                os.kill(self.regress_pid, signal.SIGCONT)

    def end_and_check(self, pids):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGINT)
            except ProcessLookupError:
                pass
        time.sleep(5)
        for pid in pids:
            kill_tree(pid)
        if not psql(self.args, "SELECT 1", timeout=2):
            self.restarts.append(self.hangs[-1])
            self.server.stop(grace=5)
            try:
                self.server.start(self.args.server_log)
            except RuntimeError:
                pass

    def run(self):
        while self.running:
            now, found = time.time(), self.scan()
            if self.restart_dead and not self.server.alive():
                # Crashed: note the tests that were running, start it again.
                self.deaths.append(sorted(found))
                try:
                    self.server.start(self.args.server_log)
                except RuntimeError:
                    pass  # the checks after the run report it broken
            # Every test of a group past the bound at once (they wait on each other).
            for t in found:
                self.started.setdefault(t, now)
            hung = {t: list(pids) for t, pids in found.items()
                    if max(pids.values()) > self.hang_secs and t not in self.hangs}
            if hung:
                self.end_hung(hung)
            for test in list(self.started):
                if test not in found and test not in self.seconds:
                    self.seconds[test] = round(now - self.started[test], 1)
            time.sleep(0.5)
        for test, start in self.started.items():  # those still seen at the last scan
            self.seconds.setdefault(test, round(time.time() - start, 1))


def kill_tree(pid):
    children = []
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            if int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(p))
        except (OSError, IndexError, ValueError):
            pass
    for c in children:
        kill_tree(c)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def pg_regress(args, tests, log, deadline, watchdog):
    """One pg_regress run (a schedule or a list of tests); False on timeout."""
    cmd = [str(SUITE / "lib" / "pg_regress"), "--use-existing", f"--host={args.sock}", f"--port={args.port}",
           "--user=postgres", f"--dbname={DBNAME}", f"--bindir={SUITE / 'bin'}", f"--inputdir={FILES}",
           f"--outputdir={FILES}", f"--dlpath={DLPATH}"]
    if not (SUITE / "source-version").read_text().startswith("15."):  # 15's pg_regress lacks it
        cmd.append(f"--expecteddir={FILES}")
    cmd += [f"--schedule={FILES}/parallel_schedule"] if tests is None else tests
    with open(log, "a") as out:
        env = dict(os.environ, PGLITE_REGRESS_RUN=str(args.sock))
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env)
        watchdog.regress_pid = proc.pid
        try:
            proc.wait(max(1, deadline - time.time()))
            return True
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return False


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("target", choices=["native", "pglite", "pglite-fresh"])
    ap.add_argument("out", type=Path)
    ap.add_argument("--pglite", default=os.environ.get("PGLITE_BIN", str(REPO / "build/bin/pglite")))
    ap.add_argument("--hang-secs", type=float, default=120)
    ap.add_argument("--total-secs", type=float, default=3000)
    ap.add_argument("--tests", help="comma-separated test files instead of the whole schedule")
    args = ap.parse_args()
    args.out = args.out.resolve()

    # A private mount namespace, so /pglite/data can be this run's directory.
    if os.environ.get("PGLITE_REGRESS_NS") != str(os.getpid()):
        os.makedirs(MOUNT, exist_ok=True)
        os.makedirs(DLPATH, exist_ok=True)
        cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c",
               'PGLITE_REGRESS_NS=$$ exec "$0" "$@"', sys.executable, __file__] + sys.argv[1:]
        os.execvp("unshare", cmd)

    # Files psql writes (\o, \g) must stay writable by the native server's
    # account, which later COPYs TO the same paths.
    os.umask(0)
    global NATIVE_BIN, SUITE
    NATIVE_BIN, SUITE = inputs()
    work = Path(tempfile.mkdtemp(prefix="pglite-regress-"))
    work.chmod(0o755)
    args.sock, args.port = work / "sock", free_port()
    args.sock.mkdir()
    args.sock.chmod(0o777)
    shared = work / ("data" if args.target != "native" else "io")
    shared.mkdir()
    subprocess.run(["mount", "--bind", str(shared), MOUNT], check=True)
    (work / "lib").mkdir()
    for module in ("regress.so", "autoinc.so", "refint.so"):
        shutil.copy(SUITE / "lib" / module, work / "lib")
    subprocess.run(["mount", "--bind", str(work / "lib"), DLPATH], check=True)
    if args.target == "native":
        server = Native(work, args.port, args.sock)
    else:
        server = Pglite(args.pglite, args.port, args.sock)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    status = {"target": args.target, "hangs": [], "broken": False, "timed_out": False}
    server_log, regress_log = args.out / "server.log", args.out / "pg_regress.log"
    groups = schedule_tests(SUITE / "regress" / "parallel_schedule")
    wanted = args.tests.split(",") if args.tests else None
    t0 = time.time()
    try:
        server.init()
        server.start(server_log)
        setup = ";".join(f'ALTER DATABASE "{DBNAME}" SET {k} TO \'{v}\'' for k, v in SETTINGS)
        if not psql(args, setup):
            raise RuntimeError("could not apply the database settings")
        status["server_version"] = psql(args, "SELECT version()", value=True)
        status["database"] = psql(args, "SELECT datname || ' ' || pg_encoding_to_char(encoding) || ' ' || "
                                  "datcollate || ' ' || datctype FROM pg_database WHERE datname = current_database()",
                                  value=True)
        status["source_version"] = (SUITE / "source-version").read_text().strip()
        origin = SUITE / "source-origin"
        status["source_origin"] = origin.read_text().strip() if origin.exists() else "?"
        # A new backend reads the database settings (pglite's one backend
        # started before they existed).
        server.stop()
        shutil.copytree(SUITE / "regress", FILES)
        (Path(FILES) / "results").mkdir()
        subprocess.run(["chmod", "-R", "a+rwX", FILES], check=True)
        status["setup_seconds"] = round(time.time() - t0, 1)
        args.server_log = server_log
        watchdog = Watchdog(args.hang_secs, server, args)
        t1 = time.time()
        deadline = t1 + args.total_secs
        if args.target == "pglite-fresh":
            watchdog.start()
            for test in [t for g in groups for t in g if wanted is None or t in wanted]:
                server.start(server_log)
                if not pg_regress(args, [test], regress_log, deadline, watchdog):
                    status["timed_out"] = True
                    break
                if not psql(args, "SELECT 1", timeout=2):
                    status.setdefault("broken_after", []).append(test)
                server.stop()
            server.start(server_log)
        else:
            server.start(server_log)
            watchdog.start()  # after the start: it restarts a server that is not running
            status["timed_out"] = not pg_regress(args, wanted, regress_log, deadline, watchdog)
        status["run_seconds"] = round(time.time() - t1, 1)
        watchdog.running = False
        watchdog.join()
        status["hangs"], status["test_seconds"] = watchdog.hangs, watchdog.seconds
        status["restarted_after_hang"] = watchdog.restarts
        status["died_during"] = watchdog.deaths
        status["server_died"] = not server.alive()
        status["broken"] = status["server_died"] or not psql(args, "SELECT 1", timeout=2)
    except Exception as e:  # recorded: compare.py reports every test as failed to run
        status["error"] = str(e)
        status["broken"] = True
    finally:
        server.stop()
        for name in ("results", "regression.diffs", "regression.out"):
            src = Path(FILES) / name
            if src.is_dir():
                shutil.copytree(src, args.out / name)
            elif src.exists():
                shutil.copy(src, args.out / name)
        if args.target == "native" and (work / "pgdata" / "server.log").exists():
            shutil.copy(work / "pgdata" / "server.log", server_log)
        subprocess.run(["umount", MOUNT, DLPATH])
        shutil.rmtree(work, ignore_errors=True)
    status["wall_seconds"] = round(time.time() - t0, 1)
    (args.out / "status.json").write_text(json.dumps(status, indent=1) + "\n")
    print(f"{args.target}: {status['wall_seconds']} s, hangs {status['hangs']}, broken {status['broken']}"
          + (f", error {status['error']}" if "error" in status else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
