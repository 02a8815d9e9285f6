// The statement loop shared by -f, piped standard input and the interactive
// shell: splits input into statements, handles backslash commands and
// COPY ... FROM STDIN data.
#pragma once

#include <string>

#include "line_reader.h"
#include "pglite/script.h"
#include "runner.h"

namespace pglite::cli {

/// What the shell keeps across input sources (-c, -f, \i).
struct ShellState {
  std::string data_dir;  ///< for \conninfo; empty = temporary database
  bool quit = false;     ///< \q ran (also inside \i)
  int include_depth = 0;
};

struct ReplContext {
  Runner& runner;
  LineReader& reader;
  Variables& variables;
  std::string database_name;  ///< shown in the prompt
  std::string restrict_key;   ///< set by \restrict: backslash commands refused
  ShellState* shell = nullptr;
  std::string script_path;  ///< the file being read (\ir is relative to it); empty: standard input
};

/// Runs until end of input or \q. Returns the exit status: 0, 1 if a
/// statement failed in non-interactive input, 2 if the instance broke, 3 if
/// Ctrl-C stopped a script (as psql).
int run_repl(ReplContext& context);

}  // namespace pglite::cli
