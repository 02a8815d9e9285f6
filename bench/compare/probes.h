// Startup, clone, memory, round-trip and whole-process measurements, one
// function per probe. Each adds rows (workload "startup", "clone",
// "memory" or "select1") to `results`.
#pragma once
#include <string>
#include <vector>

#include "pglite/pglite.hpp"
#include "results.h"
#include "target.h"
#include "workloads.h"

namespace pglite::bench {

// Warm process: new database + first query ("temp-warm": temporary() in
// memory, or a new persistent database under `dir` when on_disk), and for
// on_disk also "reopen": Database::open() of an existing one + first query.
void probe_direct_startup(bool on_disk, const std::string& dir, int runs, ResultsFile& results);

// "connect": connection + first query; with create_database also
// "temp-warm": CREATE DATABASE + connection to it + first query.
void probe_libpq_startup(const std::string& conninfo, bool create_database, int runs, ResultsFile& results);

// Which instance counts the memory probes measure, and the PSS (MiB) not to
// go beyond: a count whose projected PSS is above it is not measured.
struct MemoryPlan {
  std::vector<int> counts;  // ascending
  double budget_mib = 16384;
};

// "pss-N": PSS of this process with N idle temporary databases open.
void probe_direct_memory(const MemoryPlan& plan, ResultsFile& results);

// "pss-N": PSS of a server (the process `server_pid` and its children)
// with N idle connections open.
void probe_server_memory(const std::string& conninfo, int server_pid, const MemoryPlan& plan,
                         ResultsFile& results);

// Loads `fixture` into `origin` ("clone-origin": its pg_database_size),
// then `runs` times Database::clone() + the fixture's first query on the
// clone: "clone" (median) and "clone-first". The origin is not changed
// between clones; each clone is closed untimed.
void probe_direct_clone(pglite::Database origin, const CloneFixture& fixture, int runs, ResultsFile& results);

// The same on a server: the fixture is loaded into a new database, then
// for each strategy `runs` times CREATE DATABASE ... TEMPLATE ... STRATEGY
// + connection + first query ("clone" and "clone-first" for wal_log, the
// default; "clone-<strategy>" and "clone-<strategy>-first" for others).
// Each clone is dropped untimed.
void probe_libpq_clone(const std::string& conninfo, const CloneFixture& fixture, int runs,
                       const std::vector<std::string>& strategies, ResultsFile& results);

// "select1": median time of one `SELECT 1` round trip (simple protocol)
// over `iterations`, in µs.
void probe_select1(Target& target, int iterations, ResultsFile& results);

// Median wall time of running `argv` to completion `runs` times; `before`
// (a shell command, may be empty) runs untimed before each run. Throws if
// a run fails.
double time_command(const std::vector<std::string>& argv, const std::string& before, int runs);

// The cold-process unit timed by time_command: a temporary database and
// its first query, then exit.
void open_once();

}  // namespace pglite::bench
