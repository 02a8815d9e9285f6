// node-pg against `pglite serve`: a pool of 5 running concurrent queries and
// transactions, and the same prepared-statement name used by different
// clients with different SQL. Run under server.sh (uses $SERVER_URL).
'use strict';
const assert = require('assert');
const { Pool } = require('pg');

async function main() {
  const pool = new Pool({ connectionString: process.env.SERVER_URL, max: 5 });
  await pool.query('CREATE TABLE IF NOT EXISTS accounts (id int PRIMARY KEY, balance int NOT NULL)');
  await pool.query('TRUNCATE accounts');
  await pool.query('INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 10) g');

  // 50 concurrent transfers through 5 pooled connections, each a transaction.
  const transfers = [];
  for (let i = 0; i < 50; i++) {
    transfers.push((async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const from = (i % 10) + 1, to = ((i + 3) % 10) + 1;
        await client.query('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [from]);
        await client.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [to]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      } finally {
        client.release();
      }
    })());
  }
  await Promise.all(transfers);
  const total = await pool.query('SELECT sum(balance)::int AS s, count(*)::int AS n FROM accounts');
  assert.strictEqual(total.rows[0].s, 1000);
  assert.strictEqual(total.rows[0].n, 10);

  // Concurrent plain queries.
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.query('SELECT $1::int * 2 AS v', [i])));
  results.forEach((r, i) => assert.strictEqual(r.rows[0].v, i * 2));

  // Same statement name, different SQL, on two different connections.
  const a = await pool.connect();
  const b = await pool.connect();
  try {
    const ra = await a.query({ name: 'same_name', text: 'SELECT $1::int + 1 AS v', values: [1] });
    const rb = await b.query({ name: 'same_name', text: "SELECT $1::text || '!' AS v", values: ['x'] });
    assert.strictEqual(ra.rows[0].v, 2);
    assert.strictEqual(rb.rows[0].v, 'x!');
    const ra2 = await a.query({ name: 'same_name', text: 'SELECT $1::int + 1 AS v', values: [41] });
    assert.strictEqual(ra2.rows[0].v, 42);
  } finally {
    a.release();
    b.release();
  }

  // An error inside a transaction, then the connection is still usable.
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await assert.rejects(c.query('SELECT 1/0'), (e) => e.code === '22012');
    await c.query('ROLLBACK');
    assert.strictEqual((await c.query('SELECT 7 AS v')).rows[0].v, 7);
  } finally {
    c.release();
  }
  await pool.end();
  console.log('node-pg: all checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
