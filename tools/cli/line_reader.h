// Line input for the REPL: libedit (line editing, history) on a terminal,
// plain std::istream reading otherwise.
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <string>

namespace pglite::cli {

class LineReader {
 public:
  virtual ~LineReader() = default;
  /// Next line without its newline; nullopt at end of input, or when Ctrl-C
  /// abandoned the line (then interrupted() is true).
  virtual std::optional<std::string> read_line(const std::string& prompt) = 0;
  /// True when the last read_line() was cut short by Ctrl-C.
  virtual bool interrupted() const { return false; }
  /// Records a complete entry in the history (no-op without line editing).
  virtual void remember(const std::string& entry) { (void)entry; }
  virtual bool interactive() const { return false; }
};

/// Reads lines from `in` without prompting.
std::unique_ptr<LineReader> stream_reader(std::istream& in);

/// libedit-based reader with history in ~/.pglite_history (saved on
/// destruction). Ctrl-C (see cancel.h) abandons the line being edited.
std::unique_ptr<LineReader> editline_reader();

}  // namespace pglite::cli
