// Micro benchmarks of the embedded API (Google Benchmark). Numbers are
// recorded in docs/PERFORMANCE.md; nothing here is asserted.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "pglite/pglite.hpp"

namespace {

long rss_kib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// New temporary database (template extracted, backend started) + first
// query, in a warm process.
void BM_OpenTemporaryFirstQuery(benchmark::State& state) {
  { auto warm = pglite::Database::temporary(); }
  for (auto _ : state) {
    auto db = pglite::Database::temporary();
    benchmark::DoNotOptimize(db.exec("SELECT 1"));
    state.PauseTiming();
    db.close();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_OpenTemporaryFirstQuery)->Unit(benchmark::kMillisecond)->Iterations(20);

void BM_SelectOneSimple(benchmark::State& state) {
  auto db = pglite::Database::temporary();
  for (auto _ : state) benchmark::DoNotOptimize(db.exec("SELECT 1"));
}
BENCHMARK(BM_SelectOneSimple)->Unit(benchmark::kMicrosecond);

void BM_SelectOneExtended(benchmark::State& state) {
  auto db = pglite::Database::temporary();
  for (auto _ : state) benchmark::DoNotOptimize(db.query("SELECT $1::int", 1));
}
BENCHMARK(BM_SelectOneExtended)->Unit(benchmark::kMicrosecond);

void BM_InsertRowExtended(benchmark::State& state) {
  pglite::Options options;
  options.relaxed_durability = true;
  auto db = pglite::Database::temporary(options);
  db.exec("CREATE TABLE t (id int, v text)");
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(db.query("INSERT INTO t VALUES ($1, $2)", i++, "payload"));
}
BENCHMARK(BM_InsertRowExtended)->Unit(benchmark::kMicrosecond);

void BM_Fetch1000Rows(benchmark::State& state) {
  auto db = pglite::Database::temporary();
  db.exec("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 1000) g");
  for (auto _ : state) benchmark::DoNotOptimize(db.exec("SELECT id, v FROM t"));
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Fetch1000Rows)->Unit(benchmark::kMicrosecond);

// Typed decoding alone: text cells of a result already in hand to C++ values.
void BM_Decode1000Rows(benchmark::State& state) {
  auto db = pglite::Database::temporary();
  const pglite::Result result = db.exec(
      "SELECT g AS id, g * 0.5 AS x, md5(g::text) AS v, g % 2 = 0 AS even FROM generate_series(1, 1000) g");
  for (auto _ : state) {
    long sum = 0;
    for (const pglite::Row row : result) {
      sum += row.get<int>(0) + static_cast<long>(row.get<double>(1)) +
             static_cast<long>(row.get<std::string>(2).size()) + row.get<bool>(3);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Decode1000Rows)->Unit(benchmark::kMicrosecond);

// Reopen of an existing persistent database + first query, warm process.
void BM_ReopenPersistentFirstQuery(benchmark::State& state) {
  char dir[] = "/tmp/pglite-bench-reopen.XXXXXX";
  if (!mkdtemp(dir)) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  const std::string path = std::string(dir) + "/db";
  pglite::Database::open(path).exec("CREATE TABLE t (a int)");
  for (auto _ : state) {
    auto db = pglite::Database::open(path);
    benchmark::DoNotOptimize(db.exec("SELECT 1"));
    state.PauseTiming();
    db.close();
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReopenPersistentFirstQuery)->Unit(benchmark::kMillisecond)->Iterations(20);

// Resident memory added by each idle open instance.
void BM_RssPerIdleInstance(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<pglite::Database> dbs;
    long before = rss_kib();
    for (int i = 0; i < n; i++) {
      dbs.push_back(pglite::Database::temporary());
      dbs.back().exec("SELECT 1");
    }
    state.counters["rss_mib_per_instance"] = double(rss_kib() - before) / 1024.0 / n;
  }
}
BENCHMARK(BM_RssPerIdleInstance)->Arg(10)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
