// pglite_compare: the C++ side of bench/compare.sh. It generates the
// workloads, runs them on this library (in-process) or on any server through
// libpq (pglite serve, native PostgreSQL), and measures startup, clones,
// memory and the bare round trip.
// Each command writes a results file that bench/compare/report.py merges.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "probes.h"
#include "suite_runner.h"
#include "target.h"
#include "workloads.h"

namespace {

using namespace pglite::bench;

constexpr const char* kUsage = R"(usage:
  pglite_compare workloads --scale quick|full --out FILE
  pglite_compare run       --scale S  TARGET  --target NAME --title TEXT --out FILE
  pglite_compare startup   --runs N   TARGET  [--create-database] --target NAME --title TEXT --out FILE
  pglite_compare memory    --counts N,N.. [--budget-mib M] (--memory | --conninfo C --server-pid PID) --target NAME --title TEXT --out FILE
  pglite_compare clone     --scale S --runs N TARGET [--strategies S,S..] --target NAME --title TEXT --out FILE
  pglite_compare select1   --iterations N TARGET --target NAME --title TEXT --out FILE
  pglite_compare time      --runs N --id ID --row-title TEXT [--before SHELL] --target NAME --title TEXT --out FILE -- CMD...
  pglite_compare once
TARGET: --memory (temporary database) | --disk DIR (persistent database under DIR) | --conninfo CONNINFO (libpq)
clone: --strategies (libpq only, default wal_log) are CREATE DATABASE's; --disk DIR clones DIR/clone-origin.
memory: counts not attempted when their projected PSS exceeds --budget-mib (default 16384).
)";

struct Args {
  std::string command;
  std::map<std::string, std::string> options;
  std::vector<std::string> rest;  // after "--"

  bool has(const std::string& key) const { return options.count(key) != 0; }
  const std::string& get(const std::string& key) const {
    auto it = options.find(key);
    if (it == options.end()) throw std::invalid_argument("missing --" + key);
    return it->second;
  }
  int number(const std::string& key) const {
    const int n = std::atoi(get(key).c_str());
    if (n <= 0) throw std::invalid_argument("--" + key + " must be a positive number");
    return n;
  }
};

Args parse(int argc, char** argv) {
  if (argc < 2) throw std::invalid_argument("missing command");
  Args args{argv[1], {}, {}};
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      args.rest.assign(argv + i + 1, argv + argc);
      break;
    }
    if (arg.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument " + arg);
    const bool is_flag = arg == "--memory" || arg == "--create-database";
    if (!is_flag && i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
    args.options[arg.substr(2)] = is_flag ? "" : argv[++i];
  }
  return args;
}

// "1,10,100" -> {1, 10, 100}; items must be positive (numbers) or non-empty.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::string::size_type start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    items.push_back(text.substr(start, comma - start));
    if (items.back().empty()) throw std::invalid_argument("empty item in list '" + text + "'");
    start = comma + 1;
  }
  return items;
}

MemoryPlan memory_plan(const Args& args) {
  MemoryPlan plan;
  for (const std::string& item : split_list(args.get("counts"))) {
    const int n = std::atoi(item.c_str());
    if (n <= 0 || (!plan.counts.empty() && n <= plan.counts.back()))
      throw std::invalid_argument("--counts must be ascending positive numbers");
    plan.counts.push_back(n);
  }
  if (args.has("budget-mib")) plan.budget_mib = args.number("budget-mib");
  return plan;
}

Scale scale_of(const Args& args) {
  const std::string& scale = args.get("scale");
  if (scale != "quick" && scale != "full") throw std::invalid_argument("--scale must be quick or full");
  return scale == "full" ? Scale::kFull : Scale::kQuick;
}

// The database of an in-process TARGET: `name` under --disk DIR, or a
// temporary one.
pglite::Database open_direct(const Args& args, const std::string& name) {
  if (args.has("disk")) return pglite::Database::open(args.get("disk") + "/" + name);
  if (args.has("memory")) return pglite::Database::temporary();
  throw std::invalid_argument("give --memory, --disk DIR or --conninfo C");
}

std::unique_ptr<Target> open_target(const Args& args) {
  if (args.has("conninfo")) return std::make_unique<LibpqTarget>(args.get("conninfo"));
  return std::make_unique<DirectTarget>(open_direct(args, "suite"));
}

void probe_clone(const Args& args, ResultsFile& results) {
  const CloneFixture fixture = clone_fixture(scale_of(args));
  if (args.has("conninfo"))
    probe_libpq_clone(args.get("conninfo"), fixture, args.number("runs"),
                      split_list(args.has("strategies") ? args.get("strategies") : "wal_log"), results);
  else
    probe_direct_clone(open_direct(args, "clone-origin"), fixture, args.number("runs"), results);
}

int run(const Args& args) {
  if (args.command == "once") {
    open_once();
    return 0;
  }
  if (args.command == "workloads") {
    std::ofstream out(args.get("out"));
    out << suite_json(make_suite(scale_of(args)));
    if (!out.flush()) throw std::runtime_error("cannot write " + args.get("out"));
    return 0;
  }
  ResultsFile results{args.get("target"), args.get("title"), {}};
  if (args.command == "run") {
    auto target = open_target(args);
    run_suite(make_suite(scale_of(args)), *target, results);
  } else if (args.command == "startup") {
    if (args.has("conninfo"))
      probe_libpq_startup(args.get("conninfo"), args.has("create-database"), args.number("runs"), results);
    else
      probe_direct_startup(args.has("disk"), args.has("disk") ? args.get("disk") : "", args.number("runs"),
                           results);
  } else if (args.command == "memory") {
    if (args.has("conninfo"))
      probe_server_memory(args.get("conninfo"), args.number("server-pid"), memory_plan(args), results);
    else
      probe_direct_memory(memory_plan(args), results);
  } else if (args.command == "clone") {
    probe_clone(args, results);
  } else if (args.command == "select1") {
    probe_select1(*open_target(args), args.number("iterations"), results);
  } else if (args.command == "time") {
    if (args.rest.empty()) throw std::invalid_argument("time needs -- CMD");
    results.add({"startup", args.get("id"), args.get("row-title"), "ms",
                 time_command(args.rest, args.has("before") ? args.get("before") : "", args.number("runs"))});
  } else {
    throw std::invalid_argument("unknown command " + args.command);
  }
  results.write(args.get("out"));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "pglite_compare: %s\n%s", e.what(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pglite_compare: %s\n", e.what());
    return 1;
  }
}
