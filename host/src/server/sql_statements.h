// SQL-level prepared statements (PREPARE/EXECUTE/DEALLOCATE) per client.
// They live in the backend's one table, shared by every client, so the
// server keeps each client's PREPARE statements itself: one is deallocated
// when another client's batch may name it, and prepared again before a
// batch of its client that names it (see Multiplexer::handoff_job;
// protocol-level statements are renamed per client instead, see
// wire::rename_objects).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pglite::internal::sql_statements {

struct Statement {
  std::string name;     ///< as in pg_prepared_statements
  std::string prepare;  ///< the PREPARE statement that makes it again
};

/// One row, one column: the session's SQL-level statements, oldest first,
/// encoded for parse_capture().
extern const char* const kCaptureSql;

/// The statements from kCaptureSql's value; each one's PREPARE is cut from
/// the query string Postgres kept (which may hold other statements too).
/// Statements whose PREPARE cannot be found are left out.
std::vector<Statement> parse_capture(std::string_view value);

/// The PREPARE of statement `name` in `query` (a whole query string), if any.
std::optional<std::string> find_prepare(std::string_view query, std::string_view name);

/// DEALLOCATE of one statement.
std::string deallocate_sql(const Statement& statement);

}  // namespace pglite::internal::sql_statements
