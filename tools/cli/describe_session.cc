// The describe commands' Session and the steps they share.
#include <strings.h>

#include <cstring>
#include <string>
#include <vector>

#include "describe_internal.h"
#include "pglite/sql_quote.h"

namespace pglite::cli::describe {

std::string cell(const Result& result, std::size_t row, std::size_t col) {
  return std::string(result.value(row, col).value_or(""));
}

bool is_true(const Result& result, std::size_t row, std::size_t col) { return cell(result, row, col) == "t"; }

std::string acl_column(const char* column) {
  return std::string("pg_catalog.array_to_string(") + column + ", E'\\n') AS \"Access privileges\"";
}

std::string not_system_schema(bool have_where) {
  return std::string(have_where ? "      AND " : "WHERE ") +
         "n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n";
}

Session::Session(Database& db, const PrintSettings& settings, std::ostream& out, std::ostream& err)
    : db_(db), settings_(settings), out_(out), err_(err) {
  settings_.null_display.clear();  // psql's describe commands set nullPrint = NULL
}

// The tables psql assembles client-side (\du's attributes, \d NAME's
// columns) go through a VALUES query: a Result only comes from the database.
Result Session::make_table(const std::vector<std::string>& headers, const Rows& rows) {
  std::string sql = "SELECT * FROM (VALUES ";
  std::vector<Param> params;
  auto text_row = [&](const std::vector<std::optional<std::string>>* row) {
    sql += '(';
    for (std::size_t c = 0; c < headers.size(); ++c) {
      if (c > 0) sql += ", ";
      if (row == nullptr) {
        sql += "NULL::text";
        continue;
      }
      params.emplace_back(c < row->size() && (*row)[c] ? Param(*(*row)[c]) : Param());
      sql += "$" + std::to_string(params.size()) + "::text";
    }
    sql += ')';
  };
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r > 0) sql += ", ";
    text_row(&rows[r]);
  }
  if (rows.empty()) text_row(nullptr);
  sql += ") AS t(";
  for (std::size_t c = 0; c < headers.size(); ++c) sql += (c > 0 ? ", " : "") + quote_identifier(headers[c]);
  sql += ")";
  if (rows.empty()) sql += " LIMIT 0";
  return db_.query(sql, params);
}

Result Session::query(const std::string& sql) {
  last_sql_ = sql;
  return db_.exec(sql);
}

void Session::print(const Result& result, const std::string& title, const std::vector<std::string>& footers,
                    bool row_count) {
  TableDecoration decoration;
  decoration.title = title;
  decoration.footers = footers;
  decoration.row_count = row_count;
  print_table(out_, result, settings_, decoration);
}

void Session::error(const std::string& message) {
  out_.flush();
  err_ << message << "\n";
  err_.flush();
}

bool Session::match(std::string& sql, const Pattern& pattern, bool have_where, const NameMatch& name,
                    bool* added_clause) {
  PatternRegex regex;
  bool added = process_name_pattern(sql, pattern, have_where, name.force_escape, name.columns, &regex);
  if (added_clause != nullptr) *added_clause = added;
  const int max_parts = name.max_parts;
  if (regex.dots >= max_parts) {
    error("improper qualified name (too many dotted names): " + *pattern);
    return false;
  }
  if (max_parts > 1 && regex.dots == max_parts - 1) {
    if (!database_) database_ = cell(query("SELECT pg_catalog.current_database()"), 0, 0);
    if (*database_ != regex.database) {
      error("cross-database references are not implemented: " + *pattern);
      return false;
    }
  }
  return true;
}

bool Session::list(std::string sql, const Pattern& pattern, bool have_where, const NameMatch& name,
                   const char* order_by, const std::string& title) {
  if (!match(sql, pattern, have_where, name)) return false;
  print(query(sql + order_by), title);
  return true;
}

std::optional<Result> Session::query_found(const std::string& sql, const Pattern& pattern,
                                           const std::string& noun) {
  Result r = query(sql);
  if (r.rows() > 0) return r;
  error(pattern ? "Did not find any " + noun + " named \"" + *pattern + "\"."
                : "Did not find any " + noun + "s.");
  return std::nullopt;
}

bool Session::describe_each(std::string sql, const Pattern& pattern, bool have_where, const NameMatch& name,
                            const char* order_by, const std::string& noun,
                            const std::function<bool(const Result& objects, std::size_t row)>& describe_one) {
  if (!match(sql, pattern, have_where, name)) return false;
  std::optional<Result> objects = query_found(sql + order_by, pattern, noun);
  if (!objects) return false;
  for (std::size_t i = 0; i < objects->rows(); ++i) {
    if (!describe_one(*objects, i)) return false;
  }
  return true;
}

void add_footer_list(std::vector<std::string>& footers, const std::string& heading, const Result& r,
                     const std::function<std::string(std::size_t row)>& line) {
  if (r.rows() > 0) footers.push_back(heading);
  for (std::size_t i = 0; i < r.rows(); ++i) footers.push_back(line(i));
}

std::string map_typename_pattern(const std::string& pattern) {
  static const char* const kMap[][2] = {
      {"decimal", "numeric"},
      {"float", "double precision"},
      {"int", "integer"},
      {"bool[]", "boolean[]"},
      {"decimal[]", "numeric[]"},
      {"float[]", "double precision[]"},
      {"float4[]", "real[]"},
      {"float8[]", "double precision[]"},
      {"int[]", "integer[]"},
      {"int2[]", "smallint[]"},
      {"int4[]", "integer[]"},
      {"int8[]", "bigint[]"},
      {"time[]", "time without time zone[]"},
      {"timetz[]", "time with time zone[]"},
      {"timestamp[]", "timestamp without time zone[]"},
      {"timestamptz[]", "timestamp with time zone[]"},
      {"varbit[]", "bit varying[]"},
      {"varchar[]", "character varying[]"},
  };
  for (const auto& m : kMap) {
    if (pattern.size() == std::strlen(m[0]) && strncasecmp(pattern.c_str(), m[0], pattern.size()) == 0)
      return m[1];
  }
  return pattern;
}

std::string type_join(std::size_t n, const std::string& type_oid) {
  const std::string t = "t" + std::to_string(n), nt = "nt" + std::to_string(n);
  return "     LEFT JOIN pg_catalog.pg_type " + t + " ON " + t + ".oid = " + type_oid + "\n" +
         "     LEFT JOIN pg_catalog.pg_namespace " + nt + " ON " + nt + ".oid = " + t + ".typnamespace\n";
}

bool match_argument_types(Session& s, std::string& sql, const std::vector<std::string>& arg_patterns,
                          bool force_escape) {
  for (std::size_t i = 0; i < arg_patterns.size(); ++i) {
    const std::string t = "t" + std::to_string(i), nt = "nt" + std::to_string(i);
    if (arg_patterns[i] == "-") {
      sql += "  AND " + t + ".typname IS NULL\n";
      continue;
    }
    // Like \dT: the internal or the external name.
    const std::string nspname = nt + ".nspname", typname = t + ".typname",
                      format_type = "pg_catalog.format_type(" + t + ".oid, NULL)",
                      visible = "pg_catalog.pg_type_is_visible(" + t + ".oid)";
    NameMatch name = schema_name(typname.c_str(), visible.c_str(), format_type.c_str(), nspname.c_str());
    name.force_escape = force_escape;
    if (!s.match(sql, map_typename_pattern(arg_patterns[i]), true, name)) return false;
  }
  return true;
}

}  // namespace pglite::cli::describe
