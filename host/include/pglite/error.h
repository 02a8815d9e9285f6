// pglite::Error - every failure the library reports.
#pragma once

#include <stdexcept>
#include <string>

#include "pglite/export.h"

namespace pglite {

/// Thrown by every pglite call that fails. For SQL errors the fields mirror
/// the backend's ErrorResponse; for host-side failures (bad path, lock held,
/// broken instance) sqlstate() holds a standard class-58/08/XX code.
class PGLITE_EXPORT Error : public std::runtime_error {
 public:
  struct Fields {
    std::string severity = "ERROR";
    std::string sqlstate = "XX000";
    std::string message;
    std::string detail;
    std::string hint;
    int position = 0;  ///< 1-based character position in the query, 0 if none
  };

  explicit Error(Fields fields) : std::runtime_error(fields.message), fields_(std::move(fields)) {}
  Error(std::string sqlstate, std::string message)
      : Error(Fields{"ERROR", std::move(sqlstate), std::move(message), {}, {}, 0}) {}

  const std::string& severity() const noexcept { return fields_.severity; }
  const std::string& sqlstate() const noexcept { return fields_.sqlstate; }
  const std::string& message() const noexcept { return fields_.message; }
  const std::string& detail() const noexcept { return fields_.detail; }
  const std::string& hint() const noexcept { return fields_.hint; }
  int position() const noexcept { return fields_.position; }

 private:
  Fields fields_;
};

}  // namespace pglite
