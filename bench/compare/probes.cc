#include "probes.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace pglite::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Proportional set size in kB (shared pages split between their users), so
// a server's shared memory is not counted once per backend.
long pss_kb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Pss:", 0) == 0) return std::strtol(line.c_str() + 4, nullptr, 10);
  return 0;
}

int parent_pid(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name may hold spaces: fields start after its closing ')'.
  std::istringstream fields(stat.substr(stat.rfind(')') + 1));
  std::string state;
  int ppid = 0;
  fields >> state >> ppid;
  return ppid;
}

long tree_pss_kb(int root) {
  long total = pss_kb(root);
  std::unique_ptr<DIR, int (*)(DIR*)> proc(opendir("/proc"), closedir);
  while (dirent* entry = readdir(proc.get())) {
    const int pid = std::atoi(entry->d_name);
    if (pid > 0 && parent_pid(pid) == root) total += pss_kb(pid);
  }
  return total;
}

// Kilobytes the kernel could still give without swapping.
long mem_available_kb() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("MemAvailable:", 0) == 0) return std::strtol(line.c_str() + 13, nullptr, 10);
  return 0;
}

constexpr long kMemoryReserveKb = 1L << 20;  // stop opening instances below 1 GiB available

ResultRow memory_row(int count, std::optional<double> mib, std::string note = "") {
  const std::string title = std::to_string(count) + (count == 1 ? " idle instance" : " idle instances");
  return {"memory", "pss-" + std::to_string(count), title + " (total PSS)", "MiB", mib, std::move(note)};
}

std::string gib(double mib) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", mib / 1024);
  return text;
}

// Opens instances with `open_one` until `opened` reaches `count`; returns
// why it stopped early, or "" once there.
std::string open_until(int count, int& opened, const std::function<void()>& open_one) {
  for (; opened < count; ++opened) {
    if (mem_available_kb() < kMemoryReserveKb)
      return "the machine ran out of memory (MemAvailable < 1 GiB) after " + std::to_string(opened) +
             " instances";
    try {
      open_one();
    } catch (const std::exception& e) {
      return "instance " + std::to_string(opened + 1) + " could not be opened: " + e.what();
    }
  }
  return "";
}

// Opens instances one by one and records `pss_kb()` at each count of the
// plan. A count whose PSS, extrapolated from the last step, would exceed
// the budget is not attempted; it and the counts after it are recorded as
// not measured, with the reason, as are those after a failure to open.
void measure_instances(const MemoryPlan& plan, const std::function<void()>& open_one,
                       const std::function<long()>& pss_kb, ResultsFile& results) {
  int opened = 0, last_count = 0;
  double last_mib = static_cast<double>(pss_kb()) / 1024, per_instance = 0;
  std::string stop;
  for (int count : plan.counts) {
    const double projected = last_mib + per_instance * (count - last_count);
    if (stop.empty() && projected > plan.budget_mib)
      stop = "projected " + gib(projected) + " for " + std::to_string(count) + " instances exceeds the " +
             gib(plan.budget_mib) + " budget";
    if (stop.empty()) stop = open_until(count, opened, open_one);
    if (!stop.empty()) {
      results.add(memory_row(count, std::nullopt, stop));
      continue;
    }
    const double mib = static_cast<double>(pss_kb()) / 1024;
    results.add(memory_row(count, mib));
    per_instance = (mib - last_mib) / (count - last_count);
    last_mib = mib;
    last_count = count;
  }
}

// Times `open(i)` for each run (it opens and runs the first query); what it
// returns is closed after the clock has stopped, then `after()` runs.
template <typename Open, typename After>
std::vector<double> open_times(int runs, Open open, After after) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    {
      const auto start = Clock::now();
      auto opened = open(i);
      times.push_back(ms_since(start));
    }
    after();
  }
  return times;
}

template <typename Open>
double median_open_ms(int runs, Open open) {
  return median(open_times(runs, open, [] {}));
}

constexpr const char* kTempWarmTitle = "new database + first query, warm process";

// Loads the fixture and adds "clone-origin", the size it came to.
void load_fixture(Target& origin, const CloneFixture& fixture, ResultsFile& results) {
  for (const std::string& sql : fixture.load) origin.exec(sql);
  const double bytes = std::stod(origin.scalar("SELECT pg_database_size(current_database())"));
  results.add({"clone", "clone-origin", "size of the origin database (pg_database_size)", "MiB",
               bytes / (1024 * 1024)});
}

// "clone<suffix>" (median of the runs) and "clone<suffix>-first".
void add_clone_rows(const std::string& suffix, const std::string& how, const std::vector<double>& times,
                    ResultsFile& results) {
  const std::string runs = std::to_string(times.size());
  results.add({"clone", "clone" + suffix, "clone" + how + " + first query on it, median of " + runs, "ms",
               median(times)});
  results.add({"clone", "clone" + suffix + "-first", "first clone" + how + " + first query on it", "ms",
               times.front()});
}

int run_shell(const std::string& command) { return std::system(command.c_str()); }

}  // namespace

void probe_direct_startup(bool on_disk, const std::string& dir, int runs, ResultsFile& results) {
  auto new_database = [&](int serial) {
    pglite::Database db = on_disk ? pglite::Database::open(dir + "/new-" + std::to_string(serial))
                                  : pglite::Database::temporary();
    db.exec("SELECT 1");
    return db;
  };
  // Warm-up: caches, and the started template temporary databases are
  // copied from, which a process makes at its second one.
  new_database(-1).close();
  new_database(-2).close();
  results.add({"startup", "temp-warm", kTempWarmTitle, "ms", median_open_ms(runs, new_database)});
  if (!on_disk) return;

  pglite::Database::open(dir + "/reopen").exec("CREATE TABLE t (a int)");
  const double reopen = median_open_ms(runs, [&](int) {
    pglite::Database db = pglite::Database::open(dir + "/reopen");
    db.exec("SELECT 1");
    return db;
  });
  results.add({"startup", "reopen", "reopen persistent database + first query", "ms", reopen});
}

void probe_libpq_startup(const std::string& conninfo, bool create_database, int runs, ResultsFile& results) {
  auto connect = [](const std::string& info) {
    auto connection = std::make_unique<LibpqTarget>(info);
    connection->exec("SELECT 1");
    return connection;
  };
  connect(conninfo);  // warm-up
  const double connect_ms = median_open_ms(runs, [&](int) { return connect(conninfo); });
  results.add({"startup", "connect", "connection + first query", "ms", connect_ms});
  if (!create_database) return;

  LibpqTarget admin(conninfo);
  auto name = [](int i) { return "bench_startup_" + std::to_string(i); };
  for (int i = 0; i < runs; ++i) admin.exec("DROP DATABASE IF EXISTS " + name(i));
  const double create_ms = median_open_ms(runs, [&](int i) {
    admin.exec("CREATE DATABASE " + name(i));
    return connect(conninfo + " dbname=" + name(i));
  });
  for (int i = 0; i < runs; ++i) admin.exec("DROP DATABASE IF EXISTS " + name(i));
  results.add({"startup", "temp-warm", kTempWarmTitle, "ms", create_ms});
}

void probe_direct_memory(const MemoryPlan& plan, ResultsFile& results) {
  std::vector<pglite::Database> open;
  open.reserve(static_cast<std::size_t>(plan.counts.back()));
  auto open_one = [&] {
    open.push_back(pglite::Database::temporary());
    open.back().exec("SELECT 1");
  };
  measure_instances(
      plan, open_one, [] { return pss_kb(getpid()); }, results);
}

void probe_server_memory(const std::string& conninfo, int server_pid, const MemoryPlan& plan,
                         ResultsFile& results) {
  std::vector<std::unique_ptr<LibpqTarget>> open;
  auto open_one = [&] {
    open.push_back(std::make_unique<LibpqTarget>(conninfo));
    open.back()->exec("SELECT 1");
  };
  measure_instances(
      plan, open_one, [&] { return tree_pss_kb(server_pid); }, results);
}

void probe_direct_clone(pglite::Database origin, const CloneFixture& fixture, int runs,
                        ResultsFile& results) {
  DirectTarget target(std::move(origin));
  load_fixture(target, fixture, results);
  auto clone = [&](int) {
    pglite::Database copy = target.database().clone();
    copy.exec(fixture.first_query);
    return copy;
  };
  add_clone_rows("", "", open_times(runs, clone, [] {}), results);
}

void probe_libpq_clone(const std::string& conninfo, const CloneFixture& fixture, int runs,
                       const std::vector<std::string>& strategies, ResultsFile& results) {
  LibpqTarget admin(conninfo);
  const std::string drop_clone = "DROP DATABASE IF EXISTS bench_clone WITH (FORCE)";
  admin.exec(drop_clone);
  admin.exec("DROP DATABASE IF EXISTS bench_fixture WITH (FORCE)");
  admin.exec("CREATE DATABASE bench_fixture");
  {
    LibpqTarget origin(conninfo + " dbname=bench_fixture");
    load_fixture(origin, fixture, results);
  }  // a template must have no connections
  for (const std::string& strategy : strategies) {
    auto clone = [&](int) {
      admin.exec("CREATE DATABASE bench_clone TEMPLATE bench_fixture STRATEGY " + strategy);
      auto connection = std::make_unique<LibpqTarget>(conninfo + " dbname=bench_clone");
      connection->exec(fixture.first_query);
      return connection;
    };
    const std::vector<double> times = open_times(runs, clone, [&] { admin.exec(drop_clone); });
    if (strategy == "wal_log")
      add_clone_rows("", "", times, results);
    else
      add_clone_rows("-" + strategy, " (STRATEGY " + strategy + ")", times, results);
  }
  admin.exec("DROP DATABASE bench_fixture");
}

void probe_select1(Target& target, int iterations, ResultsFile& results) {
  for (int i = 0; i < std::min(iterations, 100); ++i) target.exec("SELECT 1");  // warm-up
  std::vector<double> times;
  times.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const auto start = Clock::now();
    target.exec("SELECT 1");
    times.push_back(ms_since(start) * 1000);
  }
  results.add({"select1", "select1", "SELECT 1 round trip, median of " + std::to_string(iterations), "µs",
               median(times)});
}

double time_command(const std::vector<std::string>& argv, const std::string& before, int runs) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    if (!before.empty() && run_shell(before) != 0) throw std::runtime_error("failed: " + before);
    const auto start = Clock::now();
    pid_t pid = 0;
    if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0)
      throw std::runtime_error("cannot run " + argv[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    times.push_back(ms_since(start));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(argv[0] + " failed");
  }
  return median(times);
}

void open_once() { pglite::Database::temporary().exec("SELECT 1"); }

}  // namespace pglite::bench
