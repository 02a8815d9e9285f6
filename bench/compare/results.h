// Result rows and the results file every driver writes (the C++ one here,
// bench/node/compare.mjs for PGlite): {"target", "title", "results": [...]}.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pglite::bench {

// A row without a value was not measured; `note` says why (written as
// "value": null, "note": ...).
struct ResultRow {
  ResultRow(std::string workload_, std::string id_, std::string title_, std::string unit_,
            std::optional<double> value_, std::string note_ = "")
      : workload(std::move(workload_)),
        id(std::move(id_)),
        title(std::move(title_)),
        unit(std::move(unit_)),
        value(value_),
        note(std::move(note_)) {}

  std::string workload;
  std::string id;
  std::string title;
  std::string unit;
  std::optional<double> value;
  std::string note;
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
