#include "repl.h"

#include <iostream>
#include <optional>
#include <sstream>

#include "describe.h"

namespace pglite::cli {
namespace {

constexpr const char* kHelp =
    "General\n"
    "  \\q                     quit pglite\n"
    "  \\?                     show this help\n"
    "\n"
    "Variables\n"
    "  \\set [NAME [VALUE]]    set a variable, or list all when no NAME is given\n"
    "  \\unset NAME            delete a variable\n"
    "  Use :NAME, :'NAME' (as literal) or :\"NAME\" (as identifier) in SQL.\n"
    "  ON_ERROR_STOP=1 stops a script at its first error.\n"
    "\n"
    "Statements end with ';'. COPY ... FROM STDIN reads data lines up to \"\\.\".\n";

bool truthy(const Variables& vars, std::string_view name) {
  auto it = vars.find(name);
  if (it == vars.end()) return false;
  const std::string& v = it->second;
  return v == "1" || v == "on" || v == "ON" || v == "true" || v == "TRUE" || v == "yes";
}

enum class Meta { kContinue, kQuit, kError };

Meta run_meta(const std::string& line, ReplContext& ctx) {
  std::istringstream words(line);
  std::string cmd;
  words >> cmd;
  // pg_dump 18 brackets its scripts with \restrict KEY ... \unrestrict KEY:
  // in between, no backslash command may run (a dumped string cannot smuggle
  // one in).
  std::string key;
  words >> key;
  if (!ctx.restrict_key.empty()) {
    if (cmd == "\\unrestrict" && key == ctx.restrict_key) {
      ctx.restrict_key.clear();
      return Meta::kContinue;
    }
    std::cerr << "backslash commands are restricted; only \\unrestrict is allowed\n";
    return Meta::kError;
  }
  if (cmd == "\\restrict" && !key.empty()) {
    ctx.restrict_key = key;
    return Meta::kContinue;
  }
  words.clear();
  words.seekg(static_cast<std::streamoff>(cmd.size()));
  if (cmd == "\\q" || cmd == "\\quit") return Meta::kQuit;
  if (cmd == "\\?" || cmd == "\\h" || cmd == "\\help") {
    std::cout << kHelp;
    return Meta::kContinue;
  }
  if (cmd == "\\set") {
    std::string name;
    if (!(words >> name)) {
      for (const auto& [k, v] : ctx.variables) std::cout << k << " = '" << v << "'\n";
      return Meta::kContinue;
    }
    std::string value, word;
    while (words >> word) value += word;  // psql concatenates the remaining words
    ctx.variables[name] = value;
    return Meta::kContinue;
  }
  if (cmd == "\\unset") {
    std::string name;
    if (!(words >> name)) {
      std::cerr << "\\unset: missing required argument\n";
      return Meta::kError;
    }
    ctx.variables.erase(name);
    return Meta::kContinue;
  }
  {
    std::string rest;
    std::getline(words, rest, '\0');
    if (auto r = run_describe(cmd, rest, ctx.runner.database(), PrintSettings{}, std::cout, std::cerr)) {
      return *r ? Meta::kContinue : Meta::kError;
    }
  }
  std::cerr << "invalid command " << cmd << "\nTry \\? for help.\n";
  return Meta::kError;
}

// Reads COPY data lines up to "\." (or end of input).
std::string read_copy_data(LineReader& reader) {
  if (reader.interactive()) {
    std::cout << "Enter data to be copied followed by a newline.\n"
                 "End with a backslash and a period on a line by itself, or an EOF signal.\n";
  }
  std::string data;
  while (std::optional<std::string> line = reader.read_line(">> ")) {
    if (*line == "\\.") break;
    data += *line;
    data += '\n';
  }
  return data;
}

}  // namespace

int run_repl(ReplContext& ctx) {
  StatementSplitter splitter(&ctx.variables);
  const bool interactive = ctx.reader.interactive();
  bool failed = false;
  auto execute = [&](const std::string& sql) {
    bool ok =
        is_copy_from_stdin(sql) ? ctx.runner.run_copy(sql, read_copy_data(ctx.reader)) : ctx.runner.run(sql);
    if (!ok) failed = true;
    return ok;
  };
  auto prompt = [&] {
    std::string p = ctx.database_name;
    char marker = splitter.prompt_marker();
    p += marker;
    if (marker == '=' && ctx.runner.in_transaction()) p += '*';
    return p + "# ";
  };

  while (std::optional<std::string> line = ctx.reader.read_line(prompt())) {
    for (const Piece& piece : splitter.add_line(*line)) {
      ctx.reader.remember(piece.text);
      if (piece.kind == Piece::Kind::kMeta) {
        Meta m = run_meta(piece.text, ctx);
        if (m == Meta::kQuit) return failed && !interactive ? 1 : 0;
        if (m == Meta::kContinue) continue;
        failed = true;
      } else if (execute(piece.text)) {
        continue;
      } else if (ctx.runner.broken()) {
        return 2;
      }
      if (!interactive && truthy(ctx.variables, "ON_ERROR_STOP")) return 1;
    }
  }
  if (interactive) {
    std::cout << "\\q\n";
  } else if (std::string rest = splitter.take_pending(); !rest.empty()) {
    if (!execute(rest) && ctx.runner.broken()) return 2;
  }
  return failed && !interactive ? 1 : 0;
}

}  // namespace pglite::cli
