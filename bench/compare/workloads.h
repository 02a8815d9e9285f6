// The side-by-side workloads, generated deterministically: the C++ driver
// runs them in-process and writes the same suite as JSON for the Node
// driver (bench/node/compare.mjs), so every target runs identical SQL.
#pragma once
#include <string>
#include <vector>

namespace pglite::bench {

enum class Scale { kQuick, kFull };

// One timed unit: `sql` is sent string by string (each one simple-query
// round trip, possibly many statements); one timing covers the whole list.
struct Step {
  std::string id;
  std::string title;
  std::string unit = "ms";
  int divide_by = 1;  // e.g. transactions per step, to report per transaction
  std::vector<std::string> sql;
};

// Steps run in order on one database, after `reset` and `setup` (untimed).
// Each step is timed `iterations` times; `trim` of the sorted timings is
// dropped from each end and the rest averaged.
struct Workload {
  std::string name;
  std::string title;
  std::vector<std::string> setup;
  int iterations = 1;
  double trim = 0.0;
  std::vector<Step> steps;
};

// The origin database of the clone probes: `load` fills it (about 100 MiB
// of pg_database_size at full scale, a tenth at quick), `first_query` is
// what each clone runs first.
struct CloneFixture {
  std::vector<std::string> load;
  std::string first_query;
};

struct Suite {
  Scale scale = Scale::kFull;
  std::vector<std::string> reset;
  std::vector<Workload> workloads;
  CloneFixture fixture;
};

Suite make_suite(Scale scale);
CloneFixture clone_fixture(Scale scale);

// The 18 tests PGlite derived from SQLite's speedtest, one script each.
Workload speed_workload(Scale scale);
// PGlite's round-trip CRUD statements, each timed many times.
Workload rtt_workload(Scale scale);
// pgbench's TPC-B-like transaction, one statement per round trip.
Workload tpcb_workload(Scale scale);

std::string suite_json(const Suite& suite);

// "ninety thousand five hundred eighty-four" (speedtest's text column).
std::string number_words(int n);

}  // namespace pglite::bench
