#include "args.h"

#include <string_view>

namespace pglite::cli {
namespace {

bool is_subcommand(std::string_view arg) { return arg == "serve" || arg == "dump"; }

std::pair<std::string, std::string> parse_variable(const std::string& spec) {
  std::size_t eq = spec.find('=');
  if (eq == 0 || spec.empty()) throw UsageError("invalid variable assignment \"" + spec + "\"");
  if (eq == std::string::npos) return {spec, ""};
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

}  // namespace

bool take_option_value(const std::vector<std::string>& args, std::size_t& i, char short_name,
                       std::string_view long_name, std::string* out) {
  const std::string& arg = args[i];
  const std::string long_opt = "--" + std::string(long_name);
  const bool has_short = short_name != 0;
  if ((has_short && arg == std::string{'-', short_name}) || arg == long_opt) {
    if (i + 1 >= args.size()) throw UsageError("option " + arg + " requires an argument");
    *out = args[++i];
    return true;
  }
  if (has_short && arg.size() > 2 && arg[0] == '-' && arg[1] == short_name) {
    *out = arg.substr(2);
    return true;
  }
  if (arg.rfind(long_opt + "=", 0) == 0) {
    *out = arg.substr(long_opt.size() + 1);
    return true;
  }
  return false;
}

Args parse_args(int argc, char** argv) {
  Args args;
  const std::vector<std::string> list(argv + 1, argv + argc);
  if (!list.empty() && is_subcommand(list[0])) {
    args.subcommand = list[0];
    args.subcommand_args.assign(list.begin() + 1, list.end());
    return args;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string& arg = list[i];
    auto value = [&](char short_name, std::string_view long_name, std::string& out) {
      return take_option_value(list, i, short_name, long_name, &out);
    };
    std::string v;
    if (arg == "-h" || arg == "--help" || arg == "-?") {
      args.help = true;
    } else if (arg == "-V" || arg == "--version") {
      args.version = true;
    } else if (value('c', "command", v)) {
      args.actions.push_back({Action::Kind::kCommand, v});
    } else if (value('f', "file", v)) {
      args.actions.push_back({Action::Kind::kFile, v});
    } else if (value('d', "data-dir", v)) {
      if (v.empty()) throw UsageError("empty data directory path");
      args.data_dir = v;
    } else if (value('v', "set", v)) {
      args.variables.push_back(parse_variable(v));
    } else if (arg.rfind("--variable", 0) == 0 && value('v', "variable", v)) {
      args.variables.push_back(parse_variable(v));
    } else if (arg.size() > 1 && arg[0] == '-') {
      throw UsageError("invalid option \"" + arg + "\"");
    } else {
      throw UsageError("unexpected argument \"" + arg + "\"");
    }
  }
  return args;
}

std::string usage_text() {
  return "pglite - embedded PostgreSQL 17 shell\n"
         "\n"
         "Usage:\n"
         "  pglite [OPTION]...\n"
         "  pglite serve [-d PATH] [--port N] [--unix DIR]   serve over the wire protocol\n"
         "  pglite dump [-d PATH] [-f FILE] [-F p|c|t] [pg_dump option]...\n"
         "                                                   dump with pg_dump 18 (in-process)\n"
         "\n"
         "Options:\n"
         "  -c, --command=COMMAND      run SQL, or one backslash command such as \"\\dt\"\n"
         "                             (may be repeated; no variable interpolation in SQL)\n"
         "  -f, --file=FILE            run the statements in FILE (\"-\" = standard input)\n"
         "  -d, --data-dir=PATH        use the persistent database at PATH (created on first\n"
         "                             use) instead of a temporary one\n"
         "  -v, --set=NAME=VALUE       set variable NAME, interpolated as :NAME, :'NAME' or\n"
         "                             :\"NAME\" in -f/interactive input; ON_ERROR_STOP=1 stops\n"
         "                             a script at its first error\n"
         "  -h, --help                 show this help\n"
         "  -V, --version              show the version\n"
         "\n"
         "Without -c or -f, statements are read from standard input: interactively (line\n"
         "editing, Tab completion, \\? for help, \\q or Ctrl-D to quit) on a terminal, as a\n"
         "script otherwise. Ctrl-C cancels the running statement (a script stops, status 3).\n"
         "\n"
         "Exit status: 0 on success, 1 if a statement failed (or bad usage), 2 if the\n"
         "database could not be opened or the instance broke, 3 if Ctrl-C stopped a script.\n";
}

}  // namespace pglite::cli
