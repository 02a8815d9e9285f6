#include "server/multiplexer.h"

#include <algorithm>
#include <cctype>
#include <random>
#include <utility>

#include "pglite/error.h"
#include "protocol/backend_messages.h"
#include "protocol/framing.h"
#include "protocol/frontend.h"
#include "protocol/sqlstate.h"
#include "server/multiplexer_client.h"
#include "server/statement_scan.h"
#include "server/wire.h"

namespace pglite::internal {
namespace {

// In unconfirmed_parses: a statement closed before its ParseComplete.
const std::string kClosedStatement(1, '\0');

// A backend that could not be restarted is tried again by a new connection
// at most this often.
constexpr std::chrono::seconds kRestartRetryInterval(1);

}  // namespace

Multiplexer::Multiplexer(MultiplexerHost& host, std::string handshake, std::string backend_user)
    : host_(host), handshake_(std::move(handshake)), backend_user_(std::move(backend_user)) {}

Multiplexer::~Multiplexer() = default;

// ---- connections ----

void Multiplexer::connect(uint64_t id,
                          const std::vector<std::pair<std::string, std::string>>& startup_settings) {
  auto owned = std::make_unique<Client>();
  Client& c = *owned;
  c.id = id;
  c.prefix = "pgl" + std::to_string(id) + "_";
  clients_[id] = std::move(owned);
  if (dead_ && !restarting_ && std::chrono::steady_clock::now() - last_restart_ >= kRestartRetryInterval) {
    // What stopped the last restart may be gone (a full disk has room
    // again): a new connection tries once more, and waits for it.
    restarting_ = true;
    last_restart_ = std::chrono::steady_clock::now();
    host_.restart_backend();
  }
  if (dead_ && !restarting_) {
    c.crashed = true;  // nothing of it in any backend: nothing to clean up
    return fail_client(c, sqlstate::kCannotConnectNow, "the database system is not available: " + *dead_);
  }
  if (startup_settings.empty()) {
    c.connected = true;
    return host_.send(id, client_handshake(c, {}));
  }
  for (const auto& [name, value] : startup_settings) {
    std::string lower = name;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    c.startup[lower] = value;
  }
  // Run once its settings are the backend's RESET values (start_defaults):
  // reports a bad one, and makes the handshake's ParameterStatus show them.
  c.pending = query(session_state::startup_settings_sql(startup_settings));
  c.ends.push_back(c.pending.size());
  c.awaiting_startup = true;
  c.settings_dirty = true;
  turn_.push_back(id);
  schedule();
}

void Multiplexer::fail_client(Client& c, const char* sqlstate, const std::string& text) {
  host_.send(c.id, protocol::error_response("FATAL", sqlstate, text));
  c.closing = true;
  host_.close(c.id);
}

void Multiplexer::message(uint64_t id, std::string_view msg) {
  auto it = clients_.find(id);
  if (it == clients_.end() || it->second->closing || msg.size() < 5) return;
  Client& c = *it->second;
  char type = msg[0];
  std::string renamed = wire::rename_objects(msg, c.prefix);
  if (type == 'P') {
    std::string name = wire::parsed_statement_name(msg);
    c.unconfirmed_parses.emplace_back(name.empty() ? name : c.prefix + name, renamed);
    if (name.empty()) c.unnamed_parse.clear();  // Postgres drops the old one first
  } else if (type == 'C' && msg.size() > 6 && msg[5] == 'S') {
    std::string name = c.prefix + std::string(msg.substr(6, msg.find('\0', 6) - 6));
    c.statements.erase(name);
    for (auto& parse : c.unconfirmed_parses) {
      if (parse.first == name) parse.first = kClosedStatement;
    }
  } else if (type == 'Q') {
    scan::track_listen(msg.substr(5), &c.channels);
    c.unnamed_parse.clear();  // a simple query drops the unnamed statement
  }
  if (type == 'Q' || type == 'P') {
    // Which shared session state the statement may change (cheap text
    // checks; a false positive costs one follow-up query).
    scan::SessionEffects effects = scan::session_effects(msg);
    if (effects.settings) {
      c.settings_dirty = true;
      session_state::note_placeholders(msg, &c.placeholders);
    }
    c.touched_listens |= effects.listens;
    c.touched_statements |= effects.statements;
    c.sql_statements_dirty |= effects.sql_statements;
    c.cursors_dirty |= effects.cursors;
    c.locks_dirty |= effects.locks;
  }
  c.pending += renamed;
  if (c.running && c.copy_in) {
    // The backend is inside COPY FROM STDIN waiting for this data.
    if (type == 'c' || type == 'f') c.copy_in = false;
    host_.supply_input(c.id, std::exchange(c.pending, std::string()));
    c.ends.clear();
    return;
  }
  if (protocol::ends_batch(type)) {
    if (c.ends.empty() && !c.running && std::find(turn_.begin(), turn_.end(), c.id) == turn_.end()) {
      turn_.push_back(c.id);
    }
    c.ends.push_back(c.pending.size());
  }
}

void Multiplexer::disconnected(uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& c = *it->second;
  c.closing = true;
  c.gone = true;
  // A COPY FROM STDIN waiting for its data fails as if the client had sent
  // CopyFail (end of input mid-COPY would make Postgres end the backend it
  // shares with every client: "protocol synchronization was lost"). The
  // Sync ends an extended-protocol COPY's exchange; elsewhere it is a no-op.
  if (c.running)
    host_.supply_input(id, protocol::message('f', "client disconnected\0") + protocol::message('S', ""));
  forget(id);
}

void Multiplexer::cancel(uint32_t pid, uint32_t secret) {
  auto it = clients_.find(pid);
  if (it == clients_.end() || it->second->secret != secret || busy_ != pid) return;
  host_.cancel();
}

// Undoes what a gone client left in the shared backend (its transaction,
// statements, settings, role and temporary tables), then drops it.
void Multiplexer::forget(uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  Client& c = *it->second;
  if (c.running || !c.gone) return;  // finish_job() / disconnected() call back
  if (!c.cleanup_sent && !c.crashed) {
    c.cleanup_sent = true;
    c.deferred.clear();
    c.deferred_count = 0;
    c.awaiting_startup = false;
    if (!cleanup_batch(c).empty()) {
      // The batch is made when it runs: the backend's state may change
      // before (another client's transaction goes first).
      c.pending.clear();
      c.ends.assign(1, 0);
      turn_.erase(std::remove(turn_.begin(), turn_.end(), id), turn_.end());
      turn_.push_front(id);  // the owner's cleanup goes first
      schedule();
      return;
    }
  }
  if (temp_holder_ == id) {
    if (!c.crashed) host_.set_temp_namespace({});  // its schemas were dropped by the cleanup batch
    temp_holder_ = 0;
  }
  if (owner_ == id) owner_ = 0;
  if (state_holder_ == id) state_holder_ = 0;
  if (sequence_holder_ == id) sequence_holder_ = 0;  // its caches went with the cleanup batch
  forget_sql_statements(id);
  turn_.erase(std::remove(turn_.begin(), turn_.end(), id), turn_.end());
  clients_.erase(it);
  schedule();
}

// ---- startup ----

void Multiplexer::finish_startup(Client& c) {
  c.awaiting_startup = false;
  c.held_ready.clear();
  std::string out = std::exchange(c.startup_out, std::string());
  if (std::optional<Error> error = scan::first_error(out)) {
    return fail_client(c, error->sqlstate().c_str(), error->message());
  }
  c.connected = true;
  host_.send(c.id, client_handshake(c, scan::parameter_statuses(out)));
}

// The backend's own handshake, with this client's BackendKeyData and the
// ParameterStatus values its startup settings changed.
std::string Multiplexer::client_handshake(Client& c, const std::vector<std::string>& changed) {
  auto parameter = [](std::string_view status) { return status.substr(5, status.find('\0', 5) - 5); };
  std::string out;
  protocol::MessageReader reader(handshake_);
  while (std::optional<protocol::Message> m = reader.next()) {
    auto same = [&](const std::string& s) { return parameter(s) == parameter(m->frame); };
    if (m->type == 'S' && std::any_of(changed.begin(), changed.end(), same)) {
      // replaced below, with the value the startup settings gave it
    } else if (m->type == 'K') {
      for (const std::string& status : changed) out += status;
      c.secret = static_cast<uint32_t>(std::random_device{}());
      protocol::MessageWriter key(out, 'K');
      key.body().uint32(static_cast<uint32_t>(c.id));
      key.body().uint32(c.secret);
      key.finish();
    } else {
      out.append(m->frame);
    }
  }
  return out;
}

// ---- scheduling ----

// Answers a Parse-only batch locally (ParseComplete per Parse, then
// ReadyForQuery) and keeps the Parse messages for the client's next turn.
// A syntax error then surfaces with that next batch. True if it did.
bool Multiplexer::defer_parse_only(Client& c) {
  if (c.ends.empty() || c.running || c.mid_transaction() || c.awaiting_startup || c.cleanup_sent)
    return false;
  size_t end = c.ends.front();
  std::string_view batch(c.pending.data(), end);
  int parses = scan::parse_only_batch(batch);
  if (parses == 0) return false;
  c.deferred.append(batch.substr(0, end - 5));  // without the Sync
  c.deferred_count += parses;
  std::string reply;
  for (int i = 0; i < parses; i++) reply += protocol::message('1', "");
  reply += protocol::message('Z', "I");
  c.pending.erase(0, end);
  c.ends.pop_front();
  for (size_t& e : c.ends) e -= end;
  if (c.ends.empty()) turn_.erase(std::find(turn_.begin(), turn_.end(), c.id));
  host_.send(c.id, std::move(reply));
  return true;
}

void Multiplexer::schedule() {
  if (busy_ || restarting_) return;
  for (auto it = turn_.begin(); it != turn_.end(); ++it) {
    auto found = clients_.find(*it);
    if (found == clients_.end() || found->second->ends.empty()) {
      turn_.erase(it);
      return schedule();
    }
    Client& client = *found->second;
    if (owner_ && owner_ != client.id) {
      // A transaction holds the backend. A client that only prepares
      // statements must not wait for it: it may be the same program that
      // holds that transaction (pgbench -M prepared drives every
      // connection from one thread with a blocking PQprepare).
      if (defer_parse_only(client)) return schedule();
      continue;
    }
    if (!owner_ && !client.cleanup_sent && start_defaults(client)) return;
    if (owner_ == client.id && client.tx_status == 'T' && !client.unsynced && !client.cleanup_sent &&
        start_sql_moves_in_transaction(client)) {
      return;
    }
    if (!owner_ && !client.cleanup_sent && !std::exchange(client.handoff_failed, false) &&
        start_handoff(client)) {
      return;
    }
    turn_.erase(it);
    if (client.cleanup_sent) {
      std::string batch = cleanup_batch(client);
      if (state_holder_ == client.id) {
        applied_ = {};
        state_holder_ = 0;
      }
      forget_sql_statements(client.id);  // deallocated by the batch
      client.statements.clear();
      client.ends.clear();
      client.unsynced = false;  // the batch ends its exchange first
      client.flush_batch = false;
      client.running = true;
      busy_ = client.id;
      owner_ = client.id;
      unnamed_holder_ = 0;
      backend_lost_ = false;
      use_sequences(client);
      host_.submit(client.id, std::move(batch));
      return;
    }
    size_t end = client.ends.front();
    client.ends.pop_front();
    for (size_t& e : client.ends) e -= end;
    std::string batch = client.deferred + client.pending.substr(0, end);
    client.pending.erase(0, end);
    if (unnamed_holder_ != client.id && !client.unnamed_parse.empty() &&
        scan::uses_earlier_unnamed_statement(batch)) {
      // Other work replaced its unnamed statement meanwhile: parse it again.
      batch.insert(0, client.unnamed_parse);
      client.unconfirmed_parses.emplace_front("", client.unnamed_parse);
      client.suppress_parse_complete++;
    }
    unnamed_holder_ = client.id;
    client.suppress_parse_complete += client.deferred_count;
    client.deferred.clear();
    client.deferred_count = 0;
    client.parses_in_flight = scan::count_messages(batch, 'P');
    client.unsynced = scan::extended_exchange_open(batch, client.unsynced);
    client.flush_batch = scan::last_message_type(batch) == 'H';
    client.not_preparable.clear();
    client.running = true;
    busy_ = client.id;
    owner_ = client.id;
    backend_lost_ = false;
    use_sequences(client);
    host_.submit(client.id, std::move(batch));
    return;
  }
}

// Each client has its own sequence caches and lastval(), as each native
// session does: the backend gets the client's before its batch runs.
void Multiplexer::use_sequences(Client& client) {
  if (sequence_holder_ == client.id) return;
  if (auto it = clients_.find(sequence_holder_); it != clients_.end())
    it->second->sequences = host_.sequence_state();
  host_.set_sequence_state(client.sequences);
  sequence_holder_ = client.id;
}

void Multiplexer::run_internal(std::string bytes, std::function<void(const std::string&)> then) {
  internal_out_.clear();
  internal_then_ = std::move(then);
  busy_ = kInternalJob;
  unnamed_holder_ = 0;  // its simple queries drop the unnamed statement
  backend_lost_ = false;
  host_.submit(kInternalJob, std::move(bytes));
}

// ---- backend -> clients ----

void Multiplexer::backend_output(uint64_t job, std::string_view bytes) {
  if (job == kInternalJob) {
    internal_out_.append(bytes);
    return;
  }
  auto it = clients_.find(job);
  if (it != clients_.end() && !bytes.empty()) route_output(*it->second, bytes);
}

void Multiplexer::scan_fatal(std::string_view error_body) {
  std::string_view severity = protocol::parse_error_fields(error_body).get('V');
  if (severity.empty()) severity = protocol::parse_error_fields(error_body).get('S');
  if (severity == "FATAL" || severity == "PANIC") backend_lost_ = true;
}

void Multiplexer::route_output(Client& c, std::string_view bytes) {
  std::string& out = c.awaiting_startup ? c.startup_out : c.out;
  out += bytes;
  protocol::MessageReader reader(out);
  size_t forward_from = 0;
  std::string direct;
  while (std::optional<protocol::Message> m = reader.next()) {
    char type = m->type;
    size_t end = reader.consumed();  // this message is out[start, end)
    size_t start = end - m->frame.size();
    if (type == 'E') scan_fatal(m->body);
    if (c.awaiting_startup) continue;
    if (type == 'S') c.settings_dirty = true;  // a reported setting changed
    if (type == 'Z' && !m->body.empty()) {
      c.tx_status = m->body[0];
      direct.append(out, forward_from, start - forward_from);
      c.held_ready = m->frame;
      forward_from = end;
    }
    if (type == 'G') c.copy_in = true;
    if (type == '1' && c.parses_in_flight > 0) {
      auto& [name, parse] = c.unconfirmed_parses.front();
      if (name == kClosedStatement) {
        // closed before Postgres answered
      } else if (!name.empty()) {
        c.statements[name] = std::move(parse);
      } else {
        c.unnamed_parse = std::move(parse);
      }
      c.unconfirmed_parses.pop_front();
      c.parses_in_flight--;
    }
    if (type == '1' && c.suppress_parse_complete > 0) {
      c.suppress_parse_complete--;
      direct.append(out, forward_from, start - forward_from);
      forward_from = end;
    }
    if (type == 'A') {
      // Notifications go to the clients that listen on that channel.
      direct.append(out, forward_from, start - forward_from);
      deliver_notification(m->frame);
      forward_from = end;
    }
  }
  if (c.awaiting_startup) return;  // kept whole for finish_startup()
  direct.append(out, forward_from, reader.consumed() - forward_from);
  out.erase(0, reader.consumed());
  host_.send(c.id, std::move(direct));
  if (c.copy_in && !c.pending.empty()) {
    host_.supply_input(c.id, std::exchange(c.pending, std::string()));
    c.ends.clear();
  }
}

void Multiplexer::deliver_notification(std::string_view msg) {
  // body: pid, channel, payload
  std::string_view body = msg.substr(5);
  if (body.size() < 5) return;
  std::string channel(body.substr(4, body.find('\0', 4) - 4));
  for (auto& [id, c] : clients_) {
    if (c->connected && !c->closing && c->channels.count(channel)) host_.send(id, std::string(msg));
  }
}

void Multiplexer::backend_done(uint64_t job, bool broken) {
  if (broken || backend_lost_) {
    auto it = clients_.find(job);
    if (it != clients_.end()) {
      it->second->running = false;
      // It already got the backend's FATAL (or the worker's).
      it->second->closing = true;
      it->second->crashed = true;
      host_.close(job);
    }
    return crashed("the backend ended");
  }
  if (job == kInternalJob) {
    busy_ = 0;
    auto then = std::exchange(internal_then_, nullptr);
    std::string out = std::exchange(internal_out_, std::string());
    if (then) then(out);
    return schedule();
  }
  finish_job(job);
}

void Multiplexer::finish_job(uint64_t id) {
  busy_ = 0;
  auto it = clients_.find(id);
  if (it == clients_.end()) {
    owner_ = 0;
    return schedule();
  }
  Client& c = *it->second;
  c.running = false;
  c.copy_in = false;
  // The backend still has this client's settings: its idle timeouts run
  // from now, enforced per client (timer()).
  c.timeouts = host_.session_timeouts();
  c.idle_since = std::chrono::steady_clock::now();
  arm_timer();
  // Parses the batch sent without a ParseComplete failed or were skipped.
  c.unconfirmed_parses.erase(c.unconfirmed_parses.begin(),
                             c.unconfirmed_parses.begin() + static_cast<ptrdiff_t>(c.parses_in_flight));
  c.parses_in_flight = 0;
  if (c.awaiting_startup) {
    finish_startup(c);
  } else if (std::string ready = std::exchange(c.held_ready, std::string()); !c.flush_batch) {
    // (PGlite's error path sends ReadyForQuery after an error even before
    // Sync; Postgres does not, and a client waiting for Sync's would
    // take it as that.)
    host_.send(c.id, std::move(ready));
  }
  owner_ = c.mid_transaction() ? id : 0;
  if (!c.cleanup_sent) note_temp_schemas(c);
  if (c.gone) return forget(id);
  if (!c.ends.empty() && std::find(turn_.begin(), turn_.end(), id) == turn_.end()) turn_.push_front(id);
  if (!c.mid_transaction() && !c.closing) return followup(c);
  schedule();
}

// ---- idle timeouts ----

// When the client's idle timeout expires: idle means connected, nothing
// running or waiting to run; inside a transaction (or an unfinished
// extended-query exchange) idle_in_transaction_session_timeout applies,
// else idle_session_timeout.
std::optional<std::chrono::steady_clock::time_point> Multiplexer::idle_deadline(const Client& c) const {
  if (!c.connected || c.closing || c.running || c.awaiting_startup || !c.ends.empty()) return std::nullopt;
  int limit = c.mid_transaction() ? c.timeouts.idle_in_transaction_ms : c.timeouts.idle_session_ms;
  if (limit <= 0) return std::nullopt;
  return c.idle_since + std::chrono::milliseconds(limit);
}

void Multiplexer::arm_timer() {
  std::optional<std::chrono::steady_clock::time_point> next;
  for (const auto& [id, c] : clients_) {
    auto deadline = idle_deadline(*c);
    if (deadline && (!next || *deadline < *next)) next = deadline;
  }
  if (!next) return;
  auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - std::chrono::steady_clock::now());
  host_.arm_timer(static_cast<uint64_t>(std::max<int64_t>(wait.count(), 0)));
}

void Multiplexer::timer() {
  auto now = std::chrono::steady_clock::now();
  std::vector<uint64_t> expired;
  for (const auto& [id, c] : clients_) {
    auto deadline = idle_deadline(*c);
    if (deadline && *deadline <= now) expired.push_back(id);
  }
  for (uint64_t id : expired) {
    auto it = clients_.find(id);
    if (it == clients_.end()) continue;
    Client& c = *it->second;
    // Postgres' own texts; the connection then ends and its cleanup rolls
    // back what it left, as the backend's exit would.
    if (c.mid_transaction()) {
      fail_client(c, sqlstate::kIdleInTransactionSessionTimeout,
                  "terminating connection due to idle-in-transaction timeout");
    } else {
      fail_client(c, sqlstate::kIdleSessionTimeout, "terminating connection due to idle-session timeout");
    }
  }
  arm_timer();
}

// ---- a broken backend ----

// Every client's session died with the backend: each gets FATAL (as
// Postgres' clients do when the postmaster ends all backends after a crash)
// and a new backend is started on the same data.
void Multiplexer::crashed(const std::string& reason) {
  for (auto& [id, c] : clients_) {
    c->crashed = true;
    c->running = false;
    if (c->closing) continue;
    fail_client(*c, sqlstate::kCrashShutdown,
                "terminating connection because of crash of another server process (" + reason + ")");
  }
  owner_ = 0;
  busy_ = 0;
  turn_.clear();
  applied_ = {};
  unnamed_holder_ = 0;
  client_defaults_.clear();  // a new backend starts from the server's
  temp_holder_ = 0;
  state_holder_ = 0;
  sequence_holder_ = 0;
  sql_present_.clear();
  internal_then_ = nullptr;
  internal_out_.clear();
  backend_lost_ = false;
  restarting_ = true;
  last_restart_ = std::chrono::steady_clock::now();
  host_.restart_backend();
}

void Multiplexer::backend_restarted(const std::optional<std::string>& failure) {
  restarting_ = false;
  if (failure) {
    dead_ = *failure;
    for (auto& [id, c] : clients_) {
      c->crashed = true;
      if (!c->closing)
        fail_client(*c, sqlstate::kCannotConnectNow, "the database system is not available: " + *failure);
    }
    return;
  }
  dead_.reset();
  schedule();
}

}  // namespace pglite::internal
