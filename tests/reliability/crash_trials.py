#!/usr/bin/python3
"""kill -9 crash trials for pglite: no acknowledged commit may be lost.

Two kinds of trial, each repeated N times on one data directory of its own (so
later trials recover an already recovered database):
  api    crash_writer (the C++ API) writes until it is SIGKILLed;
  serve  `pglite serve` takes the same workload from 4 psycopg2 client threads
         until the server is SIGKILLed.
A trial runs a random 0.3-2.0 s (seeded). Then the database is reopened with
`pglite serve` (the time until it is ready is the recovery time) and checked:
every acknowledged (writer, txn) has exactly its rows; per writer the counter,
the number of distinct txns and the highest txn agree and no txn is partial;
amcheck (bt_index_check with heapallindexed on every btree index, catalogs
included, verify_heapam on every table) finds nothing. Everything runs under
hard timeouts: a hang is a failure. Needs psycopg2 (use /usr/bin/python3).
Exit 0 only if every kind had no loss, no corruption and no failed check.
"""
import argparse, ctypes, json, os, random, select, shutil, signal, statistics
import subprocess, sys, tempfile, threading, time

import psycopg2

SERVE_CLIENTS = 4
START_TIMEOUT = 60      # seconds for `pglite serve` to print its URL
VERIFY_TIMEOUT = 120    # seconds for one whole verification (hard watchdog)
STATEMENT_TIMEOUT = '60s'
CHILDREN = []           # every process started, killed on the way out

SCHEMA = ("CREATE TABLE IF NOT EXISTS ledger (writer text, txn bigint, n int, payload text, "
          "PRIMARY KEY (writer, txn, n));"
          "CREATE TABLE IF NOT EXISTS counter (writer text PRIMARY KEY, txns bigint NOT NULL)")


def _die_with_parent():
    """Child preexec: get SIGKILLed if this script dies (even by SIGKILL)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def spawn(cmd, stdout, stderr):
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                            preexec_fn=_die_with_parent)
    CHILDREN.append(proc)
    return proc


def stop(proc, sig=signal.SIGKILL, timeout=15):
    """Send sig, wait; escalate to SIGKILL. Returns False if sig was not enough."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(timeout)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


def start_server(pglite, datadir, log):
    """Start `pglite serve` on a free port; return (proc, url, seconds to ready)."""
    t0 = time.monotonic()
    proc = spawn([pglite, 'serve', '-d', datadir, '--port', '0'], subprocess.PIPE, log)
    line = b''
    while not line.endswith(b'\n'):
        left = START_TIMEOUT - (time.monotonic() - t0)
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            stop(proc)
            raise RuntimeError('serve not ready after %ds' % START_TIMEOUT)
        chunk = os.read(proc.stdout.fileno(), 1)
        if not chunk:
            proc.wait()
            raise RuntimeError('serve exited with %s before ready' % proc.returncode)
        line += chunk
    return proc, line.decode().strip(), time.monotonic() - t0


def connect(url):
    conn = psycopg2.connect(url, connect_timeout=10)
    conn.autocommit = True
    return conn


# ---- trials -----------------------------------------------------------------

def api_trial(args, datadir, rng, trial, logdir):
    """Run crash_writer for a random time, SIGKILL it; return (seconds, acks)."""
    run_s = rng.uniform(0.3, 2.0)
    out_path = os.path.join(logdir, 'api-%d.out' % trial)
    with open(out_path, 'wb') as out, open(out_path + '.err', 'wb') as err:
        proc = spawn([args.writer, datadir, 'api', str(rng.randrange(1 << 31))], out, err)
        time.sleep(run_s)
        stop(proc)
    acks = []
    with open(out_path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == 'ack' and line.endswith('\n'):
                acks.append(('api', int(parts[1]), int(parts[2])))
    return run_s, acks


def client_loop(url, writer, seed, acks, errors, killed):
    """One serve client: crash_writer's three transaction kinds, acked on commit."""
    rng = random.Random(seed)
    try:
        cur = connect(url).cursor()
        cur.execute("INSERT INTO counter VALUES (%s, 0) ON CONFLICT DO NOTHING", (writer,))
        cur.execute("SELECT txns FROM counter WHERE writer = %s", (writer,))
        txn = cur.fetchone()[0]
        while True:
            txn += 1
            kind, n = rng.randrange(3), 1
            if kind == 0:
                cur.execute("WITH c AS (UPDATE counter SET txns = txns + 1 WHERE writer = %s) "
                            "INSERT INTO ledger VALUES (%s, %s, 1, repeat('x', %s))",
                            (writer, writer, txn, rng.randint(10, 2000)))
            elif kind == 1:
                n = rng.randint(2, 50)
                cur.execute("BEGIN")
                for i in range(1, n + 1):
                    cur.execute("INSERT INTO ledger VALUES (%s, %s, %s, repeat('y', %s))",
                                (writer, txn, i, rng.randint(10, 2000)))
                cur.execute("UPDATE counter SET txns = txns + 1 WHERE writer = %s", (writer,))
                cur.execute("COMMIT")
                if cur.statusmessage != 'COMMIT':
                    raise RuntimeError('COMMIT answered %s' % cur.statusmessage)
            else:
                n = rng.randint(2, 50)
                cur.execute("WITH c AS (UPDATE counter SET txns = txns + 1 WHERE writer = %s) "
                            "INSERT INTO ledger SELECT %s, %s, i, md5(i::text) "
                            "FROM generate_series(1, %s) i", (writer, writer, txn, n))
            acks.append((writer, txn, n))
    except Exception as e:  # expected once the server is killed
        if not killed.is_set():
            errors.append('%s: client error before kill: %s' % (writer, str(e).strip()))


def serve_trial(args, datadir, rng, trial, logdir):
    """Run 4 clients against `pglite serve`, SIGKILL the server; return (s, acks, errors)."""
    run_s = rng.uniform(0.3, 2.0)
    acks, errors, killed, threads, proc = [], [], threading.Event(), [], None
    try:
        with open(os.path.join(logdir, 'serve-%d.err' % trial), 'wb') as log:
            proc, url, _ = start_server(args.pglite, datadir, log)
        setup = connect(url)
        setup.cursor().execute(SCHEMA)
        setup.close()
        threads = [threading.Thread(target=client_loop, daemon=True,
                                    args=(url, 's%d' % i, rng.randrange(1 << 31),
                                          acks, errors, killed))
                   for i in range(1, SERVE_CLIENTS + 1)]
        for t in threads:
            t.start()
        time.sleep(run_s)
    except Exception as e:
        errors.append('serve trial setup failed: %s' % str(e).strip())
    finally:
        killed.set()
        if proc:
            stop(proc)
    for t in threads:
        t.join(15)
        if t.is_alive():
            errors.append('a client thread hung after the server was killed')
    return run_s, acks, errors


# ---- verification -----------------------------------------------------------

def lost_commits(cur, acked):
    """Acked (writer, txn) whose ledger row count differs from the acked rows."""
    keys = sorted(acked)
    cur.execute("SELECT a.w, a.t, a.r, (SELECT count(*) FROM ledger l WHERE l.writer = a.w "
                "AND l.txn = a.t) FROM unnest(%s::text[], %s::bigint[], %s::int[]) a(w, t, r)",
                ([k[0] for k in keys], [k[1] for k in keys], [acked[k] for k in keys]))
    return [(w, t, r, c) for w, t, r, c in cur.fetchall() if c != r]


def invariant_problems(cur):
    """Per writer: counter == distinct txns == max txn, every txn has rows 1..k."""
    cur.execute("""
        WITH t AS (SELECT writer, txn, count(*) cnt, min(n) lo, max(n) hi
                   FROM ledger GROUP BY writer, txn),
             w AS (SELECT writer, count(*) txns, min(txn) first, max(txn) top,
                          count(*) FILTER (WHERE lo <> 1 OR cnt <> hi) partial
                   FROM t GROUP BY writer)
        SELECT coalesce(w.writer, c.writer), c.txns, coalesce(w.txns, 0),
               coalesce(w.first, 1), coalesce(w.top, 0), coalesce(w.partial, 0)
        FROM w FULL JOIN counter c USING (writer) ORDER BY 1""")
    problems = []
    for writer, counter, txns, first, top, partial in cur.fetchall():
        if not (counter == txns == top and first == 1 and partial == 0):
            problems.append('%s: counter=%s distinct txns=%s min txn=%s max txn=%s partial=%s'
                            % (writer, counter, txns, first, top, partial))
    return problems


def amcheck_problems(cur):
    """bt_index_check(heapallindexed) on every btree index, verify_heapam on every table."""
    cur.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
    cur.execute("SELECT c.oid, c.oid::regclass::text FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE a.amname = 'btree' AND i.indisvalid AND c.relpersistence <> 't'")
    indexes = cur.fetchall()
    cur.execute("SELECT oid, oid::regclass::text FROM pg_class "
                "WHERE relkind IN ('r', 'm', 't') AND relpersistence <> 't'")
    tables = cur.fetchall()
    problems = []
    for oid, name in indexes:
        problems += _amcheck(cur, "SELECT bt_index_check(%s, true) WHERE false", oid,
                             'bt_index_check ' + name)
    for oid, name in tables:
        problems += _amcheck(cur, "SELECT blkno, offnum, msg FROM verify_heapam(%s)", oid,
                             'verify_heapam ' + name)
    return problems


def _amcheck(cur, sql, oid, label):
    """Run one amcheck call: rows returned or an error raised are findings."""
    try:
        cur.execute(sql, (oid,))
        return ['%s: %s' % (label, row) for row in cur.fetchall()]
    except psycopg2.OperationalError:
        raise  # connection gone or statement timeout: a failure, not a finding
    except psycopg2.Error as e:
        return ['%s: %s' % (label, str(e).strip())]


def verify(pglite, datadir, acked, log):
    """Reopen datadir and check it. Returns (recovery s, lost list, amcheck list, failures)."""
    try:
        proc, url, recovery = start_server(pglite, datadir, log)
    except RuntimeError as e:
        return None, [], [], ['reopen failed: %s' % e]
    watchdog = threading.Timer(VERIFY_TIMEOUT, proc.kill)
    watchdog.start()
    lost, amcheck, failures = [], [], []
    try:
        conn = connect(url)
        cur = conn.cursor()
        cur.execute("SET statement_timeout = %s", (STATEMENT_TIMEOUT,))
        cur.execute("SELECT to_regclass('ledger') IS NOT NULL")
        if cur.fetchone()[0]:
            lost = lost_commits(cur, acked)
            failures += invariant_problems(cur)
        elif acked:
            failures.append('tables missing although commits were acknowledged')
        amcheck = amcheck_problems(cur)
        conn.close()
    except Exception as e:
        failures.append(('verification timed out after %ds' % VERIFY_TIMEOUT
                         if not watchdog.is_alive() else 'verification error: %s' % e).strip())
    finally:
        watchdog.cancel()
        if not stop(proc, signal.SIGTERM, 30):
            failures.append('serve did not stop on SIGTERM within 30s')
    return recovery, lost, amcheck, failures


# ---- driver -----------------------------------------------------------------

def run_kind(kind, args, workdir):
    datadir = os.path.join(workdir, kind + '-db')
    rng = random.Random('%s-%s' % (args.seed, kind))
    acked, lost_keys, amcheck, failures, recoveries = {}, set(), [], [], []
    total_acked = 0
    with open(os.path.join(workdir, kind + '-verify.err'), 'wb') as log:
        for trial in range(1, args.trials + 1):
            errors = []
            if kind == 'api':
                run_s, acks = api_trial(args, datadir, rng, trial, workdir)
            else:
                run_s, acks, errors = serve_trial(args, datadir, rng, trial, workdir)
            for writer, txn, rows in acks:
                acked[(writer, txn)] = rows
            total_acked += len(acks)
            recovery, lost, found, problems = verify(args.pglite, datadir, acked, log)
            problems = errors + problems
            new_lost = [l for l in lost if (l[0], l[1]) not in lost_keys]
            lost_keys.update((l[0], l[1]) for l in lost)
            problems += ['lost commit %s txn %s: acked %s rows, found %s' % l for l in new_lost[:5]]
            amcheck += found
            problems += found[:5]
            failures += ['trial %d: %s' % (trial, p) for p in problems]
            if recovery is not None:
                recoveries.append(recovery)
            print('%-5s trial %2d  run %.2fs  acked %5d  recovery %s  %s' % (
                kind, trial, run_s, len(acks),
                '%.2fs' % recovery if recovery is not None else '-',
                'ok' if not problems else 'FAIL ' + '; '.join(problems)[:300]), flush=True)
    return {'kind': kind, 'trials': args.trials, 'acked': total_acked, 'lost': len(lost_keys),
            'amcheck_failures': len(amcheck),
            'recovery_median_s': round(statistics.median(recoveries), 3) if recoveries else None,
            'recovery_max_s': round(max(recoveries), 3) if recoveries else None,
            'failures': failures}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--pglite', required=True, help='the pglite CLI')
    p.add_argument('--writer', required=True, help='the crash_writer binary')
    p.add_argument('--trials', type=int, default=20, help='trials per kind (default 20)')
    p.add_argument('--kinds', default='api,serve', help='comma list of api, serve')
    p.add_argument('--seed', default='1', help='seed for run times and workloads')
    p.add_argument('--workdir', help='parent of the scratch directory (default: system temp)')
    p.add_argument('--json', help='write the per-kind summaries here')
    p.add_argument('--keep', action='store_true', help='keep the scratch directory')
    args = p.parse_args()
    args.kinds = [k for k in args.kinds.split(',') if k]
    if not args.kinds or set(args.kinds) - {'api', 'serve'}:
        p.error('--kinds takes api and/or serve')
    return args


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix='crash-trials-', dir=args.workdir)
    t0 = time.monotonic()
    try:
        summaries = [run_kind(kind, args, workdir) for kind in args.kinds]
    finally:
        for proc in CHILDREN:
            if proc.poll() is None:
                stop(proc)
        if args.keep:
            print('kept', workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print('\n%-5s %6s %7s %5s %8s %16s %13s' % ('kind', 'trials', 'acked', 'lost', 'amcheck',
                                                 'recovery median', 'recovery max'))
    for s in summaries:
        print('%-5s %6d %7d %5d %8d %15ss %12ss' % (s['kind'], s['trials'], s['acked'], s['lost'],
                                                    s['amcheck_failures'], s['recovery_median_s'],
                                                    s['recovery_max_s']))
    print('total %.1fs' % (time.monotonic() - t0))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(summaries, f, indent=2)
    ok = all(s['lost'] == 0 and s['amcheck_failures'] == 0 and not s['failures']
             for s in summaries)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
