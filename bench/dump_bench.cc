// Dump and physical-archive timings on a prepared database, for
// bench/dump_compare.sh (which builds it and sets PGLITE_BENCH_DUMP_DIR).
// Without that variable these benchmarks report an error and do nothing.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "pglite/pglite.hpp"

namespace {

const char* prepared_dir() { return std::getenv("PGLITE_BENCH_DUMP_DIR"); }

std::string scratch(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("pglite-bench-" + name)).string();
}

void BM_DumpSql(benchmark::State& state) {
  if (!prepared_dir()) return state.SkipWithError("set PGLITE_BENCH_DUMP_DIR (bench/dump_compare.sh)");
  auto db = pglite::Database::open(prepared_dir());
  size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    db.dump({}, [&](std::string_view chunk) { bytes += chunk.size(); });
  }
  state.SetBytesProcessed(int64_t(bytes) * state.iterations());
  state.counters["dump_MB"] = double(bytes) / 1e6;
}
BENCHMARK(BM_DumpSql)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_ExportArchive(benchmark::State& state) {
  if (!prepared_dir()) return state.SkipWithError("set PGLITE_BENCH_DUMP_DIR (bench/dump_compare.sh)");
  auto db = pglite::Database::open(prepared_dir());
  const std::string out = scratch("export.tar.zst");
  for (auto _ : state) db.export_archive(out);
  state.counters["archive_MB"] = double(std::filesystem::file_size(out)) / 1e6;
  std::filesystem::remove(out);
}
BENCHMARK(BM_ExportArchive)->Unit(benchmark::kMillisecond)->Iterations(2);

// The fixture path: every test starts from the archive.
void BM_TemporaryFromArchive(benchmark::State& state) {
  if (!prepared_dir()) return state.SkipWithError("set PGLITE_BENCH_DUMP_DIR (bench/dump_compare.sh)");
  const std::string archive = scratch("fixture.tar.zst");
  pglite::Database::open(prepared_dir()).export_archive(archive);
  for (auto _ : state) {
    auto db = pglite::Database::temporary_from_archive(archive);
    benchmark::DoNotOptimize(db.exec("SELECT count(*) FROM pg_class"));
  }
  std::filesystem::remove(archive);
}
BENCHMARK(BM_TemporaryFromArchive)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_OpenFromArchiveOnDisk(benchmark::State& state) {
  if (!prepared_dir()) return state.SkipWithError("set PGLITE_BENCH_DUMP_DIR (bench/dump_compare.sh)");
  const std::string archive = scratch("fixture-disk.tar.zst");
  const std::string target = scratch("from-archive");
  pglite::Database::open(prepared_dir()).export_archive(archive);
  for (auto _ : state) {
    {
      auto db = pglite::Database::open_from_archive(archive, target);
      benchmark::DoNotOptimize(db.exec("SELECT count(*) FROM pg_class"));
    }
    state.PauseTiming();
    std::filesystem::remove_all(target);
    state.ResumeTiming();
  }
  std::filesystem::remove(archive);
}
BENCHMARK(BM_OpenFromArchiveOnDisk)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
