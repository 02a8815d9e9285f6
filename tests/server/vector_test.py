#!/usr/bin/env python3
"""pgvector through the server: psycopg2 creates the extension, inserts
vectors with parameters and runs an index-backed nearest-neighbour query.
Runs under server.sh (uses $SERVER_URL)."""
import os
import random

import psycopg2

conn = psycopg2.connect(os.environ["SERVER_URL"])
cur = conn.cursor()
cur.execute("CREATE EXTENSION IF NOT EXISTS vector")
cur.execute("CREATE TABLE items (id int PRIMARY KEY, embedding vector(8))")
rng = random.Random(7)
rows = [(i, "[" + ",".join(f"{rng.uniform(-1, 1):.5f}" for _ in range(8)) + "]") for i in range(1, 2001)]
cur.executemany("INSERT INTO items VALUES (%s, %s)", rows)
cur.execute("CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops)")
conn.commit()

probe = rows[1233][1]
cur.execute("SELECT id FROM items ORDER BY embedding <=> %s LIMIT 3", (probe,))
ids = [r[0] for r in cur.fetchall()]
assert ids[0] == 1234, ids
cur.execute("SET enable_seqscan = off")
cur.execute("EXPLAIN SELECT id FROM items ORDER BY embedding <=> %s LIMIT 3", (probe,))
plan = "\n".join(r[0] for r in cur.fetchall())
assert "items_embedding_idx" in plan, plan
cur.execute("SELECT embedding FROM items WHERE id = 1234")
assert cur.fetchone()[0] == probe, "vector text round trip"
print("vector: psycopg2 inserts and an hnsw nearest-neighbour query through the server")
