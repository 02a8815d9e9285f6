// run_describe(): a describe command's words and which command runs them.
#include "describe.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "describe_internal.h"

namespace pglite::cli {
namespace describe {
namespace {

// psql_scan_slash_option(OT_NORMAL), roughly: words split at unquoted
// whitespace; "double quotes" stay in the word (patterns interpret them),
// 'single quotes' are removed (with \n, \t, \\ and '' inside).
std::vector<std::string> split_args(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (true) {
    while (i < text.size() && space(text[i])) ++i;
    if (i >= text.size()) break;
    std::string word;
    while (i < text.size() && !space(text[i])) {
      char c = text[i];
      if (c == '"') {
        std::size_t end = text.find('"', i + 1);
        while (end != std::string_view::npos && end + 1 < text.size() && text[end + 1] == '"') {
          end = text.find('"', end + 2);
        }
        if (end == std::string_view::npos) end = text.size() - 1;
        word.append(text.substr(i, end - i + 1));
        i = end + 1;
      } else if (c == '\'') {
        ++i;
        while (i < text.size()) {
          if (text[i] == '\'') {
            if (i + 1 < text.size() && text[i + 1] == '\'') {
              word += '\'';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\\' && i + 1 < text.size()) {
            char e = text[i + 1];
            word += e == 'n'   ? '\n'
                    : e == 't' ? '\t'
                    : e == 'r' ? '\r'
                    : e == 'b' ? '\b'
                    : e == 'f' ? '\f'
                               : e;
            i += 2;
            continue;
          }
          word += text[i++];
        }
      } else {
        word += c;
        ++i;
      }
    }
    words.push_back(std::move(word));
  }
  return words;
}

// The describe command `cmd` (without its backslash, e.g. "dT+"), reading
// its patterns from words[used...]; nullopt when `cmd` is none.
std::optional<bool> dispatch(Session& s, std::string_view cmd, const std::vector<std::string>& words,
                             std::size_t& used, bool verbose, bool system) {
  auto next = [&]() -> Pattern { return used < words.size() ? Pattern(words[used++]) : std::nullopt; };
  auto rest = [&](std::size_t most) {
    std::vector<std::string> patterns;
    while (used < words.size() && patterns.size() < most) patterns.push_back(words[used++]);
    return patterns;
  };
  if (cmd == "l" || cmd == "list" || cmd == "l+" || cmd == "list+") return list_databases(s, next(), verbose);
  if (cmd == "z") return list_privileges(s, next());
  if (cmd.empty() || cmd[0] != 'd') return std::nullopt;
  const char c2 = cmd.size() > 2 ? cmd[2] : '\0';
  switch (cmd.size() > 1 ? cmd[1] : '\0') {
    case '\0':
    case '+':
    case 'S': {
      Pattern pattern = next();
      return pattern ? describe_table_details(s, pattern, verbose, system)
                     : list_tables(s, "tvmsE", pattern, verbose, system);
    }
    case 't':
    case 'i':
    case 'v':
    case 'm':
    case 's':
    case 'E':
      return list_tables(s, cmd.substr(1), next(), verbose, system);
    case 'n':
      return list_schemas(s, next(), verbose, system);
    case 'u':
    case 'g':
      return list_roles(s, next(), verbose, system);
    case 'x':
      return verbose ? describe_extensions(s, next()) : list_extensions(s, next());
    case 'f': {
      if (c2 != '\0' && std::strchr("+Sanptw", c2) == nullptr) return std::nullopt;
      Pattern pattern = next();
      return list_functions(s, cmd.substr(2), pattern, rest(100), verbose, system);
    }
    case 'T':
      return list_types(s, next(), verbose, system);
    case 'a':
      return list_aggregates(s, next(), system);
    case 'b':
      return list_tablespaces(s, next(), verbose);
    case 'p':
      return list_privileges(s, next());
    case 'D':
      return list_domains(s, next(), verbose, system);
    case 'L':
      return list_languages(s, next(), verbose, system);
    case 'A': {
      Pattern am = next();
      Pattern second = am && c2 != '\0' && c2 != '+' ? next() : std::nullopt;
      switch (c2) {
        case '\0':
        case '+':
          return list_access_methods(s, am, verbose);
        case 'c':
          return list_operator_classes(s, am, second, verbose);
        case 'f':
          return list_operator_families(s, am, second, verbose);
        case 'o':
          return list_family_operators(s, am, second, verbose);
        case 'p':
          return list_family_functions(s, am, second, verbose);
        default:
          return std::nullopt;
      }
    }
    case 'P':
      if (c2 != '\0' && c2 != '+' && c2 != 't' && c2 != 'i' && c2 != 'n') return std::nullopt;
      return list_partitioned_tables(s, cmd.substr(2), next(), verbose);
    case 'l':
      return list_large_objects(s, verbose);
    case 'O':
      return list_collations(s, next(), verbose, system);
    case 'R':
      if (c2 == 'p') return verbose ? describe_publications(s, next()) : list_publications(s, next());
      if (c2 == 's') return list_subscriptions(s, next(), verbose);
      return std::nullopt;
    case 'F':
      switch (c2) {
        case '\0':
        case '+':
          return list_ts_configs(s, next(), verbose);
        case 'p':
          return list_ts_parsers(s, next(), verbose);
        case 'd':
          return list_ts_dictionaries(s, next(), verbose);
        case 't':
          return list_ts_templates(s, next(), verbose);
        default:
          return std::nullopt;
      }
    case 'o': {
      if (c2 != '\0' && c2 != '+' && c2 != 'S') return std::nullopt;
      Pattern pattern = next();
      return list_operators(s, pattern, rest(SIZE_MAX), verbose, system);
    }
    case 'C':
      return list_casts(s, next(), verbose);
    case 'c':
      return list_conversions(s, next(), verbose, system);
    case 'y':
      return list_event_triggers(s, next(), verbose);
    case 'e':
      switch (c2) {
        case 's':
          return list_foreign_servers(s, next(), verbose);
        case 'w':
          return list_foreign_data_wrappers(s, next(), verbose);
        case 't':
          return list_foreign_tables(s, next(), verbose);
        case 'u':
          return list_user_mappings(s, next(), verbose);
        default:
          return std::nullopt;
      }
    case 'd':
      if (cmd.substr(0, 3) == "ddp") return list_default_privileges(s, next());
      return list_object_descriptions(s, next(), system);
    case 'r':
      if (cmd.substr(0, 4) == "drds") {
        Pattern role = next();
        return list_role_settings(s, role, next());
      }
      return std::nullopt;
    case 'X':
      return list_extended_statistics(s, next());
    default:
      return std::nullopt;
  }
}

}  // namespace
}  // namespace describe

std::optional<bool> run_describe(std::string_view command, std::string_view args, Database& db,
                                 const PrintSettings& settings, std::ostream& out, std::ostream& err) {
  using namespace describe;
  if (command.empty() || command[0] != '\\') return std::nullopt;
  const std::string_view cmd = command.substr(1);
  const std::vector<std::string> words = split_args(args);
  std::size_t used = 0;
  Session s(db, settings, out, err);
  bool ok = false;
  try {
    std::optional<bool> r = dispatch(s, cmd, words, used, cmd.find('+') != std::string_view::npos,
                                     cmd.find('S') != std::string_view::npos);
    if (!r) return std::nullopt;
    ok = *r;
  } catch (const Error& e) {
    out.flush();
    print_error(err, e, s.last_sql());
    err.flush();
  }
  for (; used < words.size(); ++used) {
    s.error(std::string(command) + ": extra argument \"" + words[used] + "\" ignored");
  }
  return ok;
}

}  // namespace pglite::cli
