// Database::exec_script: psql-style scripts (pg_dump's plain format).
#include "pglite/script.h"

#include <sstream>

#include "api/database_impl.h"
#include "api/session_settings.h"
#include "pglite/database.h"
#include "protocol/sqlstate.h"

namespace pglite {
namespace {

[[noreturn]] void rethrow_at(const Error& e, size_t line) {
  throw Error(Error::Fields{e.severity(), e.sqlstate(),
                            e.message() + " (script line " + std::to_string(line) + ")", e.detail(), e.hint(),
                            e.position()});
}

// \restrict KEY ... \unrestrict KEY; any other backslash command is refused.
void run_meta(const std::string& text, std::string* restrict_key, size_t line) {
  std::istringstream words(text);
  std::string cmd, key;
  words >> cmd >> key;
  if (restrict_key->empty() && cmd == "\\restrict" && !key.empty()) {
    *restrict_key = key;
  } else if (!restrict_key->empty() && cmd == "\\unrestrict" && key == *restrict_key) {
    restrict_key->clear();
  } else {
    throw Error(sqlstate::kSyntaxError, "backslash command \"" + cmd +
                                            "\" is not supported in scripts (script line " +
                                            std::to_string(line) + ")");
  }
}

}  // namespace

void Database::exec_script(std::string_view script) {
  // The script runs as if in a session of its own: the settings it changes
  // (pg_dump's empty search_path, ...) are undone afterwards.
  impl().with_session([&](internal::Session& session) {
    const std::string settings = internal::settings::capture(session);
    struct Restore {
      internal::Session& session;
      const std::string& settings;
      ~Restore() {
        try {
          if (!session.closed() && !session.broken() && session.transaction_status() == 'I') {
            session.simple_query(internal::settings::restore_sql(settings));
          }
        } catch (...) {
        }
      }
    } restore{session, settings};
    ScriptSplitter splitter(nullptr);
    std::string restrict_key;
    std::string copy_sql, copy_data;
    bool in_copy = false;
    size_t line_no = 0, statement_line = 1;
    auto run = [&](const std::string& sql, size_t line) {
      try {
        exec(sql);
      } catch (const Error& e) {
        rethrow_at(e, line);
      }
    };
    auto finish_copy = [&] {
      in_copy = false;
      try {
        copy_from(copy_sql, copy_data);
      } catch (const Error& e) {
        rethrow_at(e, statement_line);
      }
      copy_data.clear();
    };
    for (size_t pos = 0; pos < script.size();) {
      size_t eol = script.find('\n', pos);
      if (eol == std::string_view::npos) eol = script.size();
      std::string_view line = script.substr(pos, eol - pos);
      pos = eol + 1;
      ++line_no;
      if (in_copy) {
        if (line == "\\.") {
          finish_copy();
        } else {
          copy_data.append(line).push_back('\n');
        }
        continue;
      }
      if (splitter.empty()) statement_line = line_no;
      for (const ScriptSplitter::Piece& piece : splitter.add_line(line)) {
        if (piece.kind == ScriptSplitter::Piece::Kind::kMeta) {
          run_meta(piece.text, &restrict_key, line_no);
        } else if (is_copy_from_stdin(piece.text)) {
          copy_sql = piece.text;
          in_copy = true;  // its data starts on the next line
        } else {
          run(piece.text, statement_line);
        }
        statement_line = line_no;
      }
    }
    if (in_copy) finish_copy();  // end of input ends the data, as in psql
    if (std::string rest = splitter.take_pending(); !rest.empty()) run(rest, statement_line);
  });
}

}  // namespace pglite
