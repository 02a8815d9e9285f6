// Assembles a pglite::Result from RowDescription, DataRow, CopyData and
// CommandComplete messages (the only code allowed to fill a Result).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "pglite/result.h"

namespace pglite::internal {

class ResultBuilder {
 public:
  void set_columns(std::vector<Column> columns);
  /// Appends one row; throws 08P01 if its width differs from the columns'.
  void add_row(const std::vector<std::optional<std::string_view>>& values);
  void add_copy_data(std::string_view data);
  /// Returns the finished Result and resets the builder.
  Result finish(std::string_view command_tag);

 private:
  Result result_;
  bool has_columns_ = false;
};

}  // namespace pglite::internal
