#!/usr/bin/env python3
"""cli.describe: the pglite CLI's describe commands against psql 15's.

Builds a database from describe_fixture.sql with `pglite -f`, serves it with
`pglite serve` and runs each command below with psql, then stops the server
and runs each command with the pglite CLI on the same directory. stdout,
stderr and the exit status must be identical, byte for byte; nothing is
normalised (sizes are stable: the fixture ends with CHECKPOINT and the
commands only read).

The exceptions are \\l and \\dO: psql 15's queries read
pg_database.daticulocale and pg_collation.colliculocale, which PostgreSQL 17
renamed datlocale and colllocale, so psql 15 fails on them against our
server. For these the oracle is psql printing psql 15's own query, with the
column's new name, under the command's title (RENAMED_COLUMNS below).

usage: describe_test.py PGLITE PSQL FIXTURE
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# Each entry: a command line as typed after the prompt.
COMMANDS = [
    # \d: relations, and details of each kind
    r"\d",
    r"\d+",
    r"\dS pg_class",
    r"\d orders",
    r"\d+ orders",
    r"\d customers",
    r"\d+ customers",
    r"\d customers_pkey",
    r"\d+ customers_pkey",
    r"\d customers_recent",
    r"\d+ customers_lower_email",
    r"\d customers_name_trgm",
    r"\d invoice_numbers",
    r"\d+ orders_order_id_seq",
    r"\d app.small_seq",
    r"\d customer_emails",
    r"\d+ customer_emails",
    r"\d+ app.item_labels",
    r"\d order_totals",
    r"\d+ order_totals",
    r"\d measurements",
    r"\d+ measurements",
    r"\d measurements_2024",
    r"\d+ measurements_2024",
    r"\d+ measurements_city",
    r"\d app.items",
    r"\d+ app.items",
    r"\d+ app.special_items",
    r"\d+ app.scratch",
    r"\d bookings",
    r"\d+ bookings",
    r"\d bookings_code",
    r"\d bookings_during_excl",
    r"\d+ app.pairs",
    r"\d app.pair",
    r"\d+ remote_things",
    r"\d tickets",
    r"\d+ tickets",
    # patterns: quoting, case folding, wildcards, schema and database parts
    r'\d "Mixed Schema"."CamelTable"',
    r'\d+ "MixedCase"',
    r"\d MixedCase",
    r"\d+ CUSTOMERS",
    r"\d app.*",
    r"\d app.i?ems",
    r"\d customers|orders",
    r"\d postgres.public.orders",
    r'\d "Mixed Schema".*',
    # \d errors
    r"\d nosuch",
    r"\d nosuch.*",
    r"\d a.b.c.d",
    r"\d otherdb.public.orders",
    # \dt \di \dv \dm \ds \dE and combinations
    r"\dt",
    r"\dt+",
    r"\dt app.*",
    r"\dt+ *.*",
    r'\dt "Mixed Schema".*',
    r"\dtS pg_class",
    r"\dtS+ pg_catalog.pg_am*",
    r"\dt nosuch",
    r"\dt orders extra",
    r"\di",
    r"\di+",
    r"\di *_pkey",
    r"\diS pg_class_oid_index",
    r"\dv",
    r"\dv+",
    r"\dv app.*",
    r"\dvS pg_roles",
    r"\dm",
    r"\dm+",
    r"\dm nosuch",
    r"\ds",
    r"\ds+",
    r"\ds *seq*",
    r"\dE",
    r"\dE+",
    r"\dti",
    r"\dvm+",
    r"\dts app.*",
    # \dn
    r"\dn",
    r"\dn+",
    r"\dn app",
    r"\dn+ app",
    r"\dnS",
    r"\dn pg_*",
    r"\dn nosuch",
    r"\dn a.b.c",
    # \df
    r"\df",
    r"\df+",
    r"\dfa",
    r"\dfn",
    r"\dfp",
    r"\dft",
    r"\dfw",
    r"\dfan+",
    r"\df app.*",
    r'\df "Mixed Schema".*',
    r"\df add_one int",
    r"\df add_one integer",
    r"\df app.greet -",
    r"\df *.* text",
    r"\dfS upper",
    r"\dfS+ int4pl",
    r"\df nosuch",
    # \du / \dg
    r"\du",
    r"\du+",
    r"\du writer",
    r"\dg",
    r"\dg+ *er",
    r'\du "Mixed Role"',
    r"\duS",
    r"\du a.b",
    # \dx
    r"\dx",
    r"\dx+",
    r"\dx hs*",
    r"\dx+ pg_trgm",
    r"\dx+ nosuch",
    r"\dx a.b",
    # the other listing commands
    r"\dT",
    r"\dT+",
    r"\dT+ mood",
    r"\dT app.*",
    r"\dTS int",
    r"\dTS int[]",
    r"\da",
    r"\daS sum",
    r"\da app.*",
    r"\db",
    r"\db+",
    r"\dp",
    r"\dp customers",
    r"\z app.*",
    r"\dD",
    r"\dD+",
    r"\dL",
    r"\dL+",
    r"\dLS",
    r"\dA",
    r"\dA+ b*",
    r"\do",
    r"\do+ ?",
    r"\doS - int",
    r"\doS+ + int int",
    r"\dC+ hstore",
    r"\dC x*",
    r"\dc",
    r"\dcS+ utf8*",
    r"\dy",
    r"\dy+",
    r"\des+",
    r"\dew+",
    r"\det+",
    r"\deu+",
    r"\ddp",
    r"\ddp writer",
    r"\drds",
    r"\drds writer",
    r"\drds * postgres",
    r"\drds nosuch",
    r"\dX",
    r"\dX *.*",
    r"\dP",
    r"\dP+",
    r"\dPi+",
    r"\dPn",
    r"\dP meas*",
    r"\dl",
    r"\dl+",
    r"\dd",
    r"\dd pos*",
    r"\dRp",
    r"\dRp+",
    r"\dRp+ nosuch",
    r"\dRs+",
    r"\dF",
    r"\dF+ english",
    r"\dFd+",
    r"\dFp+",
    r"\dFt+",
    r"\dAc+ btree int*",
    r"\dAf gin",
    r"\dAo+ btree integer_ops",
    r"\dAp btree integer_ops",
]

# psql 15's \l and \dO queries (listAllDbs, listCollations) with the columns
# PostgreSQL 17 renamed (daticulocale, colliculocale), by command: the
# oracle is psql printing them under the command's title.
COLLATIONS = """SELECT n.nspname AS "Schema",
       c.collname AS "Name",
       c.collcollate AS "Collate",
       c.collctype AS "Ctype",
       c.colllocale AS "ICU Locale",
       CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Provider",
       CASE WHEN c.collisdeterministic THEN 'yes' ELSE 'no' END AS "Deterministic?"{verbose}
FROM pg_catalog.pg_collation c, pg_catalog.pg_namespace n
WHERE n.oid = c.collnamespace
{where}      AND c.collencoding IN (-1, pg_catalog.pg_char_to_encoding(pg_catalog.getdatabaseencoding()))
{pattern}ORDER BY 1, 2;"""
DATABASES = """SELECT d.datname as "Name",
       pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
       d.datcollate as "Collate",
       d.datctype as "Ctype",
       d.datlocale as "ICU Locale",
       CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider",
       pg_catalog.array_to_string(d.datacl, E'\\n') AS "Access privileges"{verbose}
FROM pg_catalog.pg_database d
{join}{where}ORDER BY 1;"""
DATABASES_VERBOSE = """,
       CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')
            THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))
            ELSE 'No Access'
       END as "Size",
       t.spcname as "Tablespace",
       pg_catalog.shobj_description(d.oid, 'pg_database') as """ '"Description"'
RENAMED_COLUMNS = {
    r"\l": ("List of databases", DATABASES.format(verbose="", join="", where="")),
    r"\l+": ("List of databases", DATABASES.format(
        verbose=DATABASES_VERBOSE, join="  JOIN pg_catalog.pg_tablespace t on d.dattablespace = t.oid\n", where="")),
    r"\list template*": ("List of databases", DATABASES.format(
        verbose="", join="",
        where="WHERE d.datname OPERATOR(pg_catalog.~) '^(template.*)$' COLLATE pg_catalog.default\n")),
    r"\dO": ("List of collations", COLLATIONS.format(
        verbose="", where="      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n",
        pattern="  AND pg_catalog.pg_collation_is_visible(c.oid)\n")),
    r"\dOS+": ("List of collations", COLLATIONS.format(
        verbose=",\n       pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\"", where="",
        pattern="  AND pg_catalog.pg_collation_is_visible(c.oid)\n")),
    r"\dO+ app.*": ("List of collations", COLLATIONS.format(
        verbose=",\n       pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\"", where="",
        pattern="  AND n.nspname OPERATOR(pg_catalog.~) '^(app)$' COLLATE pg_catalog.default\n")),
}


def run(args, stdin=None, env=None):
    p = subprocess.run(args, input=stdin, capture_output=True, env=env, timeout=60)
    return p.returncode, p.stdout, p.stderr


def start_server(pglite, data_dir, log):
    proc = subprocess.Popen([pglite, "serve", "-d", data_dir, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=log, stdin=subprocess.DEVNULL, text=True)
    url = proc.stdout.readline().strip()  # postgresql://USER@HOST:PORT/DB
    if not url.startswith("postgresql://"):
        proc.kill()
        sys.exit(f"the server printed no URL (got {url!r})")
    return proc, int(url.rsplit(":", 1)[1].split("/")[0])


def main():
    pglite, psql, fixture = sys.argv[1:4]
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="describe_test.")
    try:
        data_dir = os.path.join(work, "db")
        status, out, err = run([pglite, "-d", data_dir, "-v", "ON_ERROR_STOP=1", "-f", fixture])
        if status != 0:
            sys.exit(f"loading the fixture failed ({status}):\n{err.decode()}")

        env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k not in ("PAGER", "PSQL_PAGER")}
        env["PGCLIENTENCODING"] = "UTF8"
        with open(os.path.join(work, "server.err"), "w") as log:
            server, port = start_server(pglite, data_dir, log)
            try:
                base = [psql, "-X", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres"]
                expected = {}
                for cmd in COMMANDS:
                    expected[cmd] = run(base + ["-c", cmd], env=env)
                for cmd, (title, sql) in RENAMED_COLUMNS.items():
                    expected[cmd] = run(base + ["-P", "title=" + title, "-c", sql], env=env)
            finally:
                server.send_signal(signal.SIGTERM)
                if server.wait(timeout=60) != 0:
                    sys.exit(f"the server exited with status {server.returncode}")

        failures = 0
        for cmd, want in expected.items():
            got = run([pglite, "-d", data_dir], stdin=(cmd + "\n").encode(), env=env)
            if got == want:
                continue
            failures += 1
            print(f"--- {cmd}: differs (status psql {want[0]}, pglite {got[0]})")
            for name, w, g in (("stdout", want[1], got[1]), ("stderr", want[2], got[2])):
                if w != g:
                    print(f"psql {name}:\n{w.decode(errors='replace')}pglite {name}:\n{g.decode(errors='replace')}")
        print(f"{len(expected) - failures} of {len(expected)} describe commands identical to psql's "
              f"({time.monotonic() - started:.1f} s)")
        sys.exit(1 if failures else 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
