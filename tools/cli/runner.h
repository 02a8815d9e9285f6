// Executes SQL for the CLI and prints results and errors psql-style.
#pragma once

#include <ostream>
#include <string_view>

#include "pglite/database.h"
#include "script/statement_splitter.h"

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
  Database& database() { return db_; }

 private:
  void report(const Error& error, std::string_view sql);

  Database& db_;
  std::ostream& out_;
  std::ostream& err_;
};

using internal::is_copy_from_stdin;
using internal::Piece;
using internal::StatementSplitter;
using internal::Variables;

}  // namespace pglite::cli
