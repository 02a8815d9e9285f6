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

int run_shell(const std::string& command) { return std::system(command.c_str()); }

}  // namespace

void probe_direct_startup(bool on_disk, const std::string& dir, int runs, ResultsFile& results) {
  int serial = 0;
  auto new_database = [&] {
    return on_disk ? pglite::Database::open(dir + "/new-" + std::to_string(serial++))
                   : pglite::Database::temporary();
  };
  new_database().close();  // warm-up: templates, caches
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    pglite::Database db = new_database();
    db.exec("SELECT 1");
    times.push_back(ms_since(start));
  }
  results.add({"startup", "temp-warm", "new database + first query, warm process", "ms", median(times)});
  if (!on_disk) return;

  pglite::Database::open(dir + "/reopen").exec("CREATE TABLE t (a int)");
  times.clear();
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    pglite::Database db = pglite::Database::open(dir + "/reopen");
    db.exec("SELECT 1");
    times.push_back(ms_since(start));
  }
  results.add({"startup", "reopen", "reopen persistent database + first query", "ms", median(times)});
}

void probe_libpq_startup(const std::string& conninfo, bool create_database, int runs, ResultsFile& results) {
  std::vector<double> times;
  LibpqTarget{conninfo}.exec("SELECT 1");  // warm-up
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    LibpqTarget connection(conninfo);
    connection.exec("SELECT 1");
    times.push_back(ms_since(start));
  }
  results.add({"startup", "connect", "connection + first query", "ms", median(times)});
  if (!create_database) return;

  LibpqTarget admin(conninfo);
  times.clear();
  for (int i = 0; i < runs; ++i) {
    const std::string name = "bench_startup_" + std::to_string(i);
    admin.exec("DROP DATABASE IF EXISTS " + name);
    const auto start = Clock::now();
    admin.exec("CREATE DATABASE " + name);
    LibpqTarget connection(conninfo + " dbname=" + name);
    connection.exec("SELECT 1");
    times.push_back(ms_since(start));
  }
  for (int i = 0; i < runs; ++i) admin.exec("DROP DATABASE IF EXISTS bench_startup_" + std::to_string(i));
  results.add({"startup", "temp-warm", "new database + first query, warm process", "ms", median(times)});
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
