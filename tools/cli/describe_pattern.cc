#include "describe_pattern.h"

#include <cstring>

namespace pglite::cli {

std::string sql_literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

PatternRegex pattern_to_regex(std::string_view pattern, bool split_schema, bool split_database,
                              bool force_escape) {
  // Up to three parts, database.schema.name; dots beyond the last allowed
  // part stay in the name (and are counted).
  std::string parts[3];
  const int max_part = split_database ? 2 : split_schema ? 1 : 0;
  int part = 0;
  std::string left_literal;  // the first part, unescaped (a database name)
  bool left = true;
  bool in_quotes = false;
  PatternRegex result;
  parts[0] = "^(";
  for (std::size_t i = 0; i < pattern.size();) {
    char ch = pattern[i];
    std::string& cur = parts[part];
    if (ch == '"') {
      if (in_quotes && i + 1 < pattern.size() && pattern[i + 1] == '"') {
        cur += '"';  // a doubled quote inside quotes is one quote
        if (left) left_literal += '"';
        ++i;
      } else {
        in_quotes = !in_quotes;
      }
      ++i;
    } else if (!in_quotes && ch >= 'A' && ch <= 'Z') {
      char lower = static_cast<char>(ch - 'A' + 'a');
      cur += lower;
      if (left) left_literal += lower;
      ++i;
    } else if (!in_quotes && ch == '*') {
      cur += ".*";
      if (left) left_literal += '*';
      ++i;
    } else if (!in_quotes && ch == '?') {
      cur += '.';
      if (left) left_literal += '?';
      ++i;
    } else if (!in_quotes && ch == '.') {
      left = false;
      ++result.dots;
      if (part < max_part) {
        cur += ")$";
        parts[++part] = "^(";
      } else {
        cur += ch;
      }
      ++i;
    } else if (ch == '$') {
      // Always literal: '$' is valid in identifiers and the pattern is
      // anchored anyway.
      cur += "\\$";
      if (left) left_literal += '$';
      ++i;
    } else {
      // Inside quotes (or when forced) regexp specials are escaped; outside
      // they pass through, except "[]" (an array type name, not a bracket
      // expression).
      if ((in_quotes || force_escape) && std::strchr("|*+?()[]{}.^$\\", ch) != nullptr) {
        cur += '\\';
      } else if (ch == '[' && i + 1 < pattern.size() && pattern[i + 1] == ']') {
        cur += '\\';
      }
      cur += ch;
      if (left) left_literal += ch;
      ++i;
    }
  }
  parts[part] += ")$";
  result.name = parts[part];
  if (split_schema && part >= 1) result.schema = parts[part - 1];
  if (split_database && part >= 2) result.database = left_literal;
  return result;
}

bool process_name_pattern(std::string& sql, const std::optional<std::string>& pattern, bool have_where,
                          bool force_escape, const PatternColumns& columns, PatternRegex* regex) {
  bool added = false;
  auto where_and = [&] {
    sql += have_where ? "  AND " : "WHERE ";
    have_where = true;
    added = true;
  };
  if (regex != nullptr) *regex = PatternRegex{};
  if (!pattern) {
    if (columns.visibility != nullptr) {
      where_and();
      sql += std::string(columns.visibility) + "\n";
    }
    return added;
  }
  PatternRegex r =
      pattern_to_regex(*pattern, columns.schema != nullptr, columns.schema != nullptr, force_escape);
  if (regex != nullptr) *regex = r;
  // Matches use the database's default collation (the "C" of name columns
  // would change what \w and friends match).
  auto match = [&](const char* column, const std::string& re) {
    return std::string(column) + " OPERATOR(pg_catalog.~) " + sql_literal(re) + " COLLATE pg_catalog.default";
  };
  if (columns.name != nullptr && r.name.size() > 2 && r.name != "^(.*)$") {
    where_and();
    if (columns.alt_name != nullptr) {
      sql += "(" + match(columns.name, r.name) + "\n        OR " + match(columns.alt_name, r.name) + ")\n";
    } else {
      sql += match(columns.name, r.name) + "\n";
    }
  }
  if (columns.schema != nullptr && r.schema.size() > 2) {
    if (r.schema != "^(.*)$") {
      where_and();
      sql += match(columns.schema, r.schema) + "\n";
    }
  } else if (columns.visibility != nullptr) {
    where_and();
    sql += std::string(columns.visibility) + "\n";
  }
  return added;
}

}  // namespace pglite::cli
