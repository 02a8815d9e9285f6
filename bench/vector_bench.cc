// pgvector workloads (Google Benchmark), the same ones bench/node/vector.mjs
// runs on PGlite under Node; bench/vector_compare.sh runs both and prints
// the ratios recorded in docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "pglite/pglite.hpp"

namespace {

constexpr int kRows = 10000;
constexpr int kDims = 128;
constexpr int kQueries = 100;

// Row i's vector: the same text bench/node/vector.mjs produces.
std::string vector_text(int i) {
  std::string out = "[";
  char buf[32];
  for (int j = 0; j < kDims; j++) {
    std::snprintf(buf, sizeof buf, "%s%.4f", j ? "," : "", std::sin(i * 0.7 + j * 1.3));
    out += buf;
  }
  return out + "]";
}

bool have_vector(benchmark::State& state) {
  auto names = pglite::available_extensions();
  if (std::find(names.begin(), names.end(), "vector") != names.end()) return true;
  state.SkipWithError("built without extensions");
  return false;
}

pglite::Database vector_db() {
  pglite::Options options;
  options.extensions = {"vector"};
  return pglite::Database::temporary(options);
}

void load_rows(pglite::Database& db) {
  db.exec("CREATE TABLE items (id int PRIMARY KEY, embedding vector(128))");
  pglite::Transaction tx = db.transaction();
  for (int i = 1; i <= kRows; i++) db.query("INSERT INTO items VALUES ($1, $2)", i, vector_text(i));
  tx.commit();
}

// Open a temporary database that has the vector extension + first vector
// query, in a warm process (the per-set template exists after the first).
void BM_OpenWithVectorFirstQuery(benchmark::State& state) {
  if (!have_vector(state)) return;
  { auto warm = vector_db(); }
  for (auto _ : state) {
    auto db = vector_db();
    benchmark::DoNotOptimize(db.exec("SELECT '[1,2,3]'::vector <-> '[3,2,1]'"));
    state.PauseTiming();
    db.close();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_OpenWithVectorFirstQuery)->Unit(benchmark::kMillisecond)->Iterations(20);

// 10 000 parameterised single-row INSERTs of vector(128) in one transaction.
void BM_VectorInsert10k(benchmark::State& state) {
  if (!have_vector(state)) return;
  for (auto _ : state) {
    state.PauseTiming();
    auto db = vector_db();
    state.ResumeTiming();
    load_rows(db);
  }
}
BENCHMARK(BM_VectorInsert10k)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_VectorHnswBuild10k(benchmark::State& state) {
  if (!have_vector(state)) return;
  for (auto _ : state) {
    state.PauseTiming();
    auto db = vector_db();
    load_rows(db);
    state.ResumeTiming();
    db.exec("CREATE INDEX ON items USING hnsw (embedding vector_l2_ops)");
  }
}
BENCHMARK(BM_VectorHnswBuild10k)->Unit(benchmark::kMillisecond)->Iterations(2);

// 100 nearest-neighbour queries (LIMIT 10) through the hnsw index.
void BM_VectorKnn100(benchmark::State& state) {
  if (!have_vector(state)) return;
  auto db = vector_db();
  load_rows(db);
  db.exec("CREATE INDEX ON items USING hnsw (embedding vector_l2_ops)");
  for (auto _ : state) {
    for (int q = 0; q < kQueries; q++) {
      benchmark::DoNotOptimize(
          db.query("SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 10", vector_text(100000 + q)));
    }
  }
}
BENCHMARK(BM_VectorKnn100)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
