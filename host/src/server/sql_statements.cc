#include "server/sql_statements.h"

#include <cctype>

#include "pglite/script.h"
#include "pglite/sql_quote.h"
#include "server/session_state.h"

namespace pglite::internal::sql_statements {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Skips blanks and comments at `i`.
size_t skip_blanks(std::string_view s, size_t i) {
  for (;;) {
    while (i < s.size() && space(s[i])) i++;
    if (s.compare(i, 2, "--") == 0) {
      size_t end = s.find('\n', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
    } else if (s.compare(i, 2, "/*") == 0) {
      size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else {
      return i;
    }
  }
}

// The (normalized) identifier at `i`: unquoted ones in lower case.
std::string identifier(std::string_view s, size_t& i) {
  std::string out;
  if (i < s.size() && s[i] == '"') {
    for (i++; i < s.size(); i++) {
      if (s[i] == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          out += '"';
          i++;
        } else {
          i++;
          break;
        }
      } else {
        out += s[i];
      }
    }
    return out;
  }
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$' ||
                          static_cast<unsigned char>(s[i]) >= 0x80)) {
    out += lower(s[i++]);
  }
  return out;
}

bool is_prepare_of(std::string_view statement, std::string_view name) {
  size_t i = skip_blanks(statement, 0);
  std::string keyword = identifier(statement, i);
  if (keyword != "prepare") return false;
  i = skip_blanks(statement, i);
  return identifier(statement, i) == name;
}

}  // namespace

const char* const kCaptureSql =
    "SELECT coalesce(pg_catalog.string_agg(pg_catalog.octet_length(name) || ':' || name || "
    "pg_catalog.octet_length(statement) || ':' || statement, '' ORDER BY prepare_time), '') "
    "FROM pg_catalog.pg_prepared_statements WHERE from_sql";

std::optional<std::string> find_prepare(std::string_view query, std::string_view name) {
  ScriptSplitter splitter(nullptr);
  std::vector<std::string> statements;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('\n', start);
    if (end == std::string_view::npos) end = query.size();
    for (ScriptSplitter::Piece& piece : splitter.add_line(query.substr(start, end - start))) {
      if (piece.kind == ScriptSplitter::Piece::Kind::kStatement) statements.push_back(std::move(piece.text));
    }
    start = end + 1;
  }
  if (!splitter.empty()) statements.push_back(splitter.take_pending());
  for (std::string& statement : statements) {
    if (is_prepare_of(statement, name)) {
      size_t start_at = 0;
      while (start_at < statement.size() && space(statement[start_at])) start_at++;
      return statement.substr(start_at);
    }
  }
  return std::nullopt;
}

std::vector<Statement> parse_capture(std::string_view value) {
  std::vector<Statement> out;
  std::vector<std::string_view> fields = session_state::decode_fields(value);
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (std::optional<std::string> prepare = find_prepare(fields[i + 1], fields[i])) {
      out.push_back({std::string(fields[i]), std::move(*prepare)});
    }
  }
  return out;
}

std::string deallocate_sql(const Statement& statement) {
  return "DEALLOCATE " + quote_identifier(statement.name);
}

}  // namespace pglite::internal::sql_statements
