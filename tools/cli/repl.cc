#include "repl.h"

#include <deque>
#include <iostream>
#include <iterator>
#include <optional>
#include <vector>

#include "cancel.h"
#include "meta_commands.h"

namespace pglite::cli {
namespace {

bool truthy(const Variables& vars, std::string_view name) {
  auto it = vars.find(name);
  if (it == vars.end()) return false;
  const std::string& v = it->second;
  return v == "1" || v == "on" || v == "ON" || v == "true" || v == "TRUE" || v == "yes";
}

// Puts back the query buffer a backslash command left (\watch and \r take
// it, SQL after "\\" extends it); returns the statements it completes.
std::vector<Piece> restore_pending(StatementSplitter& splitter, const std::string& buffer) {
  std::vector<Piece> done;
  std::size_t start = 0;
  while (start < buffer.size()) {
    std::size_t end = buffer.find('\n', start);
    if (end == std::string::npos) end = buffer.size();
    for (Piece& p : splitter.add_line(std::string_view(buffer).substr(start, end - start))) {
      done.push_back(std::move(p));
    }
    start = end + 1;
  }
  return done;
}

}  // namespace

int run_repl(ReplContext& ctx) {
  StatementSplitter splitter(&ctx.variables);
  const bool interactive = ctx.reader.interactive();
  bool failed = false;
  auto execute = [&](const std::string& sql) {
    bool ok;
    if (is_copy_from_stdin(sql)) {
      std::optional<std::string> data = read_copy_data_lines(ctx.reader);
      ok = data && ctx.runner.run_copy(sql, *data);
    } else {
      ok = ctx.runner.run(sql);
    }
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
  // psql: Ctrl-C in a script (-f, piped input) cancels the statement and
  // stops the script with status 3; interactively the session goes on.
  auto stopped_by_interrupt = [&] {
    if (interactive || !interrupt_pending()) return false;
    return true;
  };

  for (;;) {
    if (interactive) clear_interrupt();
    std::optional<std::string> line = ctx.reader.read_line(prompt());
    if (!line) {
      if (ctx.reader.interrupted()) {  // Ctrl-C at the prompt: drop the pending input
        splitter.take_pending();
        continue;
      }
      break;
    }
    std::vector<Piece> line_pieces = splitter.add_line(*line);
    std::deque<Piece> pieces(std::make_move_iterator(line_pieces.begin()),
                             std::make_move_iterator(line_pieces.end()));
    while (!pieces.empty()) {
      const Piece piece = std::move(pieces.front());
      pieces.pop_front();
      ctx.reader.remember(piece.text);
      if (piece.kind == Piece::Kind::kMeta) {
        std::string buffer = splitter.take_pending();
        MetaResult m = run_meta_command(piece.text, ctx, buffer);
        std::vector<Piece> more = restore_pending(splitter, buffer);
        pieces.insert(pieces.begin(), std::make_move_iterator(more.begin()),
                      std::make_move_iterator(more.end()));
        if (m == MetaResult::kQuit) return failed && !interactive ? 1 : 0;
        if (ctx.runner.broken()) return 2;
        if (stopped_by_interrupt()) return 3;
        if (m == MetaResult::kOk) continue;
        failed = true;
      } else if (execute(piece.text)) {
        if (stopped_by_interrupt()) return 3;
        continue;
      } else if (ctx.runner.broken()) {
        return 2;
      } else if (stopped_by_interrupt()) {
        return 3;
      }
      if (!interactive && truthy(ctx.variables, "ON_ERROR_STOP")) return 1;
    }
  }
  if (interactive) {
    std::cout << "\\q\n";
  } else if (std::string rest = splitter.take_pending(); !rest.empty()) {
    if (!execute(rest) && ctx.runner.broken()) return 2;
    if (stopped_by_interrupt()) return 3;
  }
  return failed && !interactive ? 1 : 0;
}

}  // namespace pglite::cli
