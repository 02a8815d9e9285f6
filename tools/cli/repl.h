// The statement loop shared by -f, piped standard input and the interactive
// shell: splits input into statements, handles backslash commands and
// COPY ... FROM STDIN data.
#pragma once

#include <string>

#include "line_reader.h"
#include "pglite/script.h"
#include "runner.h"

namespace pglite::cli {

struct ReplContext {
  Runner& runner;
  LineReader& reader;
  Variables& variables;
  std::string database_name;  ///< shown in the prompt
  std::string restrict_key;   ///< set by \restrict: backslash commands refused
};

/// Runs until end of input or \q. Returns the exit status: 0, 1 if a
/// statement failed in non-interactive input, 2 if the instance broke.
int run_repl(ReplContext& context);

}  // namespace pglite::cli
