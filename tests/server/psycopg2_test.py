"""psycopg2 against the server (run under server.sh with /usr/bin/python3).

executemany, a named server-side cursor read with fetchmany, commit/rollback
visibility from a second connection, and a unique violation (23505) after
which the connection is usable again.

The observing connections use autocommit: psycopg2 otherwise leaves a
transaction open after a SELECT, and on a server that multiplexes clients at
transaction boundaries that would hold the backend.
"""
import os
import sys
import unittest

try:
    import psycopg2
    import psycopg2.errors
except ImportError:
    sys.exit("psycopg2 is missing: apt-get install python3-psycopg2 (and run with /usr/bin/python3)")

URL = os.environ["SERVER_URL"]


def connect(autocommit=False):
    conn = psycopg2.connect(URL, connect_timeout=10)
    conn.autocommit = autocommit
    return conn


class Psycopg2Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with connect(autocommit=True) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(8,2))")
        conn.close()

    def setUp(self):
        self.conn = connect()
        self.observer = connect(autocommit=True)
        self.addCleanup(self.conn.close)
        self.addCleanup(self.observer.close)

    def count(self, where="true"):
        with self.observer.cursor() as cur:
            cur.execute("SELECT count(*) FROM items WHERE " + where)
            return cur.fetchone()[0]

    def test_executemany(self):
        rows = [(1000 + i, "item %d" % i, i * 1.25) for i in range(500)]
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO items VALUES (%s, %s, %s)", rows)
        self.conn.commit()
        self.assertEqual(self.count("id >= 1000 AND id < 1500"), 500)
        with self.observer.cursor() as cur:
            cur.execute("SELECT name, price FROM items WHERE id = %s", (1499,))
            name, price = cur.fetchone()
        self.assertEqual(name, "item 499")
        self.assertEqual(float(price), 499 * 1.25)

    def test_named_cursor_fetchmany(self):
        with self.conn.cursor(name="big_cursor") as cur:
            cur.itersize = 500
            cur.execute("SELECT g, repeat('x', g % 50) FROM generate_series(1, 10000) g ORDER BY g")
            seen, total, batches = 0, 0, 0
            while True:
                batch = cur.fetchmany(777)
                if not batch:
                    break
                batches += 1
                for g, text in batch:
                    self.assertEqual(len(text), g % 50)
                    seen += 1
                    total += g
        self.conn.commit()
        self.assertEqual(seen, 10000)
        self.assertEqual(total, 10000 * 10001 // 2)
        self.assertEqual(batches, 13)  # ceil(10000 / 777)

    def test_commit_and_rollback_visibility(self):
        with self.conn.cursor() as cur:
            cur.execute("INSERT INTO items VALUES (1, 'committed', 1)")
            cur.execute("SELECT count(*) FROM items WHERE id = 1")
            self.assertEqual(cur.fetchone()[0], 1, "own insert visible inside the transaction")
        self.conn.commit()
        self.assertEqual(self.count("id = 1"), 1, "committed row visible to another connection")

        with self.conn.cursor() as cur:
            cur.execute("INSERT INTO items VALUES (2, 'rolled back', 2)")
            cur.execute("UPDATE items SET name = 'changed' WHERE id = 1")
        self.conn.rollback()
        self.assertEqual(self.count("id = 2"), 0, "rolled back insert invisible")
        self.assertEqual(self.count("id = 1 AND name = 'committed'"), 1, "rolled back update undone")

    def test_unique_violation_then_usable(self):
        with self.conn.cursor() as cur:
            cur.execute("INSERT INTO items VALUES (3, 'first', 3)")
        self.conn.commit()
        with self.conn.cursor() as cur:
            with self.assertRaises(psycopg2.IntegrityError) as ctx:
                cur.execute("INSERT INTO items VALUES (3, 'duplicate', 3)")
        e = ctx.exception
        self.assertEqual(e.pgcode, "23505")
        self.assertIsInstance(e, psycopg2.errors.UniqueViolation)
        self.assertEqual(e.diag.constraint_name, "items_pkey")
        with self.conn.cursor() as cur:
            with self.assertRaises(psycopg2.errors.InFailedSqlTransaction):
                cur.execute("SELECT 1")
        self.conn.rollback()
        with self.conn.cursor() as cur:
            cur.execute("SELECT name FROM items WHERE id = 3")
            self.assertEqual(cur.fetchone()[0], "first")
            cur.execute("INSERT INTO items VALUES (4, 'after the error', 4)")
        self.conn.commit()
        self.assertEqual(self.count("id = 4"), 1)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print("psycopg2_test: %d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed or not result.wasSuccessful() else 0)
