// Shared by the describe commands' files: a session that runs catalog
// queries and prints psql-shaped tables, and the steps most commands share
// (match the pattern, run the query, report "Did not find...", print).
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "describe_pattern.h"
#include "format.h"
#include "pglite/database.h"

namespace pglite::cli::describe {

using Pattern = std::optional<std::string>;
using Rows = std::vector<std::vector<std::optional<std::string>>>;

/// A cell as libpq's PQgetvalue() gives it: "" for NULL.
std::string cell(const Result& result, std::size_t row, std::size_t col);
bool is_true(const Result& result, std::size_t row, std::size_t col);

/// What a command's pattern matches (processSQLNamePattern()'s columns) and
/// how many dotted parts psql lets it have.
struct NameMatch {
  PatternColumns columns;
  int max_parts = 1;
  bool force_escape = false;
};
/// An object outside schemas (role, database, ...): the pattern is its name.
inline NameMatch global_name(const char* column, int max_parts = 1) {
  return {{nullptr, column, nullptr, nullptr}, max_parts};
}
/// An object in a schema: [database.]schema.name, or a visible name.
inline NameMatch schema_name(const char* name, const char* visibility, const char* alt_name = nullptr,
                             const char* schema = "n.nspname") {
  return {{schema, name, alt_name, visibility}, 3};
}

/// The clause that hides the system schemas (when neither S nor a pattern
/// is given), opening with AND after `have_where`, else with WHERE.
std::string not_system_schema(bool have_where);

/// psql's printACLColumn().
std::string acl_column(const char* column);

class Session {
 public:
  Session(Database& db, const PrintSettings& settings, std::ostream& out, std::ostream& err);

  /// Runs a catalog query; throws pglite::Error (see last_sql()).
  Result query(const std::string& sql);
  const std::string& last_sql() const { return last_sql_; }
  /// A Result with text columns `headers` (left-aligned like psql's
  /// printTableAddHeader(..., 'l')) and `rows` (nullopt = NULL).
  Result make_table(const std::vector<std::string>& headers, const Rows& rows);

  /// Prints `result` as psql's describe commands do (\pset null ignored).
  void print(const Result& result, const std::string& title, const std::vector<std::string>& footers = {},
             bool row_count = true);
  /// psql's pg_log_error()/pg_log_warning() line.
  void error(const std::string& message);

  /// Appends `name`'s clauses selecting `pattern` (processSQLNamePattern())
  /// after psql's checks of the dotted parts: at most name.max_parts, and a
  /// database part must name the current database. Reports the problem and
  /// returns false otherwise. `added_clause`: whether a clause was added.
  bool match(std::string& sql, const Pattern& pattern, bool have_where, const NameMatch& name,
             bool* added_clause = nullptr);

  /// The listing commands' last steps: `sql` + the pattern's clause +
  /// `order_by`, printed under `title`. False when the pattern is refused.
  bool list(std::string sql, const Pattern& pattern, bool have_where, const NameMatch& name,
            const char* order_by, const std::string& title);

  /// Runs `sql`; when it finds nothing, reports psql's `Did not find any
  /// NOUN named "PATTERN".` (`...any NOUNs.` without one) and returns nullopt.
  std::optional<Result> query_found(const std::string& sql, const Pattern& pattern, const std::string& noun);

  /// The verbose commands' shape (\d NAME, \dx+, \dRp+, \dF+, \dFp+): selects
  /// the objects as list() does, then `describe_one` prints a table for each
  /// row. False when there are none (reported) or `describe_one` fails.
  bool describe_each(std::string sql, const Pattern& pattern, bool have_where, const NameMatch& name,
                     const char* order_by, const std::string& noun,
                     const std::function<bool(const Result& objects, std::size_t row)>& describe_one);

 private:
  Database& db_;
  PrintSettings settings_;
  std::ostream& out_;
  std::ostream& err_;
  std::string last_sql_;
  std::optional<std::string> database_;
};

/// psql's footer lists (Check constraints:, Publications:, ...): `heading` and a line
/// per row of `r`, or nothing when `r` is empty.
void add_footer_list(std::vector<std::string>& footers, const std::string& heading, const Result& r,
                     const std::function<std::string(std::size_t row)>& line);

/// psql's map_typename_pattern(): type spellings the grammar accepts that
/// format_type() does not print ("int" is "integer").
std::string map_typename_pattern(const std::string& pattern);

/// \df and \do match their argument types by pattern, tN and ntN being the
/// pg_type and pg_namespace joined for argument N (type_join()); "-" means
/// no such argument.
std::string type_join(std::size_t n, const std::string& type_oid);
bool match_argument_types(Session& s, std::string& sql, const std::vector<std::string>& arg_patterns,
                          bool force_escape);

// The commands, by file. `verbose` is +, `system` is S; `kinds` the letters
// after the command's name (\dti: "ti").

// describe_relations.cc
bool list_tables(Session& s, std::string_view kinds, const Pattern& pattern, bool verbose, bool system);
bool list_partitioned_tables(Session& s, std::string_view kinds, const Pattern& pattern, bool verbose);
bool list_privileges(Session& s, const Pattern& pattern);
bool list_default_privileges(Session& s, const Pattern& pattern);
bool list_extended_statistics(Session& s, const Pattern& pattern);
bool list_object_descriptions(Session& s, const Pattern& pattern, bool system);
bool list_large_objects(Session& s, bool verbose);

// describe_table.cc
bool describe_table_details(Session& s, const Pattern& pattern, bool verbose, bool system);

// describe_routines.cc
bool list_functions(Session& s, std::string_view kinds, const Pattern& pattern,
                    const std::vector<std::string>& arg_patterns, bool verbose, bool system);
bool list_aggregates(Session& s, const Pattern& pattern, bool system);
bool list_operators(Session& s, const Pattern& pattern, const std::vector<std::string>& arg_patterns,
                    bool verbose, bool system);
bool list_casts(Session& s, const Pattern& pattern, bool verbose);
bool list_access_methods(Session& s, const Pattern& pattern, bool verbose);
bool list_operator_classes(Session& s, const Pattern& am, const Pattern& type, bool verbose);
bool list_operator_families(Session& s, const Pattern& am, const Pattern& type, bool verbose);
bool list_family_operators(Session& s, const Pattern& am, const Pattern& family, bool verbose);
bool list_family_functions(Session& s, const Pattern& am, const Pattern& family, bool verbose);

// describe_types.cc
bool list_types(Session& s, const Pattern& pattern, bool verbose, bool system);
bool list_domains(Session& s, const Pattern& pattern, bool verbose, bool system);
bool list_collations(Session& s, const Pattern& pattern, bool verbose, bool system);
bool list_conversions(Session& s, const Pattern& pattern, bool verbose, bool system);

// describe_cluster.cc
bool list_databases(Session& s, const Pattern& pattern, bool verbose);
bool list_schemas(Session& s, const Pattern& pattern, bool verbose, bool system);
bool list_roles(Session& s, const Pattern& pattern, bool verbose, bool system);
bool list_role_settings(Session& s, const Pattern& role, const Pattern& database);
bool list_tablespaces(Session& s, const Pattern& pattern, bool verbose);
bool list_languages(Session& s, const Pattern& pattern, bool verbose, bool system);
bool list_extensions(Session& s, const Pattern& pattern);
bool describe_extensions(Session& s, const Pattern& pattern);
bool list_event_triggers(Session& s, const Pattern& pattern, bool verbose);

// describe_foreign.cc
bool list_foreign_servers(Session& s, const Pattern& pattern, bool verbose);
bool list_foreign_data_wrappers(Session& s, const Pattern& pattern, bool verbose);
bool list_foreign_tables(Session& s, const Pattern& pattern, bool verbose);
bool list_user_mappings(Session& s, const Pattern& pattern, bool verbose);
bool list_publications(Session& s, const Pattern& pattern);
bool describe_publications(Session& s, const Pattern& pattern);
bool list_subscriptions(Session& s, const Pattern& pattern, bool verbose);

// describe_text_search.cc
bool list_ts_configs(Session& s, const Pattern& pattern, bool verbose);
bool list_ts_parsers(Session& s, const Pattern& pattern, bool verbose);
bool list_ts_dictionaries(Session& s, const Pattern& pattern, bool verbose);
bool list_ts_templates(Session& s, const Pattern& pattern, bool verbose);

}  // namespace pglite::cli::describe
