// The pgvector workloads of bench/vector_bench.cc, on PGlite under Node.
// Prints one JSON object: milliseconds per benchmark (mean over iterations).
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';

const ROWS = 10000, DIMS = 128, QUERIES = 100;

function vectorText(i) {
  const parts = [];
  for (let j = 0; j < DIMS; j++) parts.push(Math.sin(i * 0.7 + j * 1.3).toFixed(4));
  return '[' + parts.join(',') + ']';
}

async function vectorDb() {
  const db = new PGlite({ extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  return db;
}

async function loadRows(db) {
  await db.exec('CREATE TABLE items (id int PRIMARY KEY, embedding vector(128))');
  await db.transaction(async (tx) => {
    for (let i = 1; i <= ROWS; i++) await tx.query('INSERT INTO items VALUES ($1, $2)', [i, vectorText(i)]);
  });
}

async function time(iterations, setup, body) {
  let total = 0;
  for (let k = 0; k < iterations; k++) {
    const ctx = setup ? await setup() : undefined;
    const t0 = performance.now();
    await body(ctx);
    total += performance.now() - t0;
    if (ctx && ctx.close) await ctx.close();
  }
  return total / iterations;
}

const results = {};
{ const warm = await vectorDb(); await warm.close(); }
results.BM_OpenWithVectorFirstQuery = await time(20, null, async () => {
  const db = await vectorDb();
  await db.query("SELECT '[1,2,3]'::vector <-> '[3,2,1]'");
  await db.close();
});
results.BM_VectorInsert10k = await time(3, vectorDb, loadRows);
results.BM_VectorHnswBuild10k = await time(2, async () => { const db = await vectorDb(); await loadRows(db); return db; },
  (db) => db.exec('CREATE INDEX ON items USING hnsw (embedding vector_l2_ops)'));
const knnDb = await vectorDb();
await loadRows(knnDb);
await knnDb.exec('CREATE INDEX ON items USING hnsw (embedding vector_l2_ops)');
results.BM_VectorKnn100 = await time(5, null, async () => {
  for (let q = 0; q < QUERIES; q++) {
    await knnDb.query('SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 10', [vectorText(100000 + q)]);
  }
});
await knnDb.close();
console.log(JSON.stringify(results));
