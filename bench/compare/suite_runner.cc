#include "suite_runner.h"

#include <chrono>
#include <stdexcept>

namespace pglite::bench {
namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void exec_all(Target& target, const std::vector<std::string>& statements, const std::string& where) {
  for (const std::string& sql : statements) {
    try {
      target.exec(sql);
    } catch (const std::exception& e) {
      throw std::runtime_error(where + ": " + e.what());
    }
  }
}

}  // namespace

void run_suite(const Suite& suite, Target& target, ResultsFile& results) {
  for (const Workload& w : suite.workloads) {
    exec_all(target, suite.reset, w.name + " reset");
    exec_all(target, w.setup, w.name + " setup");
    for (const Step& step : w.steps) {
      std::vector<double> times;
      times.reserve(static_cast<std::size_t>(w.iterations));
      for (int i = 0; i < w.iterations; ++i) {
        const double start = now_ms();
        exec_all(target, step.sql, w.name + "/" + step.id);
        times.push_back(now_ms() - start);
      }
      results.add(
          {w.name, step.id, step.title, step.unit, trimmed_mean(std::move(times), w.trim) / step.divide_by});
    }
  }
}

}  // namespace pglite::bench
