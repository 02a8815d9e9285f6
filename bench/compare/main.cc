// pglite_compare: the C++ side of bench/compare.sh. It generates the
// workloads, runs them on this library (in-process) or on any server through
// libpq (pglite serve, native PostgreSQL), and measures startup and memory.
// Each command writes a results file that bench/compare/report.py merges.
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
  pglite_compare memory    --count N  (--memory | --conninfo C --postmaster-pid PID) --target NAME --title TEXT --out FILE
  pglite_compare time      --runs N --id ID --row-title TEXT [--before SHELL] --target NAME --title TEXT --out FILE -- CMD...
  pglite_compare once
TARGET: --memory (temporary database) | --disk DIR (persistent database under DIR) | --conninfo CONNINFO (libpq)
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

Scale scale_of(const Args& args) {
  const std::string& scale = args.get("scale");
  if (scale != "quick" && scale != "full") throw std::invalid_argument("--scale must be quick or full");
  return scale == "full" ? Scale::kFull : Scale::kQuick;
}

std::unique_ptr<Target> open_target(const Args& args) {
  if (args.has("conninfo")) return std::make_unique<LibpqTarget>(args.get("conninfo"));
  if (args.has("disk"))
    return std::make_unique<DirectTarget>(pglite::Database::open(args.get("disk") + "/suite"));
  if (args.has("memory")) return std::make_unique<DirectTarget>(pglite::Database::temporary());
  throw std::invalid_argument("give --memory, --disk DIR or --conninfo C");
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
      probe_server_memory(args.get("conninfo"), args.number("postmaster-pid"), args.number("count"), results);
    else
      probe_direct_memory(args.number("count"), results);
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
