// pglite::Result - the rows and command tag of one SQL statement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pglite/error.h"
#include "pglite/export.h"
#include "pglite/value.h"

namespace pglite {

namespace internal {
class ResultBuilder;
}

/// One result column, as described by RowDescription.
struct Column {
  std::string name;
  std::uint32_t type_oid = 0;      ///< see pglite::type_oid
  std::uint32_t table_oid = 0;     ///< 0 unless the column is a plain table column
  std::int16_t column_number = 0;  ///< attribute number in that table, else 0
  std::int16_t type_size = 0;      ///< pg_type.typlen (negative: variable width)
  std::int32_t type_modifier = -1;
  std::int16_t format = 0;  ///< 0 text, 1 binary (pglite requests text)
};

class Result;

/// A lightweight view of one row; valid while its Result is alive.
class PGLITE_EXPORT Row {
 public:
  Row(const Result& result, std::size_t index) : result_(&result), index_(index) {}

  std::size_t index() const noexcept { return index_; }
  std::size_t size() const noexcept;
  std::optional<std::string_view> operator[](std::size_t col) const { return value(col); }
  std::optional<std::string_view> operator[](std::string_view column) const;
  std::optional<std::string_view> value(std::size_t col) const;
  bool is_null(std::size_t col) const;
  template <typename T>
  T get(std::size_t col) const;
  template <typename T>
  T get(std::string_view column) const;

 private:
  const Result* result_;
  std::size_t index_;
};

/// Rows are stored as text in one buffer with one offset per cell. Every
/// value view handed out is followed in memory by a NUL byte, so
/// `value(...)->data()` can be used as a C string (Postgres text never
/// contains NUL).
///
/// Accessors taking indices throw pglite::Error 22023 when out of range;
/// get<T>() throws 22004 for NULL (use get<std::optional<T>>()), and the
/// from_text() errors (22P02, 22003) for unconvertible values.
class PGLITE_EXPORT Result {
 public:
  Result() = default;

  const std::vector<Column>& columns() const noexcept { return columns_; }
  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return columns_.size(); }
  bool empty() const noexcept { return rows_ == 0; }

  /// Index of the first column named `name`, nullopt if there is none.
  std::optional<std::size_t> find_column(std::string_view name) const;
  /// Like find_column() but throws pglite::Error 42703 when missing.
  std::size_t column_index(std::string_view name) const;

  /// Text value of a cell; nullopt for SQL NULL.
  std::optional<std::string_view> value(std::size_t row, std::size_t col) const;
  bool is_null(std::size_t row, std::size_t col) const;

  /// Converts a cell with from_text<T>(); T = std::optional<U> maps NULL to nullopt.
  template <typename T>
  T get(std::size_t row, std::size_t col) const;
  template <typename T>
  T get(std::size_t row, std::string_view column) const {
    return get<T>(row, column_index(column));
  }

  /// The CommandComplete tag, e.g. "INSERT 0 5", "SELECT 3", "CREATE TABLE";
  /// empty for an empty query string.
  const std::string& command_tag() const noexcept { return command_tag_; }
  /// Row count at the end of the tag (INSERT/UPDATE/DELETE/MERGE/SELECT/
  /// COPY/FETCH/MOVE), 0 for tags without one.
  std::int64_t affected_rows() const noexcept;

  /// Data sent by COPY ... TO STDOUT, concatenated (empty otherwise).
  const std::string& copy_data() const noexcept { return copy_data_; }

  class iterator {
   public:
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    using reference = Row;

    iterator() = default;
    iterator(const Result* result, std::size_t row) : result_(result), row_(row) {}
    Row operator*() const { return Row(*result_, row_); }
    iterator& operator++() {
      ++row_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++row_;
      return old;
    }
    bool operator==(const iterator& other) const { return row_ == other.row_; }

   private:
    const Result* result_ = nullptr;
    std::size_t row_ = 0;
  };

  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, rows_); }
  Row operator[](std::size_t row) const;

 private:
  friend class internal::ResultBuilder;

  std::size_t cell(std::size_t row, std::size_t col) const;
  [[noreturn]] static void throw_null(std::size_t row, std::size_t col);

  std::vector<Column> columns_;
  std::size_t rows_ = 0;
  std::string data_;                    ///< every cell's text followed by '\0', row-major
  std::vector<std::uint64_t> offsets_;  ///< start of each cell in data_, plus an end sentinel
  std::vector<bool> nulls_;             ///< one bit per cell
  std::string command_tag_;
  std::string copy_data_;
};

template <typename T>
T Result::get(std::size_t row, std::size_t col) const {
  std::optional<std::string_view> v = value(row, col);
  if constexpr (detail::is_optional<T>::value) {
    if (!v) return std::nullopt;
    return from_text<typename T::value_type>(*v);
  } else {
    if (!v) throw_null(row, col);
    return from_text<T>(*v);
  }
}

inline std::size_t Row::size() const noexcept { return result_->cols(); }
inline std::optional<std::string_view> Row::value(std::size_t col) const {
  return result_->value(index_, col);
}
inline std::optional<std::string_view> Row::operator[](std::string_view column) const {
  return result_->value(index_, result_->column_index(column));
}
inline bool Row::is_null(std::size_t col) const { return result_->is_null(index_, col); }
template <typename T>
T Row::get(std::size_t col) const {
  return result_->get<T>(index_, col);
}
template <typename T>
T Row::get(std::string_view column) const {
  return result_->get<T>(index_, column);
}

}  // namespace pglite
