// Executes SQL for the CLI and prints results and errors psql-style.
#pragma once

#include <fstream>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "format.h"
#include "pglite/database.h"
#include "pglite/script.h"

namespace pglite::cli {

class Runner {
 public:
  Runner(Database& db, std::ostream& out, std::ostream& err) : db_(db), out_(&out), stdout_(out), err_(err) {}

  /// Runs `sql` (simple protocol, may hold several statements) and prints
  /// each result; on error prints it and returns false.
  bool run(std::string_view sql);
  /// Runs a COPY ... FROM STDIN statement with `data` as its input.
  bool run_copy(std::string_view sql, std::string_view data);
  /// Runs a COPY ... TO STDOUT statement, writing its data to `data_out`
  /// and the "COPY n" tag to the output.
  bool run_copy_to(std::string_view sql, std::ostream& data_out);
  /// The instance broke; nothing more can run.
  bool broken() const { return db_.broken(); }
  bool in_transaction() const { return db_.in_transaction(); }

  Database& database() { return db_; }
  /// \pset/\x state used for every result.
  PrintSettings& settings() { return settings_; }
  /// \timing: print "Time: ..." after each query.
  bool timing = false;

  /// Where results go: standard output, or the file \o named.
  std::ostream& output() { return *out_; }
  /// \o FILE: false (with `error` set) when it cannot be opened.
  bool redirect_output(const std::string& path, std::string& error);
  /// \o without argument.
  void restore_output();
  /// The last SQL run (for \watch).
  const std::string& last_query() const { return last_query_; }

 private:
  /// Runs `body`, reporting its Error against `sql`; prints \timing either way.
  bool timed(std::string_view sql, const std::function<void()>& body);
  void report(const Error& error, std::string_view sql);
  void print_timing(double ms);

  Database& db_;
  std::ostream* out_;
  std::ostream& stdout_;
  std::ostream& err_;
  std::unique_ptr<std::ofstream> file_;
  PrintSettings settings_;
  std::string last_query_;
};

/// psql's "Time: 1.234 ms" line (with minutes, hours... past one second).
std::string timing_line(double ms);

// The CLI's names for the library's script splitter (pglite/script.h).
using StatementSplitter = ScriptSplitter;
using Piece = ScriptSplitter::Piece;
using Variables = ScriptSplitter::Variables;
using pglite::is_copy_from_stdin;

}  // namespace pglite::cli
