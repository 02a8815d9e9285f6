// Result rows and the results file every driver writes (the C++ one here,
// bench/node/compare.mjs for PGlite): {"target", "title", "results": [...]}.
#pragma once
#include <string>
#include <vector>

namespace pglite::bench {

struct ResultRow {
  std::string workload;
  std::string id;
  std::string title;
  std::string unit;
  double value = 0;
};

struct ResultsFile {
  std::string target;
  std::string title;
  std::vector<ResultRow> rows;

  // Adds a row and echoes it to stderr so a person sees progress.
  void add(ResultRow row);
  // Throws std::runtime_error if the file cannot be written.
  void write(const std::string& path) const;
};

double median(std::vector<double> values);
// Mean after dropping floor(n * trim) values from each end of the sorted list.
double trimmed_mean(std::vector<double> values, double trim);

}  // namespace pglite::bench
