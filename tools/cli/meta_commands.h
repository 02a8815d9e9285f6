// psql's backslash commands: \x, \pset, \t, \a, \timing, \i, \ir, \o, \copy,
// \echo, \conninfo, \encoding, \watch, \set... The describe family goes to
// run_describe() (describe.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "repl.h"

namespace pglite::cli {

enum class MetaResult {
  kOk,
  kError,  ///< the command failed (counts as an error for ON_ERROR_STOP)
  kQuit,   ///< \q
};

/// Runs the backslash commands of one line (from the backslash to the end of
/// the line: "\\x \\t" runs both). `query_buffer` is the statement text
/// pending before it: \watch, \g, \r take it; SQL after "\\\\" is appended.
MetaResult run_meta_command(const std::string& line, ReplContext& ctx, std::string& query_buffer);

/// Reads COPY data lines up to "\\." (or end of input), with psql's prompt
/// when interactive; nullopt (error printed) when Ctrl-C abandoned them.
std::optional<std::string> read_copy_data_lines(LineReader& reader);

/// Splits a backslash command's argument text as psql does (OT_NORMAL):
/// blanks separate words, 'single quotes' are removed (with '' and
/// backslash escapes), "double quotes" are kept, :var, :'var', :"var"
/// interpolate `variables`. A word starting with a backslash ends the
/// arguments (it is the next command).
class ArgLexer {
 public:
  ArgLexer(std::string_view text, const Variables& variables) : text_(text), variables_(variables) {}
  std::optional<std::string> next();
  /// The unparsed rest, without leading and trailing blanks.
  std::string rest();
  /// Like rest(), but only up to the next backslash command.
  std::string raw_words();

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  const Variables& variables_;
};

/// The help text of \?.
extern const char* const kMetaHelp;

}  // namespace pglite::cli
