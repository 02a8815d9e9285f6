// The few message rewrites and reads only the server needs; framing itself is
// in protocol/.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pglite::internal::wire {

/// Startup packet parameters (user, database, options, ...).
std::vector<std::pair<std::string, std::string>> startup_parameters(std::string_view body);

/// Rewrites the statement/portal names in Parse, Bind, Describe, Close and
/// Execute so each client gets its own namespace; unnamed ones stay shared.
/// Returns the message unchanged for other types.
std::string rename_objects(std::string_view msg, std::string_view prefix);

/// Name of the statement a Parse message creates ("" if unnamed).
std::string parsed_statement_name(std::string_view msg);

}  // namespace pglite::internal::wire
