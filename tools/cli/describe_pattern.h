// psql's name patterns (`*`, `?`, `schema.name`, "quoted" parts keep their
// case, unquoted parts are folded to lower case) turned into SQL regular
// expression clauses, as psql's processSQLNamePattern() does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pglite::cli {

/// `text` as an SQL string literal ('...' with quotes doubled; the server
/// runs with standard_conforming_strings on).
std::string sql_literal(std::string_view text);

/// The regular expressions of one pattern: `name` for its last part,
/// `schema` for the one before it (if `split_schema`), and `database` (the
/// literal text before the second dot, if `split_database`); `dots` counts
/// every unquoted dot, including those beyond the parts asked for.
struct PatternRegex {
  std::string database;  ///< literal, lower-cased like the rest
  std::string schema;    ///< "^(...)$", empty when the pattern has no schema part
  std::string name;      ///< "^(...)$"
  int dots = 0;
};
PatternRegex pattern_to_regex(std::string_view pattern, bool split_schema, bool split_database,
                              bool force_escape);

/// What a pattern constrains, for process_name_pattern().
struct PatternColumns {
  const char* schema = nullptr;      ///< column the schema part matches, or nullptr: no schema part
  const char* name = nullptr;        ///< column the name part matches
  const char* alt_name = nullptr;    ///< a second column the name may match instead
  const char* visibility = nullptr;  ///< condition used when no schema part is given
};

/// Appends to `sql` the WHERE (or AND, if `have_where`) clauses selecting
/// `pattern` (nullopt: every visible object) and returns whether it added
/// any. `regex`, if given, receives the parsed pattern (dots, database).
bool process_name_pattern(std::string& sql, const std::optional<std::string>& pattern, bool have_where,
                          bool force_escape, const PatternColumns& columns, PatternRegex* regex = nullptr);

}  // namespace pglite::cli
