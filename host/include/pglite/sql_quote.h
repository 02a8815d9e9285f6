// Quoting names and values into SQL text (what libpq's PQescapeIdentifier and
// PQescapeLiteral do), for statements composed by hand.
#pragma once

#include <string>
#include <string_view>

namespace pglite {

/// `s` between `quote` characters, embedded quotes doubled: '"' makes an
/// identifier, '\'' a string literal (standard_conforming_strings is on).
inline std::string sql_quote(std::string_view s, char quote) {
  std::string out(1, quote);
  for (char c : s) {
    if (c == quote) out += quote;
    out += c;
  }
  return out + quote;
}

inline std::string quote_identifier(std::string_view name) { return sql_quote(name, '"'); }
inline std::string quote_literal(std::string_view value) { return sql_quote(value, '\''); }

}  // namespace pglite
