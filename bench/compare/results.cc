#include "results.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <stdexcept>

#include "json_writer.h"

namespace pglite::bench {

void ResultsFile::add(ResultRow row) {
  if (row.value)
    std::fprintf(stderr, "%s %s/%s %s: %.4f %s\n", target.c_str(), row.workload.c_str(), row.id.c_str(),
                 row.title.c_str(), *row.value, row.unit.c_str());
  else
    std::fprintf(stderr, "%s %s/%s %s: n/a (%s)\n", target.c_str(), row.workload.c_str(), row.id.c_str(),
                 row.title.c_str(), row.note.c_str());
  rows.push_back(std::move(row));
}

void ResultsFile::write(const std::string& path) const {
  std::ofstream out(path);
  out << "{\"target\": " << json_string(target) << ", \"title\": " << json_string(title)
      << ", \"results\": [";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ResultRow& r = rows[i];
    char value[64] = "null";
    if (r.value) std::snprintf(value, sizeof value, "%.6g", *r.value);
    out << (i ? ",\n  " : "\n  ") << "{\"workload\": " << json_string(r.workload)
        << ", \"id\": " << json_string(r.id) << ", \"title\": " << json_string(r.title)
        << ", \"unit\": " << json_string(r.unit) << ", \"value\": " << value;
    if (!r.note.empty()) out << ", \"note\": " << json_string(r.note);
    out << "}";
  }
  out << "\n]}\n";
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double trimmed_mean(std::vector<double> values, double trim) {
  std::sort(values.begin(), values.end());
  const auto drop = static_cast<std::size_t>(static_cast<double>(values.size()) * trim);
  if (values.size() <= 2 * drop) return median(values);
  const double sum =
      std::accumulate(values.begin() + static_cast<long>(drop), values.end() - static_cast<long>(drop), 0.0);
  return sum / static_cast<double>(values.size() - 2 * drop);
}

}  // namespace pglite::bench
