// Shared by the describe commands' files: a session that runs catalog
// queries and prints psql-shaped tables.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "describe_pattern.h"
#include "format.h"
#include "pglite/database.h"

namespace pglite::cli::describe {

/// A cell as libpq's PQgetvalue() gives it: "" for NULL.
std::string cell(const Result& result, std::size_t row, std::size_t col);
bool is_true(const Result& result, std::size_t row, std::size_t col);

class Session {
 public:
  Session(Database& db, const PrintSettings& settings, std::ostream& out, std::ostream& err);

  /// Runs a catalog query; throws pglite::Error (see last_sql()).
  Result query(const std::string& sql);
  const std::string& last_sql() const { return last_sql_; }
  /// A Result with text columns `headers` (left-aligned like psql's
  /// printTableAddHeader(..., 'l')) and `rows` (nullopt = NULL).
  Result make_table(const std::vector<std::string>& headers,
                    const std::vector<std::vector<std::optional<std::string>>>& rows);

  /// Prints `result` as psql's describe commands do (\pset null ignored).
  void print(const Result& result, const std::string& title, const std::vector<std::string>& footers = {},
             bool row_count = true);
  /// psql's pg_log_error()/pg_log_warning() line.
  void error(const std::string& message);

  /// processSQLNamePattern() plus psql's checks of the dotted parts: at most
  /// `max_parts` parts, and a database part must name the current database.
  /// Reports the problem and returns false otherwise.
  bool validate_pattern(std::string& sql, const std::optional<std::string>& pattern, bool have_where,
                        bool force_escape, const PatternColumns& columns, int max_parts,
                        bool* added_clause = nullptr);

  std::ostream& out() { return out_; }

 private:
  Database& db_;
  PrintSettings settings_;
  std::ostream& out_;
  std::ostream& err_;
  std::string last_sql_;
  std::optional<std::string> database_;
};

/// psql's map_typename_pattern(): type spellings the grammar accepts that
/// format_type() does not print ("int" is "integer").
std::string map_typename_pattern(const std::string& pattern);

/// The commands of describe_more.cc (\dT \da \db \dp \z \dD \dL \dA[cfop] \do
/// \dC \dc \dd \dy \des \dew \det \deu \ddp \drds \dX \dP \dl \dO \dRp \dRs
/// \dF[dpt]). `cmd` is the command without its backslash; the patterns it
/// reads are words[used...], and it advances `used` past them. nullopt when
/// `cmd` is none of these.
std::optional<bool> run_more(Session& s, std::string_view cmd, const std::vector<std::string>& words,
                             std::size_t& used, bool verbose, bool system);

/// \d NAME: describeTableDetails().
bool describe_table_details(Session& s, const std::optional<std::string>& pattern, bool verbose, bool system);

}  // namespace pglite::cli::describe
