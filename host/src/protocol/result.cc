#include "pglite/result.h"

#include <string>

#include "protocol/sqlstate.h"

namespace pglite {

std::optional<std::size_t> Result::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  return std::nullopt;
}

std::size_t Result::column_index(std::string_view name) const {
  std::optional<std::size_t> i = find_column(name);
  if (!i)
    throw Error(sqlstate::kUndefinedColumn, "column \"" + std::string(name) + "\" is not in the result");
  return *i;
}

std::size_t Result::cell(std::size_t row, std::size_t col) const {
  if (row >= rows_) {
    throw Error(
        sqlstate::kInvalidParameterValue,
        "row " + std::to_string(row) + " out of range (result has " + std::to_string(rows_) + " rows)");
  }
  if (col >= columns_.size()) {
    throw Error(sqlstate::kInvalidParameterValue, "column " + std::to_string(col) +
                                                      " out of range (result has " +
                                                      std::to_string(columns_.size()) + " columns)");
  }
  return row * columns_.size() + col;
}

std::optional<std::string_view> Result::value(std::size_t row, std::size_t col) const {
  std::size_t i = cell(row, col);
  if (nulls_[i]) return std::nullopt;
  std::size_t begin = offsets_[i];
  std::size_t end = offsets_[i + 1] - 1;  // exclude the NUL terminator
  return std::string_view(data_.data() + begin, end - begin);
}

bool Result::is_null(std::size_t row, std::size_t col) const { return nulls_[cell(row, col)]; }

void Result::throw_null(std::size_t row, std::size_t col) {
  throw Error(sqlstate::kNullValueNotAllowed,
              "value at row " + std::to_string(row) + ", column " + std::to_string(col) + " is NULL");
}

std::int64_t Result::affected_rows() const noexcept {
  std::size_t space = command_tag_.rfind(' ');
  if (space == std::string::npos) return 0;
  std::string_view verb(command_tag_.data(), command_tag_.find(' '));
  if (verb != "INSERT" && verb != "UPDATE" && verb != "DELETE" && verb != "MERGE" && verb != "SELECT" &&
      verb != "COPY" && verb != "FETCH" && verb != "MOVE") {
    return 0;
  }
  std::int64_t n = 0;
  for (std::size_t i = space + 1; i < command_tag_.size(); ++i) {
    char c = command_tag_[i];
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

Row Result::operator[](std::size_t row) const {
  if (row >= rows_) cell(row, 0);  // throws the range error
  return Row(*this, row);
}

}  // namespace pglite
