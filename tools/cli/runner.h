// Executes SQL for the CLI and prints results and errors psql-style.
#pragma once

#include <ostream>
#include <string_view>

#include "pglite/database.h"
#include "pglite/script.h"

namespace pglite::cli {

class Runner {
 public:
  Runner(Database& db, std::ostream& out, std::ostream& err) : db_(db), out_(out), err_(err) {}

  /// Runs `sql` (simple protocol, may hold several statements) and prints
  /// each result; on error prints it and returns false.
  bool run(std::string_view sql);
  /// Runs a COPY ... FROM STDIN statement with `data` as its input.
  bool run_copy(std::string_view sql, std::string_view data);
  /// The instance broke; nothing more can run.
  bool broken() const { return db_.broken(); }
  bool in_transaction() const { return db_.in_transaction(); }

 private:
  void report(const Error& error, std::string_view sql);

  Database& db_;
  std::ostream& out_;
  std::ostream& err_;
};

// The CLI's names for the library's script splitter (pglite/script.h).
using StatementSplitter = ScriptSplitter;
using Piece = ScriptSplitter::Piece;
using Variables = ScriptSplitter::Variables;
using pglite::is_copy_from_stdin;

}  // namespace pglite::cli
