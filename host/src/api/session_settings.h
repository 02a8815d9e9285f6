// Saving and restoring a session's settings with SQL: used where something
// else runs on the same backend for a while (server clients, pg_dump).
#pragma once

#include <string>

namespace pglite::internal {
class Session;
}  // namespace pglite::internal

namespace pglite::internal::settings {

/// One query returning the session's settings (those SET in the session) as
/// set_config() calls.
inline constexpr const char* kCaptureSql =
    "SELECT coalesce(string_agg(format('SELECT set_config(%L, %L, false)', name, setting), '; ' ORDER BY "
    "name), '')"
    " FROM pg_settings WHERE source = 'session'";

/// Makes `captured` (from kCaptureSql) the session's settings again.
inline std::string restore_sql(const std::string& captured) {
  return captured.empty() ? "RESET ALL" : "RESET ALL; " + captured;
}

/// Runs kCaptureSql on `session` (throws its error); the result is for
/// restore_sql().
std::string capture(Session& session);

}  // namespace pglite::internal::settings
