#include "probes.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "pglite/pglite.hpp"
#include "target.h"

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

ResultRow memory_row(int count, long kb) {
  return {"memory", "rss-" + std::to_string(count), std::to_string(count) + " idle instances", "MiB",
          static_cast<double>(kb) / 1024.0};
}

constexpr const char* kTempWarmTitle = "new database + first query, warm process";

// Median over `runs` of how long `open(i)` takes (it opens and runs the first
// query); what it returns is closed after the clock has stopped.
template <typename Open>
double median_open_ms(int runs, Open open) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    auto opened = open(i);
    times.push_back(ms_since(start));
  }
  return median(times);
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
  new_database(-1).close();  // warm-up: templates, caches
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

void probe_direct_memory(int count, ResultsFile& results) {
  std::vector<pglite::Database> open;
  for (int i = 0; i < count; ++i) {
    open.push_back(pglite::Database::temporary());
    open.back().exec("SELECT 1");
  }
  results.add(memory_row(count, pss_kb(getpid())));
}

void probe_server_memory(const std::string& conninfo, int postmaster_pid, int count, ResultsFile& results) {
  std::vector<std::unique_ptr<LibpqTarget>> open;
  for (int i = 0; i < count; ++i) {
    open.push_back(std::make_unique<LibpqTarget>(conninfo));
    open.back()->exec("SELECT 1");
  }
  results.add(memory_row(count, tree_pss_kb(postmaster_pid)));
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
