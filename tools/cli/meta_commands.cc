#include "meta_commands.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "cancel.h"
#include "describe.h"
#include "pglite/sql_quote.h"

namespace pglite::cli {

const char* const kMetaHelp =
    "General\n"
    "  \\q                     quit pglite (also Ctrl-D)\n"
    "  \\?                     show this help\n"
    "  \\g                     execute the query buffer (or the previous query)\n"
    "  \\gx                    as \\g, but with expanded output\n"
    "  \\watch [SEC]           execute query every SEC seconds (default 2) until Ctrl-C\n"
    "  Ctrl-C cancels the running statement; at the prompt it clears the input.\n"
    "\n"
    "Query Buffer\n"
    "  \\r                     reset (clear) the query buffer\n"
    "\n"
    "Input/Output\n"
    "  \\copy ...              perform SQL COPY with data stream to the client host\n"
    "  \\echo [-n] [STRING]    write string to standard output (-n for no newline)\n"
    "  \\qecho [-n] [STRING]   write string to \\o output stream (-n for no newline)\n"
    "  \\i FILE                execute commands from file\n"
    "  \\ir FILE               as \\i, but relative to location of current script\n"
    "  \\o [FILE]              send all query results to file (no FILE: standard output)\n"
    "\n"
    "Informational\n"
    "  (describe commands such as \\d, \\dt, \\l where available)\n"
    "\n"
    "Formatting\n"
    "  \\a                     toggle between unaligned and aligned output mode\n"
    "  \\pset [NAME [VALUE]]   set table output option (border, columns, csv_fieldsep,\n"
    "                         expanded, fieldsep, footer, format, null, recordsep,\n"
    "                         title, tuples_only); no NAME lists them\n"
    "  \\t [on|off]            show only rows\n"
    "  \\x [on|off|auto]       toggle expanded output\n"
    "  \\timing [on|off]       toggle timing of commands\n"
    "\n"
    "Connection\n"
    "  \\conninfo              display information about the database\n"
    "  \\encoding [ENCODING]   show or set client encoding\n"
    "\n"
    "Variables\n"
    "  \\set [NAME [VALUE]]    set a variable, or list all when no NAME is given\n"
    "  \\unset NAME            delete a variable\n"
    "  Use :NAME, :'NAME' (as literal) or :\"NAME\" (as identifier) in SQL.\n"
    "  ON_ERROR_STOP=1 stops a script at its first error.\n"
    "\n"
    "Statements end with ';'. COPY ... FROM STDIN reads data lines up to \"\\.\".\n";

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool var_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::optional<std::string> ArgLexer::next() {
  while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
  if (pos_ >= text_.size() || text_[pos_] == '\\') return std::nullopt;  // the next command
  std::string out;
  while (pos_ < text_.size() && !is_blank(text_[pos_])) {
    char c = text_[pos_];
    if (c == '\'') {
      ++pos_;
      while (pos_ < text_.size()) {
        char q = text_[pos_++];
        if (q == '\'') {
          if (pos_ < text_.size() && text_[pos_] == '\'') {
            out += '\'';
            ++pos_;
            continue;
          }
          break;
        }
        if (q == '\\' && pos_ < text_.size()) {
          char e = text_[pos_++];
          switch (e) {
            case 'n':
              out += '\n';
              break;
            case 't':
              out += '\t';
              break;
            case 'b':
              out += '\b';
              break;
            case 'r':
              out += '\r';
              break;
            case 'f':
              out += '\f';
              break;
            default:
              if (e >= '0' && e <= '7') {
                int v = e - '0';
                for (int k = 0; k < 2 && pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '7';
                     ++k) {
                  v = v * 8 + (text_[pos_++] - '0');
                }
                out += static_cast<char>(v);
              } else {
                out += e;
              }
          }
          continue;
        }
        out += q;
      }
    } else if (c == '"') {
      std::size_t close = text_.find('"', pos_ + 1);
      if (close == std::string_view::npos) close = text_.size() - 1;
      out.append(text_.substr(pos_, close - pos_ + 1));
      pos_ = close + 1;
    } else if (c == ':' && pos_ + 1 < text_.size()) {
      char q = text_[pos_ + 1];
      if (q == '\'' || q == '"') {
        std::size_t close = text_.find(q, pos_ + 2);
        if (close != std::string_view::npos) {
          auto it = variables_.find(text_.substr(pos_ + 2, close - pos_ - 2));
          if (it != variables_.end()) {
            out += q == '\'' ? quote_literal(it->second) : quote_identifier(it->second);
            pos_ = close + 1;
            continue;
          }
        }
      } else {
        std::size_t end = pos_ + 1;
        while (end < text_.size() && var_char(text_[end])) ++end;
        auto it = variables_.find(text_.substr(pos_ + 1, end - pos_ - 1));
        if (end > pos_ + 1 && it != variables_.end()) {
          out += it->second;
          pos_ = end;
          continue;
        }
      }
      out += c;
      ++pos_;
    } else {
      out += c;
      ++pos_;
    }
  }
  return out;
}

std::string ArgLexer::raw_words() {
  // Up to a word that starts with a backslash outside quotes.
  std::size_t i = pos_;
  char quote = 0;
  for (; i < text_.size(); ++i) {
    char c = text_[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '\\' && (i == pos_ || is_blank(text_[i - 1]))) {
      break;
    }
  }
  std::string_view words = text_.substr(pos_, i - pos_);
  pos_ = i;
  std::size_t b = 0;
  while (b < words.size() && is_blank(words[b])) ++b;
  std::size_t e = words.size();
  while (e > b && is_blank(words[e - 1])) --e;
  return std::string(words.substr(b, e - b));
}

std::string ArgLexer::rest() {
  std::string_view r = text_.substr(std::min(pos_, text_.size()));
  pos_ = text_.size();
  std::size_t b = 0;
  while (b < r.size() && is_blank(r[b])) ++b;
  std::size_t e = r.size();
  while (e > b && is_blank(r[e - 1])) --e;
  return std::string(r.substr(b, e - b));
}

namespace {

// ---- \pset ------------------------------------------------------------------

bool prefix_of(std::string_view value, std::string_view word) {
  return !value.empty() && value.size() <= word.size() &&
         strncasecmp(value.data(), word.data(), value.size()) == 0;
}

// psql's ParseVariableBool.
std::optional<bool> parse_bool(std::string_view value) {
  if (prefix_of(value, "true") || prefix_of(value, "yes") || (value.size() >= 2 && prefix_of(value, "on")) ||
      value == "1") {
    return true;
  }
  if (prefix_of(value, "false") || prefix_of(value, "no") || (value.size() >= 2 && prefix_of(value, "off")) ||
      value == "0") {
    return false;
  }
  return std::nullopt;
}

const char* format_name(PrintSettings::Format f) {
  switch (f) {
    case PrintSettings::Format::kAligned:
      return "aligned";
    case PrintSettings::Format::kUnaligned:
      return "unaligned";
    case PrintSettings::Format::kCsv:
      return "csv";
  }
  return "aligned";
}

std::string on_off(bool b) { return b ? "on" : "off"; }

// psql's pset_quoted_string.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    switch (c) {
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "'";
}

// Options psql has that pglite shows with their fixed value.
struct FixedOption {
  const char* name;
  const char* value;
};
constexpr FixedOption kFixedOptions[] = {{"fieldsep_zero", "off"},
                                         {"linestyle", "ascii"},
                                         {"numericlocale", "off"},
                                         {"pager", "0"},
                                         {"pager_min_lines", "0"},
                                         {"recordsep_zero", "off"},
                                         {"tableattr", ""},
                                         {"unicode_border_linestyle", "single"},
                                         {"unicode_column_linestyle", "single"},
                                         {"unicode_header_linestyle", "single"}};

std::string canonical_option(const std::string& name) {
  if (name == "t") return "tuples_only";
  if (name == "x") return "expanded";
  return name;
}

void print_pset_info(const std::string& name, const PrintSettings& s) {
  std::ostream& o = std::cout;
  if (name == "border") {
    o << "Border style is " << s.border << ".\n";
  } else if (name == "columns") {
    if (s.columns == 0) {
      o << "Target width is unset.\n";
    } else {
      o << "Target width is " << s.columns << ".\n";
    }
  } else if (name == "expanded") {
    o << (s.expanded == PrintSettings::Expanded::kAuto ? "Expanded display is used automatically.\n"
          : s.expanded == PrintSettings::Expanded::kOn ? "Expanded display is on.\n"
                                                       : "Expanded display is off.\n");
  } else if (name == "csv_fieldsep") {
    o << "Field separator for CSV is \"" << s.csv_field_sep << "\".\n";
  } else if (name == "fieldsep") {
    o << "Field separator is \"" << s.field_sep << "\".\n";
  } else if (name == "footer") {
    o << "Default footer is " << on_off(s.footer) << ".\n";
  } else if (name == "format") {
    o << "Output format is " << format_name(s.format) << ".\n";
  } else if (name == "null") {
    o << "Null display is \"" << s.null_display << "\".\n";
  } else if (name == "recordsep") {
    if (s.record_sep == "\n") {
      o << "Record separator is <newline>.\n";
    } else {
      o << "Record separator is \"" << s.record_sep << "\".\n";
    }
  } else if (name == "title") {
    if (s.title.empty()) {
      o << "Title is unset.\n";
    } else {
      o << "Title is \"" << s.title << "\".\n";
    }
  } else if (name == "tuples_only") {
    o << "Tuples only is " << on_off(s.tuples_only) << ".\n";
  }
}

void list_pset(const PrintSettings& s) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"border", std::to_string(s.border)},
      {"columns", std::to_string(s.columns)},
      {"csv_fieldsep", quoted(s.csv_field_sep)},
      {"expanded", s.expanded == PrintSettings::Expanded::kAuto
                       ? "auto"
                       : on_off(s.expanded == PrintSettings::Expanded::kOn)},
      {"fieldsep", quoted(s.field_sep)},
      {"footer", on_off(s.footer)},
      {"format", format_name(s.format)},
      {"null", quoted(s.null_display)},
      {"recordsep", quoted(s.record_sep)},
      {"title", s.title.empty() ? "" : quoted(s.title)},
      {"tuples_only", on_off(s.tuples_only)},
  };
  for (const FixedOption& f : kFixedOptions) rows.emplace_back(f.name, f.value);
  std::sort(rows.begin(), rows.end());
  for (const auto& [name, value] : rows) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%-24s ", name.c_str());
    std::cout << buf << value << "\n";
  }
}

// psql's do_pset; `value` nullopt = toggle or show. Returns false on error.
// Like psql, setting a Boolean option to an explicit value prints nothing.
bool do_pset(const std::string& raw_name, const std::optional<std::string>& value, PrintSettings& s) {
  const std::string name = canonical_option(raw_name);
  if (name == "tuples_only" || name == "footer") {
    bool& field = name == "footer" ? s.footer : s.tuples_only;
    if (value) {
      std::optional<bool> b = parse_bool(*value);
      if (!b) {
        std::cerr << "unrecognized value \"" << *value << "\" for \"" << raw_name << "\": Boolean expected\n";
        return false;
      }
      field = *b;
      return true;
    }
    field = !field;
  } else if (name == "border") {
    if (value) s.border = std::atoi(value->c_str());
  } else if (name == "columns") {
    if (value) s.columns = std::atoi(value->c_str());
  } else if (name == "expanded") {
    if (!value) {
      s.expanded = s.expanded == PrintSettings::Expanded::kOff ? PrintSettings::Expanded::kOn
                                                               : PrintSettings::Expanded::kOff;
    } else if (strcasecmp(value->c_str(), "auto") == 0) {
      s.expanded = PrintSettings::Expanded::kAuto;
    } else if (std::optional<bool> b = parse_bool(*value)) {
      s.expanded = *b ? PrintSettings::Expanded::kOn : PrintSettings::Expanded::kOff;
    } else {
      std::cerr << "unrecognized value \"" << *value << "\" for \"" << raw_name
                << "\"\nAvailable values are: on, off, auto.\n";
      return false;
    }
  } else if (name == "format") {
    if (value) {
      // psql's format names, so that abbreviations resolve as in psql.
      constexpr const char* kNames[] = {"aligned",         "asciidoc", "csv",       "html",   "latex",
                                        "latex-longtable", "troff-ms", "unaligned", "wrapped"};
      std::vector<const char*> matches;
      for (const char* n : kNames) {
        if (strcasecmp(value->c_str(), n) == 0) {
          matches = {n};
          break;
        }
        if (prefix_of(*value, n)) matches.push_back(n);
      }
      if (matches.size() > 1) {
        std::cerr << "\\pset: ambiguous abbreviation \"" << *value << "\" matches both \"" << matches[0]
                  << "\" and \"" << matches[1] << "\"\n";
        return false;
      }
      std::string chosen_name = matches.empty() ? "" : matches[0];
      PrintSettings::Format chosen;
      if (chosen_name == "aligned") {
        chosen = PrintSettings::Format::kAligned;
      } else if (chosen_name == "unaligned") {
        chosen = PrintSettings::Format::kUnaligned;
      } else if (chosen_name == "csv") {
        chosen = PrintSettings::Format::kCsv;
      } else {
        std::cerr << "\\pset: allowed formats are aligned, csv, unaligned\n";
        return false;
      }
      s.format = chosen;
    }
  } else if (name == "null") {
    if (value) s.null_display = *value;
  } else if (name == "fieldsep") {
    if (value) s.field_sep = *value;
  } else if (name == "recordsep") {
    if (value) s.record_sep = *value;
  } else if (name == "csv_fieldsep") {
    if (value) {
      if (value->size() != 1 || *value == "\"" || *value == "\n" || *value == "\r") {
        std::cerr << "\\pset: csv_fieldsep must be a single one-byte character\n";
        return false;
      }
      s.csv_field_sep = *value;
    }
  } else if (name == "title") {
    s.title = value.value_or("");
  } else if (name == "pager") {
    // There is no pager: any setting leaves it off (scripts often say
    // "\pset pager off").
    std::cout << "Pager usage is off.\n";
    return true;
  } else if (name == "linestyle" && value && prefix_of(*value, "ascii")) {
    std::cout << "Line style is ascii.\n";
    return true;
  } else {
    for (const FixedOption& f : kFixedOptions) {
      if (name == f.name) {
        std::cerr << "\\pset: option \"" << name << "\" is not supported by pglite\n";
        return false;
      }
    }
    std::cerr << "\\pset: unknown option: " << raw_name << "\n";
    return false;
  }
  print_pset_info(name, s);
  return true;
}

// ---- \copy ------------------------------------------------------------------

struct CopySpec {
  std::string before;  // table [(cols)] or (query)
  bool from = false;
  enum class Target { kFile, kStdin, kStdout, kPstdin, kPstdout } target = Target::kFile;
  std::string file;
  std::string after;  // options
};

std::optional<CopySpec> parse_copy(std::string_view text, std::string& error) {
  CopySpec spec;
  std::size_t i = 0;
  int depth = 0;
  std::size_t keyword = std::string_view::npos;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      std::size_t close = text.find(c, i + 1);
      i = close == std::string_view::npos ? text.size() : close + 1;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && std::isalpha(static_cast<unsigned char>(c)) &&
        (i == 0 || is_blank(text[i - 1]) || text[i - 1] == ')')) {
      std::size_t end = i;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
        ++end;
      std::string_view word = text.substr(i, end - i);
      if (i > 0 && (strncasecmp(word.data(), "from", 4) == 0 && word.size() == 4)) {
        spec.from = true;
        keyword = i;
        i = end;
        break;
      }
      if (i > 0 && (strncasecmp(word.data(), "to", 2) == 0 && word.size() == 2)) {
        keyword = i;
        i = end;
        break;
      }
      i = end;
      continue;
    }
    ++i;
  }
  if (keyword == std::string_view::npos) {
    error = "\\copy: parse error at end of line";
    return std::nullopt;
  }
  spec.before = std::string(text.substr(0, keyword));
  while (!spec.before.empty() && is_blank(spec.before.back())) spec.before.pop_back();
  while (i < text.size() && is_blank(text[i])) ++i;
  if (i >= text.size()) {
    error = "\\copy: parse error at end of line";
    return std::nullopt;
  }
  if (text[i] == '\'') {
    ++i;
    while (i < text.size()) {
      char c = text[i++];
      if (c == '\'') {
        if (i < text.size() && text[i] == '\'') {
          spec.file += '\'';
          ++i;
          continue;
        }
        break;
      }
      spec.file += c;
    }
  } else {
    std::size_t end = i;
    while (end < text.size() && !is_blank(text[end]) && text[end] != ';') ++end;
    std::string word(text.substr(i, end - i));
    i = end;
    auto is = [&](const char* w) { return strcasecmp(word.c_str(), w) == 0; };
    if (is("stdin")) {
      spec.target = CopySpec::Target::kStdin;
    } else if (is("stdout")) {
      spec.target = CopySpec::Target::kStdout;
    } else if (is("pstdin")) {
      spec.target = CopySpec::Target::kPstdin;
    } else if (is("pstdout")) {
      spec.target = CopySpec::Target::kPstdout;
    } else if (is("program")) {
      error = "\\copy: program is not supported by pglite";
      return std::nullopt;
    } else {
      spec.file = word;
    }
  }
  if (spec.target == CopySpec::Target::kFile && !spec.file.empty() && spec.file[0] == '~') {
    if (const char* home = std::getenv("HOME")) spec.file = home + spec.file.substr(1);
  }
  spec.after = std::string(text.substr(i));
  while (!spec.after.empty() && (is_blank(spec.after.back()) || spec.after.back() == ';'))
    spec.after.pop_back();
  return spec;
}

MetaResult do_copy(std::string_view args, ReplContext& ctx) {
  std::string error;
  std::optional<CopySpec> spec = parse_copy(args, error);
  if (!spec) {
    std::cerr << error << "\n";
    return MetaResult::kError;
  }
  using Target = CopySpec::Target;
  std::string sql = "COPY " + spec->before + (spec->from ? " FROM STDIN" : " TO STDOUT") + spec->after;
  Runner& runner = ctx.runner;
  if (spec->from) {
    std::string data;
    if (spec->target == Target::kFile) {
      std::ifstream in(spec->file, std::ios::binary);
      if (!in) {
        std::cerr << spec->file << ": " << std::strerror(errno) << "\n";
        return MetaResult::kError;
      }
      std::ostringstream buf;
      buf << in.rdbuf();
      data = buf.str();
    } else if (spec->target == Target::kPstdin) {
      for (std::string line; std::getline(std::cin, line) && line != "\\.";) data += line + "\n";
    } else if (spec->target == Target::kStdin) {
      std::optional<std::string> lines = read_copy_data_lines(ctx.reader);
      if (!lines) return MetaResult::kError;
      data = std::move(*lines);
    } else {
      std::cerr << "\\copy: parse error at \"" << (spec->target == Target::kStdout ? "stdout" : "pstdout")
                << "\"\n";
      return MetaResult::kError;
    }
    return runner.run_copy(sql, data) ? MetaResult::kOk : MetaResult::kError;
  }
  if (spec->target == Target::kStdout)
    return runner.run_copy_to(sql, runner.output()) ? MetaResult::kOk : MetaResult::kError;
  if (spec->target == Target::kPstdout)
    return runner.run_copy_to(sql, std::cout) ? MetaResult::kOk : MetaResult::kError;
  if (spec->target != Target::kFile) {
    std::cerr << "\\copy: parse error at \"" << (spec->target == Target::kStdin ? "stdin" : "pstdin")
              << "\"\n";
    return MetaResult::kError;
  }
  std::ofstream file(spec->file, std::ios::binary | std::ios::trunc);
  if (!file) {
    std::cerr << spec->file << ": " << std::strerror(errno) << "\n";
    return MetaResult::kError;
  }
  return runner.run_copy_to(sql, file) ? MetaResult::kOk : MetaResult::kError;
}

// ---- \i, \ir ----------------------------------------------------------------

MetaResult include_file(std::string path, bool relative, ReplContext& ctx) {
  if (relative && !path.empty() && path[0] != '/' && !ctx.script_path.empty()) {
    std::size_t slash = ctx.script_path.rfind('/');
    if (slash != std::string::npos) path = ctx.script_path.substr(0, slash + 1) + path;
  }
  ShellState local;
  ShellState& shell = ctx.shell != nullptr ? *ctx.shell : local;
  if (shell.include_depth >= 16) {
    std::cerr << path << ": too many nested \\i\n";
    return MetaResult::kError;
  }
  std::ifstream file;
  std::unique_ptr<LineReader> reader;
  if (path == "-") {
    reader = stream_reader(std::cin);
  } else {
    file.open(path);
    if (!file) {
      std::cerr << path << ": " << std::strerror(errno) << "\n";
      return MetaResult::kError;
    }
    reader = stream_reader(file);
  }
  ReplContext nested{ctx.runner, *reader, ctx.variables, ctx.database_name, ctx.restrict_key, &shell, path};
  ++shell.include_depth;
  int status = run_repl(nested);
  --shell.include_depth;
  ctx.restrict_key = nested.restrict_key;
  if (shell.quit) return MetaResult::kQuit;
  return status == 0 ? MetaResult::kOk : MetaResult::kError;
}

// ---- \watch -----------------------------------------------------------------

MetaResult do_watch(const std::optional<std::string>& arg, ReplContext& ctx, std::string& query_buffer) {
  std::string query = query_buffer;
  while (!query.empty() && is_blank(query.back())) query.pop_back();
  if (query.empty()) query = ctx.runner.last_query();
  query_buffer.clear();
  if (query.empty()) {
    std::cerr << "\\watch cannot be used with an empty query\n";
    return MetaResult::kError;
  }
  double seconds = 2;
  if (arg) {
    seconds = std::strtod(arg->c_str(), nullptr);
    if (seconds <= 0) seconds = 1;
  }
  PrintSettings& settings = ctx.runner.settings();
  const std::string user_title = settings.title;
  clear_interrupt();
  bool ok = true;
  for (;;) {
    std::time_t now = std::time(nullptr);
    char stamp[128];
    std::strftime(stamp, sizeof stamp, "%c", std::localtime(&now));
    char every[64];
    std::snprintf(every, sizeof every, " (every %gs)\n", seconds);
    settings.title = (user_title.empty() ? "" : user_title + "\t") + stamp + every;
    ok = ctx.runner.run(query);
    settings.title = user_title;
    if (!ok || interrupt_pending()) break;
    if (!sleep_unless_interrupted(seconds)) break;
  }
  clear_interrupt();
  return ok ? MetaResult::kOk : MetaResult::kError;
}

// ---- \echo ------------------------------------------------------------------

void echo(ArgLexer& args, std::ostream& out) {
  bool newline = true;
  bool first = true;
  while (std::optional<std::string> word = args.next()) {
    if (first && newline && *word == "-n") {
      newline = false;
      continue;
    }
    if (!first) out << ' ';
    out << *word;
    first = false;
  }
  if (newline) out << '\n';
  out.flush();
}

std::string scalar(Database& db, const char* sql) {
  try {
    Result r = db.exec(sql);
    if (r.rows() > 0 && r.value(0, 0)) return std::string(*r.value(0, 0));
  } catch (const Error&) {
  }
  return "";
}

}  // namespace

std::optional<std::string> read_copy_data_lines(LineReader& reader) {
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
  if (reader.interrupted()) {
    // As psql's CopyFail after Ctrl-C.
    std::cerr << "ERROR:  COPY from stdin failed: canceled by user\nSQLSTATE: 57014\n";
    return std::nullopt;
  }
  return data;
}

namespace {

MetaResult run_one(const std::string& cmd, ArgLexer& args, ReplContext& ctx, std::string& query_buffer) {
  // pg_dump 18 brackets its scripts with \restrict KEY ... \unrestrict KEY:
  // in between, no backslash command may run (a dumped string cannot smuggle
  // one in).
  if (!ctx.restrict_key.empty()) {
    std::optional<std::string> key = args.next();
    if (cmd == "\\unrestrict" && key && *key == ctx.restrict_key) {
      ctx.restrict_key.clear();
      return MetaResult::kOk;
    }
    std::cerr << "backslash commands are restricted; only \\unrestrict is allowed\n";
    return MetaResult::kError;
  }
  Runner& runner = ctx.runner;
  PrintSettings& settings = runner.settings();
  if (cmd == "\\restrict") {
    std::optional<std::string> key = args.next();
    if (key && !key->empty()) {
      ctx.restrict_key = *key;
      return MetaResult::kOk;
    }
  }
  if (cmd == "\\q" || cmd == "\\quit") {
    if (ctx.shell != nullptr) ctx.shell->quit = true;
    return MetaResult::kQuit;
  }
  if (cmd == "\\?" || cmd == "\\h" || cmd == "\\help") {
    std::cout << kMetaHelp;
    return MetaResult::kOk;
  }
  if (cmd == "\\set") {
    std::optional<std::string> name = args.next();
    if (!name) {
      for (const auto& [k, v] : ctx.variables) std::cout << k << " = '" << v << "'\n";
      return MetaResult::kOk;
    }
    std::string value;
    while (std::optional<std::string> word = args.next()) value += *word;  // psql concatenates the words
    ctx.variables[*name] = value;
    return MetaResult::kOk;
  }
  if (cmd == "\\unset") {
    std::optional<std::string> name = args.next();
    if (!name) {
      std::cerr << "\\unset: missing required argument\n";
      return MetaResult::kError;
    }
    ctx.variables.erase(*name);
    return MetaResult::kOk;
  }
  if (cmd == "\\echo") {
    echo(args, std::cout);
    return MetaResult::kOk;
  }
  if (cmd == "\\qecho") {
    echo(args, runner.output());
    return MetaResult::kOk;
  }
  if (cmd == "\\x") {
    return do_pset("expanded", args.next(), settings) ? MetaResult::kOk : MetaResult::kError;
  }
  if (cmd == "\\t") {
    return do_pset("tuples_only", args.next(), settings) ? MetaResult::kOk : MetaResult::kError;
  }
  if (cmd == "\\a") {
    bool ok = do_pset("format", settings.format != PrintSettings::Format::kAligned ? "aligned" : "unaligned",
                      settings);
    return ok ? MetaResult::kOk : MetaResult::kError;
  }
  if (cmd == "\\pset") {
    std::optional<std::string> name = args.next();
    if (!name) {
      list_pset(settings);
      return MetaResult::kOk;
    }
    return do_pset(*name, args.next(), settings) ? MetaResult::kOk : MetaResult::kError;
  }
  if (cmd == "\\timing") {
    std::optional<std::string> value = args.next();
    if (value) {
      std::optional<bool> b = parse_bool(*value);
      if (!b) {
        std::cerr << "unrecognized value \"" << *value << "\" for \"\\timing\": Boolean expected\n";
        return MetaResult::kError;
      }
      runner.timing = *b;
    } else {
      runner.timing = !runner.timing;
    }
    std::cout << (runner.timing ? "Timing is on.\n" : "Timing is off.\n");
    return MetaResult::kOk;
  }
  if (cmd == "\\i" || cmd == "\\include" || cmd == "\\ir" || cmd == "\\include_relative") {
    std::optional<std::string> file = args.next();
    if (!file) {
      std::cerr << cmd << ": missing required argument\n";
      return MetaResult::kError;
    }
    return include_file(*file, cmd == "\\ir" || cmd == "\\include_relative", ctx);
  }
  if (cmd == "\\o" || cmd == "\\out") {
    std::optional<std::string> file = args.next();
    if (!file) {
      runner.restore_output();
      return MetaResult::kOk;
    }
    if (!file->empty() && (*file)[0] == '|') {
      std::cerr << "\\o: piping to a command is not supported by pglite\n";
      return MetaResult::kError;
    }
    std::string error;
    if (!runner.redirect_output(*file, error)) {
      std::cerr << *file << ": " << error << "\n";
      return MetaResult::kError;
    }
    return MetaResult::kOk;
  }
  if (cmd == "\\copy") return do_copy(args.rest(), ctx);
  if (cmd == "\\conninfo") {
    std::string user = scalar(runner.database(), "SELECT current_user");
    std::string where = ctx.shell == nullptr || ctx.shell->data_dir.empty()
                            ? "temporary database"
                            : "data directory \"" + ctx.shell->data_dir + "\"";
    std::cout << "You are connected to database \"" << ctx.database_name << "\" as user \"" << user
              << "\" (embedded; " << where << ").\n";
    return MetaResult::kOk;
  }
  if (cmd == "\\encoding") {
    std::optional<std::string> encoding = args.next();
    if (!encoding) {
      std::cout << scalar(runner.database(), "SHOW client_encoding") << "\n";
      return MetaResult::kOk;
    }
    try {
      runner.database().exec("SET client_encoding TO " + quote_literal(*encoding));
    } catch (const Error&) {
      std::cerr << *encoding << ": invalid encoding name or conversion procedure not found\n";
      return MetaResult::kError;
    }
    return MetaResult::kOk;
  }
  if (cmd == "\\watch") return do_watch(args.next(), ctx, query_buffer);
  if (cmd == "\\g" || cmd == "\\gx") {
    std::string query = query_buffer;
    query_buffer.clear();
    if (query.find_first_not_of(" \t\r\n") == std::string::npos) query = runner.last_query();
    if (query.empty()) return MetaResult::kOk;
    if (args.next()) {
      std::cerr << cmd << ": output to a file or command is not supported by pglite\n";
      return MetaResult::kError;
    }
    const PrintSettings::Expanded saved = settings.expanded;
    if (cmd == "\\gx") settings.expanded = PrintSettings::Expanded::kOn;
    bool ok = runner.run(query);
    settings.expanded = saved;
    return ok ? MetaResult::kOk : MetaResult::kError;
  }
  if (cmd == "\\r" || cmd == "\\reset") {
    query_buffer.clear();
    if (ctx.reader.interactive()) std::cout << "Query buffer reset (cleared).\n";
    return MetaResult::kOk;
  }
  std::string describe_args = args.raw_words();
  std::optional<bool> described =
      run_describe(cmd, describe_args, runner.database(), settings, runner.output(), std::cerr);
  if (described) {
    runner.output().flush();
    return *described ? MetaResult::kOk : MetaResult::kError;
  }
  std::cerr << "invalid command " << cmd << "\n";
  if (ctx.reader.interactive()) std::cerr << "Try \\? for help.\n";
  return MetaResult::kError;
}

}  // namespace

MetaResult run_meta_command(const std::string& line, ReplContext& ctx, std::string& query_buffer) {
  // The command word: a backslash and letters, or one other character (\?).
  std::size_t end = 1;
  while (end < line.size() && !is_blank(line[end]) && line[end] != '\\' &&
         (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '_' || line[end] == '+' ||
          line[end] == '?' || line[end] == '!' || line[end] == '.')) {
    ++end;
  }
  if (end == 1 && line.size() > 1) end = 2;
  const std::string cmd = line.substr(0, end);
  const std::string arg_text = line.substr(end);
  ArgLexer args(arg_text, ctx.variables);
  const bool restricted = !ctx.restrict_key.empty();
  MetaResult result = run_one(cmd, args, ctx, query_buffer);
  if (result == MetaResult::kQuit || (restricted && result == MetaResult::kError)) return result;
  // As psql: words the command did not take are ignored with a warning; a
  // backslash starts the next command, "\\" ends this one (SQL may follow).
  while (std::optional<std::string> extra = args.next()) {
    std::cerr << cmd << ": extra argument \"" << *extra << "\" ignored\n";
  }
  std::string rest = args.rest();
  if (rest.rfind("\\\\", 0) == 0) {
    rest.erase(0, 2);
    rest.erase(0, std::min(rest.size(), rest.find_first_not_of(" \t")));
    if (!rest.empty() && rest[0] != '\\') {
      query_buffer += query_buffer.empty() ? rest : "\n" + rest;
      return result;
    }
  }
  if (rest.empty()) return result;
  MetaResult next = run_meta_command(rest, ctx, query_buffer);
  if (next == MetaResult::kOk) return result;
  return next;
}

}  // namespace pglite::cli
