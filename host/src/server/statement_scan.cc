#include "server/statement_scan.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "pglite/error.h"
#include "protocol/backend_messages.h"
#include "protocol/framing.h"
#include "protocol/sqlstate.h"

namespace pglite::internal::scan {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// `word` equals `lower_word` (ASCII lower case) ignoring case, without a copy.
bool equals_lower(std::string_view word, std::string_view lower_word) {
  return word.size() == lower_word.size() && std::equal(word.begin(), word.end(), lower_word.begin(),
                                                        [](char a, char b) { return lower(a) == b; });
}

// Calls `visit(message)` for each complete message in `out` until it
// returns false.
template <typename Visit>
void each_message(std::string_view out, Visit visit) {
  protocol::MessageReader reader(out);
  while (std::optional<protocol::Message> m = reader.next()) {
    if (!visit(*m)) return;
  }
}

// Postgres' pg_split_opts: words separated by white space, a backslash
// takes the next character literally.
std::vector<std::string> split_options(std::string_view options) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < options.size(); i++) {
    char c = options[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::exchange(word, std::string()));
      in_word = false;
      continue;
    }
    if (c == '\\' && i + 1 < options.size()) c = options[++i];
    word += c;
    in_word = true;
  }
  if (in_word) words.push_back(word);
  return words;
}

std::pair<std::string, std::string> name_value(std::string_view assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw Error(sqlstate::kSyntaxError, "--" + std::string(assignment) + " requires a value");
  }
  std::string name(assignment.substr(0, eq));
  std::replace(name.begin(), name.end(), '-', '_');
  return {name, std::string(assignment.substr(eq + 1))};
}

}  // namespace

void track_listen(std::string_view sql, std::set<std::string>* channels) {
  sql = sql.substr(0, sql.find('\0'));  // the message body ends with NUL
  size_t i = sql.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return;
  char c0 = lower(sql[i]);
  if (c0 != 'l' && c0 != 'u') return;  // only LISTEN/UNLISTEN matter: skip the copy
  std::string s = lower(sql);
  bool listen = s.compare(i, 7, "listen ") == 0;
  bool unlisten = s.compare(i, 9, "unlisten ") == 0;
  if (!listen && !unlisten) return;
  size_t start = s.find_first_not_of(" \t\r\n", i + (listen ? 7 : 9));
  if (start == std::string::npos) return;
  size_t end = s.find_first_of(" \t\r\n;", start);
  std::string channel(sql.substr(start, end == std::string::npos ? sql.size() - start : end - start));
  if (channel.size() > 1 && channel.front() == '"' && channel.back() == '"') {
    channel = channel.substr(1, channel.size() - 2);
  } else {
    channel = lower(channel);
  }
  if (listen) {
    channels->insert(channel);
  } else if (channel == "*") {
    channels->clear();
  } else {
    channels->erase(channel);
  }
}

int parse_only_batch(std::string_view batch) {
  int parses = 0;
  protocol::MessageReader reader(batch);
  while (std::optional<protocol::Message> m = reader.next()) {
    if (reader.remaining().empty()) return m->type == 'S' ? parses : 0;
    if (m->type != 'P') return 0;
    parses++;
  }
  return 0;
}

size_t count_messages(std::string_view messages, char type) {
  size_t count = 0;
  each_message(messages, [&](const protocol::Message& m) {
    count += m.type == type;
    return true;
  });
  return count;
}

char last_message_type(std::string_view messages) {
  char last = 0;
  each_message(messages, [&](const protocol::Message& m) {
    last = m.type;
    return true;
  });
  return last;
}

bool extended_exchange_open(std::string_view messages, bool open) {
  each_message(messages, [&](const protocol::Message& m) {
    if (m.type == 'S') {
      open = false;
    } else if (m.type == 'P' || m.type == 'B' || m.type == 'E' || m.type == 'D' || m.type == 'C') {
      open = true;
    }
    return true;
  });
  return open;
}

bool uses_earlier_unnamed_statement(std::string_view batch) {
  bool uses = false;
  each_message(batch, [&](const protocol::Message& m) {
    std::string_view body = m.body;
    if (m.type == 'P') return !body.empty() && body[0] != '\0';  // a new unnamed one: stop
    if (m.type == 'B') {
      size_t portal_end = body.find('\0');
      uses = portal_end != std::string_view::npos && portal_end + 1 < body.size() &&
             body[portal_end + 1] == '\0';
    } else if (m.type == 'D') {
      uses = body.size() >= 2 && body[0] == 'S' && body[1] == '\0';
    }
    return !uses;
  });
  return uses;
}

void note_sql_statement_use(std::string_view sql, SqlStatementUse* use) {
  auto is_word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  bool deallocate = false;  // in a DEALLOCATE statement
  for (size_t i = 0; i < sql.size();) {
    char c = sql[i];
    if (c == ';') {
      deallocate = false;
      ++i;
    } else if (c == '\'' || c == '"') {  // a literal or quoted identifier ('' and "" inside)
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c && (end + 1 >= sql.size() || sql[end + 1] != c)) break;
        end += sql[end] == c ? 2 : 1;
      }
      std::string_view inside = sql.substr(i + 1, std::min(end, sql.size()) - i - 1);
      if (c == '\'') {
        // A literal may be SQL run as it is (explain_filter('EXECUTE q')).
        note_sql_statement_use(inside, use);
      } else {
        std::string name;
        for (size_t k = 0; k < inside.size(); k++) {
          name += inside[k];
          if (inside[k] == '"') k++;  // "" is one quote
        }
        use->words.insert(std::move(name));
      }
      i = end + 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '$' && (i == 0 || !is_word_char(sql[i - 1]))) {
      // A dollar-quoted body ($$...$$, $fn$...$fn$): a function's EXECUTE and
      // BEGIN are its own (dynamic SQL, a block), not prepared statements.
      size_t tag_end = sql.find('$', i + 1);
      std::string_view tag =
          tag_end == std::string_view::npos ? std::string_view() : sql.substr(i, tag_end + 1 - i);
      bool valid = !tag.empty() && std::all_of(tag.begin() + 1, tag.end() - 1, [](char t) {
        return std::isalnum(static_cast<unsigned char>(t)) || t == '_';
      });
      if (!valid) {
        ++i;
        continue;
      }
      size_t end = sql.find(tag, tag_end + 1);
      i = end == std::string_view::npos ? sql.size() : end + tag.size();
    } else if (is_word_char(c)) {
      size_t end = i;
      while (end < sql.size() && is_word_char(sql[end])) ++end;
      std::string word(sql.substr(i, end - i));
      for (char& w : word) w = static_cast<char>(std::tolower(static_cast<unsigned char>(w)));
      if (word == "prepare" || word == "execute") use->uses = true;
      if (word == "deallocate") use->uses = deallocate = true;
      if (word == "discard" || word == "pg_prepared_statements" || (deallocate && word == "all")) {
        use->uses = use->all = true;
      }
      use->words.insert(std::move(word));
      i = end;
    } else {
      ++i;
    }
  }
}

bool uses_sql_statements(std::string_view sql) {
  SqlStatementUse use;
  note_sql_statement_use(sql, &use);
  return use.uses;
}

SessionEffects session_effects(std::string_view msg) {
  SessionEffects effects;
  std::string_view body = msg.substr(5);
  auto is_word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  bool after_update = false;  // an UPDATE whose SET has not been seen yet
  for (size_t i = 0; i < body.size();) {
    if (body[i] == ';') after_update = false;
    if (!is_word_char(body[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < body.size() && is_word_char(body[end])) ++end;
    const std::string_view word = body.substr(i, end - i);
    i = end;
    switch (lower(word[0])) {  // most words are none of these: one compare
      case 'u':
        if (equals_lower(word, "update")) after_update = true;
        if (equals_lower(word, "unlisten")) effects.listens = true;
        break;
      case 's':
        if (equals_lower(word, "set")) {
          if (!std::exchange(after_update, false)) effects.settings = true;
        } else if (equals_lower(word, "set_config")) {
          effects.settings = true;
        }
        break;
      case 'r':
        if (equals_lower(word, "reset")) effects.settings = true;
        break;
      case 'd':
        if (equals_lower(word, "discard")) {
          effects.settings = effects.listens = effects.statements = true;
          effects.sql_statements = effects.cursors = effects.locks = true;
        } else if (equals_lower(word, "deallocate")) {
          effects.statements = effects.sql_statements = true;
        }
        break;
      case 'p':
        if (equals_lower(word, "prepare")) effects.sql_statements = true;
        // pg_advisory_lock, pg_try_advisory_lock_shared, pg_advisory_unlock_all, ...
        if (word.size() > 11 && (equals_lower(word.substr(0, 11), "pg_advisory") ||
                                 (word.size() > 15 && equals_lower(word.substr(0, 15), "pg_try_advisory")))) {
          effects.locks = true;
        }
        break;
      case 'h':
        if (equals_lower(word, "hold")) effects.cursors = true;
        break;
      case 'c':
        if (equals_lower(word, "close")) effects.cursors = true;
        break;
      default:
        break;
    }
  }
  return effects;
}

bool may_change_settings(std::string_view msg) { return session_effects(msg).settings; }

std::optional<std::string> first_value(std::string_view out) {
  std::optional<std::string> value;
  each_message(out, [&](const protocol::Message& m) {
    if (m.type != protocol::msg::kDataRow) return true;
    std::vector<std::optional<std::string_view>> columns;
    protocol::parse_data_row(m.body, columns);
    value = columns.empty() ? std::string() : std::string(columns[0].value_or(""));
    return false;
  });
  return value;
}

std::optional<Error> first_error(std::string_view out) {
  std::optional<Error> error;
  each_message(out, [&](const protocol::Message& m) {
    if (m.type != protocol::msg::kErrorResponse) return true;
    error = protocol::parse_error_fields(m.body).to_error();
    return false;
  });
  return error;
}

std::vector<std::string> parameter_statuses(std::string_view out) {
  std::vector<std::string> found;
  each_message(out, [&](const protocol::Message& m) {
    if (m.type == protocol::msg::kParameterStatus) found.emplace_back(m.frame);
    return true;
  });
  return found;
}

std::vector<std::pair<std::string, std::string>> startup_settings(
    const std::vector<std::pair<std::string, std::string>>& params) {
  std::vector<std::pair<std::string, std::string>> settings;
  for (const auto& [key, value] : params) {
    if (key == "user" || key == "database" || key == "replication" || key.starts_with("_pq_.")) continue;
    if (key != "options") {
      settings.emplace_back(key, value);
      continue;
    }
    std::vector<std::string> words = split_options(value);
    for (size_t i = 0; i < words.size(); i++) {
      const std::string& w = words[i];
      if (w == "-c" && i + 1 < words.size()) {
        settings.push_back(name_value(words[++i]));
      } else if (w.starts_with("-c") && w.size() > 2) {
        settings.push_back(name_value(std::string_view(w).substr(2)));
      } else if (w.starts_with("--") && w.size() > 2) {
        settings.push_back(name_value(std::string_view(w).substr(2)));
      } else {
        throw Error(sqlstate::kProtocolViolation,
                    "unsupported startup option \"" + w + "\" (only -c name=value and --name=value)");
      }
    }
  }
  return settings;
}

}  // namespace pglite::internal::scan
