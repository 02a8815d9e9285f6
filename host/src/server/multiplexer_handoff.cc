// What the backend is told when it changes hands between clients: the
// handoff before a client's batch, the follow-up after it (capturing what it
// changed, restoring what it undid for others), the cleanup after a client
// is gone. All plain SQL, written by session_state, temp_schemas and
// sql_statements.
#include <algorithm>
#include <optional>
#include <utility>

#include "pglite/error.h"
#include "protocol/backend_messages.h"
#include "protocol/framing.h"
#include "server/multiplexer.h"
#include "server/multiplexer_client.h"
#include "server/statement_scan.h"

namespace pglite::internal {
namespace {

// What the backend must see before a client's statements when it was left
// in a state nobody knows (a switch that failed): everything reset.
const SessionState kUnknown{"-- unknown", "-- unknown", ""};

// DataRows of a reply, in order.
std::vector<std::vector<std::optional<std::string_view>>> data_rows(std::string_view out) {
  std::vector<std::vector<std::optional<std::string_view>>> rows;
  protocol::MessageReader reader(out);
  while (std::optional<protocol::Message> m = reader.next()) {
    if (m->type != protocol::msg::kDataRow) continue;
    rows.emplace_back();
    protocol::parse_data_row(m->body, rows.back());
  }
  return rows;
}

// The first ErrorResponse in the replies to the Query messages `checked`
// marks (one reply per Query, each ending with ReadyForQuery).
std::optional<Error> error_in(std::string_view out, const std::vector<bool>& checked) {
  size_t segment = 0;
  protocol::MessageReader reader(out);
  while (std::optional<protocol::Message> m = reader.next()) {
    if (m->type == protocol::msg::kReadyForQuery) segment++;
    if (m->type == protocol::msg::kErrorResponse && segment < checked.size() && checked[segment]) {
      return protocol::parse_error_fields(m->body).to_error();
    }
  }
  return std::nullopt;
}

// For each Query message's reply (each ending with ReadyForQuery): whether it failed.
std::vector<bool> failed_queries(std::string_view out) {
  std::vector<bool> failed(1, false);
  protocol::MessageReader reader(out);
  while (std::optional<protocol::Message> m = reader.next()) {
    if (m->type == protocol::msg::kErrorResponse) failed.back() = true;
    if (m->type == protocol::msg::kReadyForQuery) failed.push_back(false);
  }
  return failed;
}

}  // namespace

// Makes `client`'s startup-packet settings the backend's RESET values (and
// the server's own for settings it has none of), as a native backend has
// them from its startup packet: RESET, RESET ALL, DISCARD ALL and SET ... TO
// DEFAULT return to them. The server's own are learnt first, before any
// client's are applied. True if it started a job.
bool Multiplexer::start_defaults(Client& client) {
  if (client.startup == client_defaults_) return false;
  if (!server_defaults_) {
    run_internal(query(session_state::kResetValuesSql), [this](const std::string& out) {
      server_defaults_.emplace();
      for (const auto& row : data_rows(out)) {
        if (row.size() != 2 || !row[0] || !row[1]) continue;
        std::string name(*row[0]);
        for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        (*server_defaults_)[name] = std::string(*row[1]);
      }
    });
    return true;
  }
  std::vector<std::pair<std::string, std::string>> changes = server_defaults();
  std::erase_if(changes, [&](const auto& change) { return client.startup.count(change.first) > 0; });
  for (const auto& [name, value] : client.startup) {
    auto now = client_defaults_.find(name);
    if (now == client_defaults_.end() || now->second != value) changes.emplace_back(name, value);
  }
  client_defaults_ = client.startup;
  internal_out_.clear();
  internal_then_ = nullptr;
  busy_ = kInternalJob;
  backend_lost_ = false;
  host_.set_client_defaults(kInternalJob, std::move(changes));
  return true;
}

std::vector<std::pair<std::string, std::string>> Multiplexer::server_defaults() const {
  std::vector<std::pair<std::string, std::string>> settings;
  for (const auto& [name, value] : client_defaults_) {
    if (!server_defaults_) break;
    auto server = server_defaults_->find(name);
    // A placeholder (myapp.x) has no server value: it keeps the client's.
    if (server != server_defaults_->end()) settings.emplace_back(name, server->second);
  }
  return settings;
}

// What `client`'s next batch may do with SQL-level prepared statements.
scan::SqlStatementUse Multiplexer::sql_statement_use(const Client& client) const {
  scan::SqlStatementUse use;
  if (client.ends.empty()) return use;
  std::string_view batch(client.pending.data(), client.ends.front());
  for (std::string_view part : {std::string_view(client.deferred), batch}) {
    protocol::MessageReader reader(part);
    while (std::optional<protocol::Message> m = reader.next()) {
      std::string_view sql = m->body;
      if (m->type == 'P') sql.remove_prefix(std::min(sql.size(), sql.find('\0') + 1));  // its name
      if (m->type == 'Q' || m->type == 'P') scan::note_sql_statement_use(sql, &use);
    }
  }
  return use;
}

void Multiplexer::forget_sql_statements(uint64_t id) {
  std::erase_if(sql_present_, [id](const auto& entry) { return entry.second == id; });
}

// A SQL-level prepared statement moves only for a batch that may use or
// see it: until then it stays as Postgres keeps it (its cached plan, and
// the errors of a plan that became invalid). Another client's statement
// that `client`'s next batch may name is deallocated; this client's that it
// may name and the backend lacks is prepared again.
void Multiplexer::sql_moves(const Client& client, std::vector<sql_statements::Statement>* deallocate,
                            std::vector<const sql_statements::Statement*>* prepare) const {
  scan::SqlStatementUse use = sql_statement_use(client);
  if (!use.uses) return;
  auto named = [&](const std::string& name) { return use.all || use.words.count(name) > 0; };
  for (const auto& [name, owner] : sql_present_) {
    if (owner != client.id && named(name)) deallocate->push_back({name, ""});
  }
  for (const auto& statement : client.sql_statements) {
    auto present = sql_present_.find(statement.name);
    bool ours = present != sql_present_.end() && present->second == client.id;
    if (!ours && named(statement.name) && !client.not_preparable.count(statement.name))
      prepare->push_back(&statement);
  }
}

// The statement moves of sql_moves() for a client inside its transaction
// block (no handoff runs there), each in a savepoint of its own so that
// one that fails does not abort the client's transaction. True if it
// started a job.
bool Multiplexer::start_sql_moves_in_transaction(Client& client) {
  std::vector<sql_statements::Statement> deallocate;
  std::vector<const sql_statements::Statement*> prepare;
  sql_moves(client, &deallocate, &prepare);
  if (deallocate.empty() && prepare.empty()) return false;
  std::string job;
  size_t index = 0;
  std::vector<std::pair<size_t, std::string>> prepared;  // (Query index, statement name)
  auto add = [&](const std::string& sql) {
    job += query("SAVEPOINT pglite_statement; " + sql);
    job += query("ROLLBACK TO SAVEPOINT pglite_statement; RELEASE SAVEPOINT pglite_statement");
    index += 2;
  };
  for (const auto& statement : deallocate) {
    add(sql_statements::deallocate_sql(statement));
    sql_present_.erase(statement.name);
  }
  for (const auto* statement : prepare) {
    prepared.emplace_back(index, statement->name);
    add(statement->prepare);
    sql_present_[statement->name] = client.id;
  }
  uint64_t id = client.id;
  run_internal(std::move(job), [this, id, prepared](const std::string& out) {
    std::vector<bool> failed = failed_queries(out);
    auto c = clients_.find(id);
    for (const auto& [at, name] : prepared) {
      if (at >= failed.size() || !failed[at]) continue;
      auto present = sql_present_.find(name);
      if (present != sql_present_.end() && present->second == id) sql_present_.erase(present);
      if (c != clients_.end()) c->second->not_preparable.insert(name);
    }
  });
  return true;
}

// Runs the handoff to `client` if one is needed; true if it did.
bool Multiplexer::start_handoff(Client& client) {
  std::vector<bool> checked;
  std::vector<std::pair<size_t, std::string>> prepared;  // (Query index, statement name)
  std::string job = handoff_job(client, &checked, &prepared);
  if (job.empty()) return false;
  uint64_t id = client.id;
  run_internal(std::move(job), [this, id, checked, prepared](const std::string& out) {
    // A statement that could not be prepared again is not in the backend
    // (its client keeps it: a later handoff tries again).
    std::vector<bool> failed = failed_queries(out);
    auto c = clients_.find(id);
    for (const auto& [index, name] : prepared) {
      if (index >= failed.size() || !failed[index]) continue;
      auto present = sql_present_.find(name);
      if (present != sql_present_.end() && present->second == id) sql_present_.erase(present);
      if (c != clients_.end()) c->second->not_preparable.insert(name);
    }
    std::optional<Error> error = error_in(out, checked);
    if (!error) return;
    // Whatever part failed, the backend's state is unknown: reset it all
    // next time, and let this client go on from the defaults (retrying
    // would fail the same way).
    applied_ = kUnknown;
    if (c == clients_.end()) return;
    c->second->state = {};
    c->second->handoff_failed = true;
    host_.send(id,
               protocol::notice_response("WARNING", error->sqlstate(),
                                         "could not restore this session's settings: " + error->message()));
  });
  return true;
}

// What the backend must run before `client`'s batch when another client
// used it last: the previous state reset (as the backend's user, in a
// transaction of its own), the previous client's SQL statements
// deallocated, the temporary schemas swapped, this client's settings and
// identity applied and its SQL statements prepared again. Empty when
// nothing changes hands. `checked`: which of its Query messages must not
// fail (a statement that cannot be prepared again is only lost).
std::string Multiplexer::handoff_job(Client& client, std::vector<bool>* checked,
                                     std::vector<std::pair<size_t, std::string>>* prepared) {
  bool swap_temp = temp_holder_ != client.id && (temp_holder_ != 0 || client.temp.schema != 0);
  std::vector<sql_statements::Statement> deallocate;
  std::vector<const sql_statements::Statement*> prepare;
  sql_moves(client, &deallocate, &prepare);
  bool swap_sql = !deallocate.empty() || !prepare.empty();
  if (applied_ == client.state && !swap_temp && !swap_sql) {
    state_holder_ = client.id;
    return {};
  }
  std::string job;
  auto add_query = [&](const std::string& sql, bool must_work) {
    if (sql.empty()) return;
    job += query(sql);
    checked->push_back(must_work);
  };
  add_query(session_state::reset_sql(applied_, backend_user_), true);
  for (const auto& statement : deallocate) {
    add_query(sql_statements::deallocate_sql(statement), false);
    sql_present_.erase(statement.name);
  }
  std::string sql;
  auto add = [&sql](const std::string& statement) {
    if (!statement.empty()) sql += (sql.empty() ? "" : "; ") + statement;
  };
  if (swap_temp && temp_names_.known()) {
    if (applied_.default_identity()) add(session_state::backend_user_sql(backend_user_));
    if (temp_holder_ != 0) add(temp_schemas::park_sql(temp_names_, temp_holder_));
    if (client.temp.schema != 0) {
      add(temp_schemas::unpark_sql(temp_names_, client.id));
      add(temp_schemas::refresh_sql(client.temp));
    }
  }
  if (swap_temp) {
    // Renaming schemas invalidates the search path, which Postgres then
    // recomputes with these schemas as pg_temp.
    host_.set_temp_namespace(client.temp);
    temp_holder_ = client.temp.schema != 0 ? client.id : 0;
  }
  add(session_state::apply_sql(client.state));
  add_query(sql, true);
  for (const auto* statement : prepare) {
    // Taken as there; the handoff's answer drops the ones that failed.
    prepared->emplace_back(checked->size(), statement->name);
    add_query(statement->prepare, false);
    sql_present_[statement->name] = client.id;
  }
  state_holder_ = client.id;
  applied_ = client.state;
  return job;
}

// After a client's batch, outside a transaction: restores for the others
// what it may have undone (LISTENs, statements), captures its session state
// if it may have changed, learns the temporary schemas' names.
void Multiplexer::followup(Client& c) {
  bool capture = std::exchange(c.settings_dirty, false);
  bool statements = std::exchange(c.sql_statements_dirty, false);
  bool cursors = std::exchange(c.cursors_dirty, false);
  bool locks = std::exchange(c.locks_dirty, false);
  bool names = c.temp.schema != 0 && !temp_names_.known();
  std::string job = restore_others(c);
  if (capture) job += query(session_state::capture_sql(c.placeholders));
  if (statements) job += query(sql_statements::kCaptureSql);
  if (cursors) job += query(session_state::kHoldableCursorsSql);
  if (locks) job += query(session_state::kAdvisoryLocksSql);
  if (names) job += query(temp_schemas::names_sql(c.temp));
  if (job.empty()) return schedule();
  uint64_t id = c.id;
  run_internal(
      std::move(job), [this, id, capture, statements, cursors, locks, names](const std::string& out) {
        auto rows = data_rows(out);
        size_t next = 0;
        auto it = clients_.find(id);
        Client* client = it == clients_.end() ? nullptr : it->second.get();
        if (capture) {
          std::optional<SessionState> state;
          if (next < rows.size()) state = session_state::parse_capture(rows[next++], backend_user_);
          if (!state) state = kUnknown;  // the capture failed: reset before anyone else runs
          applied_ = *state;
          if (client && state != kUnknown) client->state = *state;
        }
        if (statements && next < rows.size()) {
          const auto& row = rows[next++];
          if (client && !row.empty() && row[0]) {
            // The backend's statements less the other clients', and its own
            // that are elsewhere (moved out, or not preparable just now).
            std::vector<sql_statements::Statement> mine;
            std::set<std::string> in_backend;
            for (auto& statement : sql_statements::parse_capture(*row[0])) {
              in_backend.insert(statement.name);
              auto present = sql_present_.find(statement.name);
              if (present != sql_present_.end() && present->second != id) continue;
              mine.push_back(std::move(statement));
            }
            for (auto& statement : client->sql_statements) {
              auto present = sql_present_.find(statement.name);
              bool was_here = present != sql_present_.end() && present->second == id;
              if (!was_here && !in_backend.count(statement.name)) mine.push_back(std::move(statement));
            }
            forget_sql_statements(id);
            for (const auto& statement : mine) {
              if (in_backend.count(statement.name)) sql_present_[statement.name] = id;
            }
            client->sql_statements = std::move(mine);
          }
        }
        // What the backend holds, less what the other clients hold.
        auto own = [&](std::set<std::string> Client::*field) {
          const auto& row = rows[next++];
          if (!client || row.empty() || !row[0]) return;
          std::set<std::string> mine;
          for (std::string_view name : session_state::decode_fields(*row[0])) mine.emplace(name);
          for (const auto& [other_id, other] : clients_) {
            if (other_id == id) continue;
            for (const std::string& name : (*other).*field) mine.erase(name);
          }
          client->*field = std::move(mine);
        };
        if (cursors && next < rows.size()) own(&Client::cursors);
        if (locks && next < rows.size()) own(&Client::locks);
        if (names && next < rows.size() && rows[next].size() == 2 && rows[next][0] && rows[next][1]) {
          temp_names_ = {std::string(*rows[next][0]), std::string(*rows[next][1])};
        }
      });
}

// Restores for other clients what `c`'s batch may have undone in the
// shared backend: LISTEN channels and named statements (each re-parsed in a
// Sync segment of its own, so one failure does not skip the rest).
std::string Multiplexer::restore_others(Client& c) {
  bool listens = std::exchange(c.touched_listens, false);
  bool statements = std::exchange(c.touched_statements, false);
  std::set<std::string> channels;
  std::string out;
  for (const auto& [id, other] : clients_) {
    if (id == c.id || other->closing) continue;
    if (listens) channels.insert(other->channels.begin(), other->channels.end());
    if (!statements) continue;
    for (const auto& [name, parse] : other->statements) {
      out += protocol::message('C', "S" + name + '\0') + parse + protocol::message('S', "");
    }
  }
  if (!channels.empty()) out += query(session_state::listen_sql(channels));
  return out;
}

// After a client's batch: the temporary schemas it made (Postgres creates
// them on first use) or lost (the creating transaction rolled back).
void Multiplexer::note_temp_schemas(Client& c) {
  if (temp_holder_ != 0 && temp_holder_ != c.id) return;
  c.temp = host_.temp_namespace();
  temp_holder_ = c.temp.schema != 0 ? c.id : 0;
}

std::string Multiplexer::cleanup_batch(const Client& c) const {
  std::string cleanup;
  if (c.unsynced) {
    // It left mid-exchange: roll back the exchange's implicit transaction
    // (or skip to Sync after its error), then any transaction it began.
    cleanup += protocol::message('P', std::string("\0ROLLBACK\0\0\0", 12)) +
               protocol::message('B', std::string(8, '\0')) + protocol::message('E', std::string(5, '\0')) +
               protocol::message('S', "");
  }
  if (c.mid_transaction()) cleanup += query("ROLLBACK");
  for (const auto& [name, parse] : c.statements) cleanup += protocol::message('C', "S" + name + '\0');
  if (!c.statements.empty()) cleanup += protocol::message('S', "");
  // Channels no one else listens on.
  std::set<std::string> channels = c.channels;
  for (const auto& [id, other] : clients_) {
    if (id == c.id || other->closing) continue;
    for (const std::string& channel : other->channels) channels.erase(channel);
  }
  cleanup += query(session_state::unlisten_sql(channels));
  for (const std::string& cursor : c.cursors) cleanup += query(session_state::close_cursor_sql(cursor));
  // Its advisory locks: all of them if no one else holds any (a lock taken
  // twice needs two releases), else each once.
  if (!c.locks.empty()) {
    bool others = std::any_of(clients_.begin(), clients_.end(), [&](const auto& other) {
      return other.first != c.id && !other.second->locks.empty();
    });
    if (!others) {
      cleanup += query(session_state::kUnlockAllSql);
    } else {
      for (const std::string& unlock : c.locks) cleanup += query(unlock);
    }
  }
  for (const auto& [name, owner] : sql_present_) {
    if (owner == c.id) cleanup += query(sql_statements::deallocate_sql({name, ""}));
  }
  if (state_holder_ == c.id) {
    // Its state is the backend's: back to the backend's own user and the
    // defaults, in a transaction of its own.
    cleanup += query(session_state::reset_sql(applied_, backend_user_));
  }
  // Frees its sequence caches (the backend has them while the batch runs).
  if (c.sequences.table != 0 || sequence_holder_ == c.id) cleanup += query("DISCARD SEQUENCES");
  if (c.temp.schema != 0 && temp_names_.known()) {
    cleanup += query(session_state::backend_user_sql(backend_user_) + "; " +
                     temp_schemas::drop_sql(temp_names_, c.id, temp_holder_ != c.id));
    // The client whose state the backend has (another one) gets its
    // identity back: its next batch runs without a handoff.
    if (state_holder_ != c.id && applied_ != kUnknown && !applied_.default_identity())
      cleanup += query(session_state::apply_sql({"", applied_.session_user, applied_.role}));
  }
  return cleanup;
}

}  // namespace pglite::internal
