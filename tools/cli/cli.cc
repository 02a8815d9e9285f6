#include "cli.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "args.h"
#include "cancel.h"
#include "completion.h"
#include "dump.h"
#include "format.h"
#include "line_reader.h"
#include "meta_commands.h"
#include "pglite/database.h"
#include "pglite/version.h"
#include "repl.h"
#include "runner.h"
#include "serve.h"

namespace pglite::cli {
namespace {

// ---- Subcommands ------------------------------------------------------------
// parse_args() routes them (see is_subcommand() in args.cc).
int run_subcommand(const Args& args) {
  if (args.subcommand == "serve") return run_serve(args.subcommand_args);
  return run_dump(args.subcommand_args);
}
// -----------------------------------------------------------------------------

Options make_options() {
  Options options;
  options.on_notice = [](const Notice& n) {
    std::cout.flush();
    print_notice(std::cerr, n);
  };
  options.on_notification = [](const Notification& n) { print_notification(std::cout, n); };
  return options;
}

// Runs one -c argument; COPY ... FROM STDIN takes its data from standard
// input. As psql, an argument starting with a backslash is a backslash
// command (`pglite -c '\\dt'`); the rest is sent as it is.
int run_command(Runner& runner, Variables& variables, const Options& options, ShellState& shell,
                const std::string& sql) {
  std::size_t first = sql.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && sql[first] == '\\') {
    std::unique_ptr<LineReader> reader = stream_reader(std::cin);
    ReplContext ctx{runner, *reader, variables, options.database, {}, &shell, {}};
    std::string buffer;
    MetaResult m = run_meta_command(sql.substr(first), ctx, buffer);
    if (runner.broken()) return 2;
    if (interrupt_pending()) return 1;
    return m == MetaResult::kError ? 1 : 0;
  }
  bool ok;
  if (is_copy_from_stdin(sql)) {
    std::string data;
    for (std::string line; std::getline(std::cin, line) && line != "\\.";) data += line + "\n";
    ok = runner.run_copy(sql, data);
  } else {
    ok = runner.run(sql);
  }
  if (ok) return 0;
  return runner.broken() ? 2 : 1;
}

int run_file(Runner& runner, Variables& variables, const Options& options, ShellState& shell,
             const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) {
      std::cerr << "pglite: error: could not open file \"" << path << "\"\n";
      return 1;
    }
  }
  std::unique_ptr<LineReader> reader = stream_reader(path == "-" ? std::cin : file);
  ReplContext ctx{runner, *reader, variables, options.database, {}, &shell, path == "-" ? "" : path};
  return run_repl(ctx);
}

int run_interactive(Runner& runner, Variables& variables, const Options& options, ShellState& shell) {
  std::unique_ptr<LineReader> reader;
  const bool temporary = shell.data_dir.empty();
  if (isatty(STDIN_FILENO)) {
    install_completion(runner.database());
    reader = editline_reader();
    std::cout << "pglite (PostgreSQL 17)\nType \"\\?\" for help, \"\\q\" to quit.\n";
    if (temporary) std::cout << "Temporary database: it is discarded on exit (use -d PATH).\n";
    std::cout << "\n";
  } else {
    reader = stream_reader(std::cin);
  }
  ReplContext ctx{runner, *reader, variables, options.database, {}, &shell, {}};
  return run_repl(ctx);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  try {
    args = parse_args(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "pglite: error: " << e.what() << "\nTry \"pglite --help\" for more information.\n";
    return 1;
  }
  if (!args.subcommand.empty()) return run_subcommand(args);
  if (args.help) {
    std::cout << usage_text();
    return 0;
  }
  if (args.version) {
    std::cout << "pglite " << pglite::version() << " (PostgreSQL " << pglite::postgres_version() << ")\n";
    return 0;
  }

  Options options = make_options();
  std::optional<Database> db;
  try {
    db.emplace(args.data_dir.empty() ? Database::temporary(options) : Database::open(args.data_dir, options));
  } catch (const Error& e) {
    std::cerr << "pglite: error: could not open database: " << e.message() << "\n";
    if (!e.detail().empty()) std::cerr << "DETAIL:  " << e.detail() << "\n";
    return 2;
  }

  Variables variables;
  for (const auto& [name, value] : args.variables) variables[name] = value;  // last one wins
  Runner runner(*db, std::cout, std::cerr);
  ShellState shell;
  shell.data_dir = args.data_dir;
  int status = 0;
  {
    // Ctrl-C cancels the running statement instead of ending the process
    // (and losing a temporary database).
    CancelOnInterrupt cancel_on_interrupt(*db);
    if (args.actions.empty()) {
      status = run_interactive(runner, variables, options, shell);
    } else {
      for (const Action& action : args.actions) {
        status = action.kind == Action::Kind::kCommand
                     ? run_command(runner, variables, options, shell, action.text)
                     : run_file(runner, variables, options, shell, action.text);
        if (status != 0 || shell.quit) break;
      }
    }
    runner.restore_output();
  }

  try {
    db->close();
  } catch (const Error& e) {
    std::cerr << "pglite: error: closing the database failed: " << e.message() << "\n";
    if (status == 0) status = 2;
  }
  return status;
}

}  // namespace pglite::cli
