// Startup, memory and whole-process measurements, one function per probe.
// Each adds rows (workload "startup" or "memory") to `results`.
#pragma once
#include <string>
#include <vector>

#include "results.h"

namespace pglite::bench {

// Warm process: new database + first query ("temp-warm": temporary() in
// memory, or a new persistent database under `dir` when on_disk), and for
// on_disk also "reopen": Database::open() of an existing one + first query.
void probe_direct_startup(bool on_disk, const std::string& dir, int runs, ResultsFile& results);

// "connect": connection + first query; with create_database also
// "temp-warm": CREATE DATABASE + connection to it + first query.
void probe_libpq_startup(const std::string& conninfo, bool create_database, int runs, ResultsFile& results);

// "rss-N": PSS of this process with `count` idle temporary databases open.
void probe_direct_memory(int count, ResultsFile& results);

// "rss-N": PSS of a server (postmaster and its children) with `count` idle
// connections open.
void probe_server_memory(const std::string& conninfo, int postmaster_pid, int count, ResultsFile& results);

// Median wall time of running `argv` to completion `runs` times; `before`
// (a shell command, may be empty) runs untimed before each run. Throws if
// a run fails.
double time_command(const std::vector<std::string>& argv, const std::string& before, int runs);

// The cold-process unit timed by time_command: a temporary database and
// its first query, then exit.
void open_once();

}  // namespace pglite::bench
