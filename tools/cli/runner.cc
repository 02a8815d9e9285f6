#include "runner.h"

#include <cctype>
#include <string>

#include "format.h"

namespace pglite::cli {

bool Runner::run(std::string_view sql) {
  try {
    db_.exec_each(sql, [&](Result&& r) { print_result(out_, r); });
    out_.flush();
    return true;
  } catch (const Error& e) {
    report(e, sql);
    return false;
  }
}

bool Runner::run_copy(std::string_view sql, std::string_view data) {
  try {
    print_result(out_, db_.copy_from(sql, data));
    out_.flush();
    return true;
  } catch (const Error& e) {
    report(e, sql);
    return false;
  }
}

void Runner::report(const Error& error, std::string_view sql) {
  out_.flush();
  print_error(err_, error, sql);
  err_.flush();
}

bool is_copy_from_stdin(std::string_view sql) {
  // Skip leading blanks and comments.
  for (;;) {
    std::size_t start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return false;
    sql.remove_prefix(start);
    if (sql.substr(0, 2) == "--") {
      std::size_t eol = sql.find('\n');
      if (eol == std::string_view::npos) return false;
      sql.remove_prefix(eol + 1);
    } else if (sql.substr(0, 2) == "/*") {
      std::size_t end = sql.find("*/");
      if (end == std::string_view::npos) return false;
      sql.remove_prefix(end + 2);
    } else {
      break;
    }
  }
  // Normalize: lower case, whitespace runs to one space, trailing ';' dropped.
  std::string s;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!s.empty() && s.back() != ' ') s += ' ';
    } else {
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == ';')) s.pop_back();
  if (s.rfind("copy ", 0) != 0 || s.find(';') != std::string::npos) return false;
  std::size_t at = s.find(" from stdin");
  return at != std::string::npos && (at + 11 == s.size() || s[at + 11] == ' ' || s[at + 11] == '(');
}

}  // namespace pglite::cli
