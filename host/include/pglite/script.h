// pglite::ScriptSplitter - psql-style script input cut into statements.
//
//   pglite::ScriptSplitter::Variables vars{{"tbl", "t"}};
//   pglite::ScriptSplitter splitter(&vars);
//   for (const auto& piece : splitter.add_line("SELECT * FROM :tbl; \\echo hi"))
//     ...  // {kStatement, "SELECT * FROM t;"}, {kMeta, "\\echo hi"}
//
// Database::exec_script() and the pglite command-line tool read their input
// through it; use it to run scripts statement by statement yourself.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pglite/export.h"

namespace pglite {

/// Splits input into statements at top-level semicolons (outside quotes,
/// dollar quotes, comments and parentheses), interpolates psql variables
/// (:name, :'name', :"name") on the way and cuts out backslash commands.
/// Not thread-safe; one splitter per input.
class PGLITE_EXPORT ScriptSplitter {
 public:
  /// psql variables by name, for interpolation.
  using Variables = std::map<std::string, std::string, std::less<>>;

  /// A complete statement (ending with its ';') or a backslash command (the
  /// rest of the line from the backslash, e.g. "\\set x 1").
  struct Piece {
    enum class Kind { kStatement, kMeta };
    Kind kind;
    std::string text;
  };

  /// `variables` may be null (no interpolation); it must outlive the splitter.
  explicit ScriptSplitter(const Variables* variables) : variables_(variables) {}

  /// Adds one input line (without its newline) and returns the statements it
  /// completed and the backslash command it ends with, in input order. An
  /// unfinished statement stays pending across a backslash command.
  std::vector<Piece> add_line(std::string_view line);

  /// True when no statement text (other than blanks) is pending.
  bool empty() const;
  /// Returns and clears the pending, unterminated text.
  std::string take_pending();

  /// psql prompt marker for the pending text: '=' nothing pending, '-' a
  /// statement continues, '\'' or '"' inside quotes, '$' inside a dollar
  /// quote, '*' inside a comment, '(' inside parentheses.
  char prompt_marker() const;

 private:
  enum class State { kNormal, kSingle, kEscapeString, kDouble, kDollar, kLineComment, kBlock };

  void interpolate(std::string_view line, std::size_t& i);

  const Variables* variables_;
  std::string buffer_;
  State state_ = State::kNormal;
  std::string dollar_tag_;  ///< the "$tag$" that closes the current dollar quote
  int block_depth_ = 0;
  int paren_depth_ = 0;
};

/// True for a single COPY ... FROM STDIN statement, whose data follows it in
/// the input (as in pg_dump output).
PGLITE_EXPORT bool is_copy_from_stdin(std::string_view sql);

}  // namespace pglite
