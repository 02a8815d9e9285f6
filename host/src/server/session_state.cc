#include "server/session_state.h"

#include <cctype>

#include "pglite/sql_quote.h"

namespace pglite::internal::session_state {
namespace {

// Per-transaction settings (guc_tables.c: GUC_NO_RESET_ALL): pg_settings
// shows them with source "session" after a plain SET, but each transaction
// starts from the default_transaction_* values, and setting one after the
// transaction's first query fails. Never captured.
constexpr const char* kPerTransaction =
    "'transaction_isolation', 'transaction_read_only', 'transaction_deferrable'";

bool word_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

void add(std::string& sql, std::string_view statement) {
  if (statement.empty()) return;
  if (!sql.empty()) sql += "; ";
  sql += statement;
}

}  // namespace

std::string capture_sql(const std::set<std::string>& placeholders) {
  std::string sql =
      "SELECT session_user, pg_catalog.current_setting('role'), "
      "coalesce((SELECT pg_catalog.string_agg(pg_catalog.format('SELECT pg_catalog.set_config(%L, %L, "
      "false)', "
      "name, setting), '; ' ORDER BY name) FROM pg_catalog.pg_settings WHERE source = 'session' AND name NOT "
      "IN (";
  sql += kPerTransaction;
  sql += ")), '')";
  if (!placeholders.empty()) {
    sql +=
        ", coalesce((SELECT pg_catalog.string_agg(pg_catalog.format('SELECT pg_catalog.set_config(%L, %L, "
        "false)', "
        "n, v), '; ' ORDER BY n) FROM (SELECT n, pg_catalog.current_setting(n, true) FROM (VALUES ";
    bool first = true;
    for (const std::string& name : placeholders) {
      sql += first ? "(" : ", (";
      sql += quote_literal(name) + ")";
      first = false;
    }
    sql += ") p(n)) s(n, v) WHERE v <> '' AND n NOT IN (SELECT name FROM pg_catalog.pg_settings)), '')";
  }
  return sql;
}

std::optional<SessionState> parse_capture(const std::vector<std::optional<std::string_view>>& row,
                                          std::string_view backend_user) {
  if (row.size() < 3 || !row[0] || !row[1] || !row[2]) return std::nullopt;
  SessionState state;
  if (*row[0] != backend_user) state.session_user = std::string(*row[0]);
  if (*row[1] != "none") state.role = std::string(*row[1]);
  state.settings = std::string(*row[2]);
  if (row.size() > 3 && row[3]) add(state.settings, *row[3]);
  return state;
}

std::string reset_sql(const SessionState& applied, std::string_view backend_user) {
  std::string sql;
  // SET SESSION AUTHORIZATION also ends SET ROLE. RESET SESSION
  // AUTHORIZATION would do, but a single-user backend may not know its
  // reset value: naming the user works either way.
  if (!applied.default_identity()) add(sql, backend_user_sql(backend_user));
  if (!applied.settings.empty()) add(sql, "RESET ALL");
  return sql;
}

std::string backend_user_sql(std::string_view backend_user) {
  return "SET SESSION AUTHORIZATION " + quote_identifier(backend_user);
}

std::string apply_sql(const SessionState& target) {
  std::string sql = target.settings;
  if (!target.session_user.empty())
    add(sql, "SET SESSION AUTHORIZATION " + quote_identifier(target.session_user));
  if (!target.role.empty()) add(sql, "SET ROLE " + quote_identifier(target.role));
  return sql;
}

const char* const kResetValuesSql = "SELECT name, reset_val FROM pg_catalog.pg_settings";

std::string startup_settings_sql(const std::vector<std::pair<std::string, std::string>>& settings) {
  std::string sql;
  for (const auto& [name, value] : settings) {
    // set_config() takes list values (search_path=a,b) as they are; SET would quote them.
    add(sql,
        "SELECT pg_catalog.set_config(" + quote_literal(name) + ", " + quote_literal(value) + ", false)");
  }
  for (const auto& [name, value] : settings) add(sql, "RESET " + quote_identifier(name));
  return sql;
}

std::vector<std::string_view> decode_fields(std::string_view value) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < value.size()) {
    size_t colon = value.find(':', pos);
    if (colon == std::string_view::npos || colon == pos) break;
    size_t length = 0;
    bool digits = true;
    for (size_t i = pos; i < colon; i++) {
      digits = digits && std::isdigit(static_cast<unsigned char>(value[i]));
      if (digits) length = length * 10 + static_cast<size_t>(value[i] - '0');
    }
    if (!digits || colon + 1 + length > value.size()) break;
    fields.push_back(value.substr(colon + 1, length));
    pos = colon + 1 + length;
  }
  return fields;
}

const char* const kHoldableCursorsSql =
    "SELECT coalesce(pg_catalog.string_agg(pg_catalog.octet_length(name) || ':' || name, '' ORDER BY name), "
    "'') "
    "FROM pg_catalog.pg_cursors WHERE is_holdable";

// pg_locks shows an advisory lock's key as classid/objid (unsigned): one
// bigint (objsubid 1: high and low halves) or two int4 keys (objsubid 2).
const char* const kAdvisoryLocksSql =
    "SELECT coalesce(pg_catalog.string_agg(pg_catalog.octet_length(u) || ':' || u, '' ORDER BY u), '') FROM ("
    "SELECT pg_catalog.format('SELECT pg_catalog.pg_advisory_unlock%s(%s)', "
    "CASE WHEN mode = 'ShareLock' THEN '_shared' ELSE '' END, "
    "CASE WHEN objsubid = 1 THEN ((classid::int8 << 32) | objid::int8)::text "
    "ELSE (classid::int8 - CASE WHEN classid::int8 > 2147483647 THEN 4294967296 ELSE 0 END) || ', ' || "
    "(objid::int8 - CASE WHEN objid::int8 > 2147483647 THEN 4294967296 ELSE 0 END) END) AS u "
    "FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid() AND granted) "
    "s";

std::string close_cursor_sql(std::string_view name) { return "CLOSE " + quote_identifier(name); }

std::string listen_sql(const std::set<std::string>& channels) {
  std::string sql;
  for (const std::string& channel : channels) add(sql, "LISTEN " + quote_identifier(channel));
  return sql;
}

std::string unlisten_sql(const std::set<std::string>& channels) {
  std::string sql;
  for (const std::string& channel : channels) add(sql, "UNLISTEN " + quote_identifier(channel));
  return sql;
}

void note_placeholders(std::string_view msg, std::set<std::string>* names, size_t limit) {
  std::string_view body = msg.size() > 5 ? msg.substr(5) : std::string_view();
  auto word_at = [&](size_t i) {
    size_t end = i;
    while (end < body.size() && word_char(body[end])) ++end;
    return end;
  };
  for (size_t i = 0; i < body.size() && names->size() < limit;) {
    if (!word_start(body[i]) || (i > 0 && word_char(body[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = word_at(i);
    if (end + 1 < body.size() && body[end] == '.' && word_start(body[end + 1])) {
      size_t end2 = word_at(end + 1);
      // custom.my.qualified.guc: any number of parts
      while (end2 + 1 < body.size() && body[end2] == '.' && word_start(body[end2 + 1]))
        end2 = word_at(end2 + 1);
      std::string name(body.substr(i, end2 - i));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      names->insert(std::move(name));
      i = end2;
    } else {
      i = end;
    }
  }
}

}  // namespace pglite::internal::session_state
