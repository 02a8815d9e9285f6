// A client's session state that lives in the shared backend only while that
// client runs: its settings (every GUC it changed, placeholders such as
// `myapp.user_id` included) and its identity (SET SESSION AUTHORIZATION,
// SET ROLE, both exempt from RESET ALL). The server captures it with SQL
// after a batch that may have changed it and puts it back with SQL before
// the client's next turn; see docs/SERVER.md.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pglite::internal {

struct SessionState {
  /// pg_catalog.set_config() calls, "; "-separated ("" = all defaults).
  std::string settings;
  /// SET SESSION AUTHORIZATION target ("" = the backend's own user).
  std::string session_user;
  /// SET ROLE target ("" = none).
  std::string role;

  bool default_identity() const { return session_user.empty() && role.empty(); }
  bool operator==(const SessionState&) const = default;
};

namespace session_state {

/// The query that captures a session's state: one row of (session user,
/// role, settings). `placeholders` are custom setting names (with a dot)
/// the client may have set: they are not in pg_settings.
std::string capture_sql(const std::set<std::string>& placeholders);

/// The state from capture_sql()'s row; `backend_user` is the session user a
/// fresh session has (kept as ""). nullopt if the row is malformed.
std::optional<SessionState> parse_capture(const std::vector<std::optional<std::string_view>>& row,
                                          std::string_view backend_user);

/// SQL that takes the backend from `applied` to the defaults, as the
/// backend's own user (`backend_user`, a superuser); "" if it is there.
/// Runs in a transaction of its own: the client's settings (e.g.
/// default_transaction_read_only, statement_timeout) must not apply to what
/// the server runs next.
std::string reset_sql(const SessionState& applied, std::string_view backend_user);

/// Makes the backend's own user the session user again (what the server
/// runs for itself needs a superuser; a role change it did not see must not
/// get in the way).
std::string backend_user_sql(std::string_view backend_user);

/// SQL that takes the backend from the defaults to `target` (settings
/// first, as the backend's user, then the identity); "" for the defaults.
std::string apply_sql(const SessionState& target);

/// Every setting's RESET value: rows of (name, reset_val).
extern const char* const kResetValuesSql;

/// set_config() calls for startup-packet settings, values quoted, each
/// followed by a RESET of it (the value stays the client's RESET value,
/// which the server has made it, with source "client" as natively).
std::string startup_settings_sql(const std::vector<std::pair<std::string, std::string>>& settings);

/// Splits a value that SQL built as a run of `octet_length(x) || ':' || x`
/// fields (so any text survives). Stops at the first malformed field.
std::vector<std::string_view> decode_fields(std::string_view value);

/// One row, one column: the names of the session's holdable cursors (WITH
/// HOLD, still open outside a transaction), for decode_fields().
extern const char* const kHoldableCursorsSql;
/// CLOSE of one cursor.
std::string close_cursor_sql(std::string_view name);

/// One row, one column: for each session-level advisory lock the backend
/// holds, the statement that releases it (once), for decode_fields().
extern const char* const kAdvisoryLocksSql;
/// Releases every session-level advisory lock.
inline constexpr const char* kUnlockAllSql = "SELECT pg_catalog.pg_advisory_unlock_all()";

/// LISTEN for every channel in `channels` (idempotent).
std::string listen_sql(const std::set<std::string>& channels);
/// UNLISTEN for every channel in `channels`.
std::string unlisten_sql(const std::set<std::string>& channels);

/// Custom setting names (dotted identifiers, as in SET myapp.x = 1 or
/// set_config('myapp.x', ...)) mentioned in a Query or Parse message; added
/// to `names` (at most `limit` in all).
void note_placeholders(std::string_view msg, std::set<std::string>* names, size_t limit = 64);

}  // namespace session_state
}  // namespace pglite::internal
