// psql's describe commands (\d and its family, \l) with psql's output shape,
// answered from our own catalog queries.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>

#include "format.h"
#include "pglite/database.h"

namespace pglite::cli {

/// Runs `command` (the backslash word, e.g. "\\dt+" or "\\d") with its
/// argument text `args` (patterns, unparsed). Prints the tables to `out` and
/// errors psql-style to `err`. Returns nullopt when `command` is not a
/// describe command, otherwise whether it succeeded.
std::optional<bool> run_describe(std::string_view command, std::string_view args, Database& db,
                                 const PrintSettings& settings, std::ostream& out, std::ostream& err);

}  // namespace pglite::cli
