#include "completion.h"

#include <editline/readline.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace pglite::cli {
namespace {

constexpr const char* kKeywords[] = {
    "ABORT",      "ALTER",    "ANALYZE", "AND",       "AS",         "ASC",          "BEGIN",    "BETWEEN",
    "BY",         "CALL",     "CASCADE", "CASE",      "CHECKPOINT", "COMMENT",      "COMMIT",   "CONSTRAINT",
    "COPY",       "CREATE",   "CROSS",   "DEFAULT",   "DELETE",     "DESC",         "DISTINCT", "DO",
    "DROP",       "ELSE",     "END",     "EXCEPT",    "EXISTS",     "EXPLAIN",      "FALSE",    "FETCH",
    "FOREIGN",    "FROM",     "FULL",    "FUNCTION",  "GRANT",      "GROUP",        "HAVING",   "IN",
    "INDEX",      "INNER",    "INSERT",  "INTERSECT", "INTO",       "IS",           "JOIN",     "KEY",
    "LEFT",       "LIKE",     "LIMIT",   "LISTEN",    "LOCK",       "MATERIALIZED", "NOT",      "NOTIFY",
    "NULL",       "OFFSET",   "ON",      "OR",        "ORDER",      "OUTER",        "PREPARE",  "PRIMARY",
    "REFERENCES", "REINDEX",  "RELEASE", "RESET",     "RETURNING",  "REVOKE",       "RIGHT",    "ROLLBACK",
    "SAVEPOINT",  "SCHEMA",   "SELECT",  "SEQUENCE",  "SET",        "SHOW",         "TABLE",    "THEN",
    "TRUE",       "TRUNCATE", "UNION",   "UNIQUE",    "UNLISTEN",   "UPDATE",       "USING",    "VACUUM",
    "VALUES",     "VIEW",     "WHEN",    "WHERE",     "WITH",
};

constexpr const char* kBackslashCommands[] = {
    "\\a",        "\\conninfo", "\\copy", "\\d",      "\\d+",    "\\da",    "\\db",   "\\dd", "\\df",
    "\\di",       "\\dn",       "\\ds",   "\\dt",     "\\dT",    "\\du",    "\\dv",   "\\dx", "\\echo",
    "\\encoding", "\\h",        "\\i",    "\\ir",     "\\l",     "\\o",     "\\pset", "\\q",  "\\qecho",
    "\\r",        "\\set",      "\\t",    "\\timing", "\\unset", "\\watch", "\\x",
};

// Words after which a relation name is expected.
constexpr const char* kRelationContext[] = {"FROM", "JOIN", "INTO", "UPDATE", "TABLE",   "TRUNCATE", "\\d",
                                            "\\d+", "\\dt", "\\dv", "\\copy", "ANALYZE", "VACUUM",   "ON"};

Database* g_db = nullptr;
std::vector<std::string> g_relations;
std::chrono::steady_clock::time_point g_relations_time;

const std::vector<std::string>& relations(Database& db) {
  auto now = std::chrono::steady_clock::now();
  if (!g_relations.empty() && now - g_relations_time < std::chrono::seconds(5)) return g_relations;
  g_relations.clear();
  try {
    Result r = db.exec(
        "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') "
        "AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> 'pg_catalog'::regnamespace "
        "ORDER BY 1");
    for (std::size_t i = 0; i < r.rows(); ++i) g_relations.emplace_back(r.value(i, 0).value_or(""));
  } catch (const Error&) {  // e.g. an aborted transaction: no names
  }
  g_relations_time = now;
  return g_relations;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

std::string previous_word(std::string_view line) {
  std::size_t end = line.size();
  while (end > 0 && std::isspace(static_cast<unsigned char>(line[end - 1]))) --end;
  std::size_t start = end;
  while (start > 0 && !std::isspace(static_cast<unsigned char>(line[start - 1])) && line[start - 1] != '(' &&
         line[start - 1] != ',') {
    --start;
  }
  return std::string(line.substr(start, end - start));
}

// Keywords in the case the user types them.
std::string in_case_of(const char* keyword, std::string_view word) {
  std::string k = keyword;
  bool lower = !word.empty() && std::islower(static_cast<unsigned char>(word[0]));
  if (lower) {
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return k;
}

std::vector<std::string> g_matches;
std::size_t g_next = 0;

char* generator(const char*, int state) {
  if (state == 0) g_next = 0;
  if (g_next >= g_matches.size()) return nullptr;
  return strdup(g_matches[g_next++].c_str());
}

char** attempt_completion(const char* text, int start, int) {
  std::string before(rl_line_buffer, static_cast<std::size_t>(std::max(start, 0)));
  g_matches = completion_candidates(before, text, *g_db);
  rl_attempted_completion_over = 1;  // no file name completion
  if (g_matches.empty()) return nullptr;
  return rl_completion_matches(text, generator);
}

}  // namespace

std::vector<std::string> completion_candidates(std::string_view line_before, std::string_view word,
                                               Database& db) {
  std::vector<std::string> out;
  if (!word.empty() && word[0] == '\\') {
    for (const char* cmd : kBackslashCommands) {
      if (std::string_view(cmd).substr(0, word.size()) == word) out.emplace_back(cmd);
    }
    return out;
  }
  const std::string prev = previous_word(line_before);
  bool relation_context = false;
  for (const char* w : kRelationContext) relation_context |= strcasecmp(prev.c_str(), w) == 0;
  // Relations first after FROM, JOIN...; else keywords, then relations.
  if (!relation_context) {
    for (const char* k : kKeywords) {
      if (starts_with_nocase(k, word)) out.push_back(in_case_of(k, word));
    }
  }
  if (relation_context || !word.empty()) {
    for (const std::string& name : relations(db)) {
      if (name.compare(0, word.size(), word) == 0) out.push_back(name);
    }
  }
  return out;
}

void install_completion(Database& db) {
  g_db = &db;
  rl_attempted_completion_function = attempt_completion;
  // As psql: a backslash starts a word instead of breaking one.
  rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,";
  rl_completer_word_break_characters = const_cast<char*>(rl_basic_word_break_characters);
}

}  // namespace pglite::cli
