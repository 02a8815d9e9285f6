#include <cctype>

#include "pglite/script.h"
#include "pglite/sql_quote.h"

namespace pglite {
namespace {

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '$'; }
bool var_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n\f;") == std::string_view::npos; }

// psql's :'name' form: E'' when the value has backslashes.
std::string quote_variable(std::string_view value) {
  bool backslash = value.find('\\') != std::string_view::npos;
  std::string out = backslash ? "E'" : "'";
  for (char c : value) {
    if (c == '\'' || (backslash && c == '\\')) out.push_back(c);
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

// At line[i] == ':' in normal state: appends the interpolated text or the
// colon itself, leaving i on the last consumed character.
void ScriptSplitter::interpolate(std::string_view line, std::size_t& i) {
  std::size_t start = i + 1;
  if (start < line.size() && line[start] == ':') {  // "::" cast
    buffer_ += "::";
    ++i;
    return;
  }
  if (variables_ != nullptr && start < line.size()) {
    char q = line[start];
    if (q == '\'' || q == '"') {
      std::size_t close = line.find(q, start + 1);
      if (close != std::string_view::npos) {
        std::string_view name = line.substr(start + 1, close - start - 1);
        auto it = variables_->find(name);
        if (it != variables_->end() && !name.empty()) {
          buffer_ += q == '\'' ? quote_variable(it->second) : quote_identifier(it->second);
          i = close;
          return;
        }
      }
    } else {
      std::size_t end = start;
      while (end < line.size() && var_char(line[end])) ++end;
      auto it = variables_->find(line.substr(start, end - start));
      if (end > start && it != variables_->end()) {
        buffer_ += it->second;
        i = end - 1;
        return;
      }
    }
  }
  buffer_ += ':';
}

std::vector<ScriptSplitter::Piece> ScriptSplitter::add_line(std::string_view line) {
  std::vector<Piece> done;
  if (!buffer_.empty()) buffer_ += '\n';
  if (state_ == State::kLineComment) state_ = State::kNormal;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    char next = i + 1 < line.size() ? line[i + 1] : '\0';
    char prev = i > 0 ? line[i - 1] : '\0';
    switch (state_) {
      case State::kNormal:
        if (c == '\'') {
          bool escape = (prev == 'E' || prev == 'e') && (i < 2 || !ident_char(line[i - 2]));
          state_ = escape ? State::kEscapeString : State::kSingle;
        } else if (c == '"') {
          state_ = State::kDouble;
        } else if (c == '-' && next == '-') {
          state_ = State::kLineComment;
        } else if (c == '/' && next == '*') {
          state_ = State::kBlock;
          block_depth_ = 1;
          buffer_ += "/*";
          ++i;
          continue;
        } else if (c == '$' && !ident_char(prev)) {
          std::size_t end = i + 1;
          if (end < line.size() && ident_start(line[end]) && line[end] != '$') {
            while (end < line.size() && ident_char(line[end]) && line[end] != '$') ++end;
          }
          if (end < line.size() && line[end] == '$') {
            dollar_tag_ = std::string(line.substr(i, end - i + 1));
            state_ = State::kDollar;
            buffer_ += dollar_tag_;
            i = end;
            continue;
          }
        } else if (c == ':') {
          interpolate(line, i);
          continue;
        } else if (c == '(') {
          ++paren_depth_;
        } else if (c == ')') {
          if (paren_depth_ > 0) --paren_depth_;
        } else if (c == ';' && paren_depth_ == 0) {
          buffer_ += c;
          if (!blank(buffer_)) done.push_back({Piece::Kind::kStatement, std::move(buffer_)});
          buffer_.clear();
          continue;
        } else if (c == '\\') {
          std::string_view meta = line.substr(i);
          meta.remove_suffix(meta.size() - (meta.find_last_not_of(" \t\r") + 1));
          done.push_back({Piece::Kind::kMeta, std::string(meta)});
          i = line.size();
          continue;
        }
        break;
      case State::kSingle:
        if (c == '\'') state_ = State::kNormal;  // '' re-enters immediately
        break;
      case State::kEscapeString:
        if (c == '\\' && i + 1 < line.size()) {
          buffer_ += c;
          c = line[++i];
        } else if (c == '\'') {
          state_ = State::kNormal;
        }
        break;
      case State::kDouble:
        if (c == '"') state_ = State::kNormal;
        break;
      case State::kDollar:
        if (c == '$' && line.substr(i, dollar_tag_.size()) == dollar_tag_) {
          buffer_ += dollar_tag_;
          i += dollar_tag_.size() - 1;
          state_ = State::kNormal;
          continue;
        }
        break;
      case State::kLineComment:
        break;
      case State::kBlock:
        if (c == '/' && next == '*') {
          ++block_depth_;
          buffer_ += "/*";
          ++i;
          continue;
        }
        if (c == '*' && next == '/') {
          if (--block_depth_ == 0) state_ = State::kNormal;
          buffer_ += "*/";
          ++i;
          continue;
        }
        break;
    }
    buffer_ += c;
  }
  if (blank(buffer_) && state_ == State::kNormal) buffer_.clear();
  return done;
}

bool ScriptSplitter::empty() const { return blank(buffer_) && state_ != State::kBlock; }

std::string ScriptSplitter::take_pending() {
  std::string out = blank(buffer_) ? std::string() : std::move(buffer_);
  buffer_.clear();
  state_ = State::kNormal;
  block_depth_ = paren_depth_ = 0;
  dollar_tag_.clear();
  return out;
}

char ScriptSplitter::prompt_marker() const {
  switch (state_) {
    case State::kSingle:
    case State::kEscapeString:
      return '\'';
    case State::kDouble:
      return '"';
    case State::kDollar:
      return '$';
    case State::kBlock:
      return '*';
    default:
      break;
  }
  if (paren_depth_ > 0) return '(';
  return empty() ? '=' : '-';
}

bool is_copy_from_stdin(std::string_view sql) {
  // Skip leading blanks and comments.
  for (;;) {
    std::size_t start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return false;
    sql.remove_prefix(start);
    if (sql.substr(0, 2) == "--") {
      std::size_t eol = sql.find('\n');
      if (eol == std::string_view::npos) return false;
      sql.remove_prefix(eol + 1);
    } else if (sql.substr(0, 2) == "/*") {
      std::size_t end = sql.find("*/");
      if (end == std::string_view::npos) return false;
      sql.remove_prefix(end + 2);
    } else {
      break;
    }
  }
  // Normalize: lower case, whitespace runs to one space, trailing ';' dropped.
  std::string s;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!s.empty() && s.back() != ' ') s += ' ';
    } else {
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == ';')) s.pop_back();
  if (s.rfind("copy ", 0) != 0 || s.find(';') != std::string::npos) return false;
  std::size_t at = s.find(" from stdin");
  return at != std::string::npos && (at + 11 == s.size() || s[at + 11] == ' ' || s[at + 11] == '(');
}

}  // namespace pglite
