// pglite::Server: libuv event loop (sockets, framing, scheduling) on one
// thread, the backend on another (BackendWorker).
#include "pglite/server.h"

#include <uv.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "api/database_access.h"
#include "api/session.h"
#include "api/session_settings.h"
#include "server/backend_worker.h"
#include "server/scram.h"
#include "server/session_handoff.h"
#include "server/statement_scan.h"
#include "server/tls.h"
#include "server/wire.h"

namespace pglite {
namespace {

using internal::BackendWorker;
using internal::TempNamespace;
namespace handoff = internal::handoff;
namespace scan = internal::scan;
namespace wire = internal::wire;

// Frontend message types a client may send after startup. Anything else
// would make Postgres end the backend (FATAL) — which every client shares —
// so it ends only that client's connection here.
bool frontend_type(char type) {
  switch (type) {
    case 'Q':
    case 'P':
    case 'B':
    case 'E':
    case 'D':
    case 'C':
    case 'H':
    case 'S':
    case 'F':
    case 'd':
    case 'c':
    case 'f':
    case 'X':
      return true;
    default:
      return false;
  }
}

}  // namespace

struct Server::Impl {
  struct Client {
    Impl* server = nullptr;
    uint64_t id = 0;
    union {
      uv_tcp_t tcp;
      uv_pipe_t pipe;
    } handle;
    bool started = false;  // startup packet accepted
    bool authed = false;   // authentication done, handshake sent
    std::unique_ptr<internal::ScramExchange> scram;
    bool scram_started = false;
    bool settings_dirty = false;  // sent SET/RESET/set_config since last capture
    uv_timer_t startup_timer;     // closes connections that never finish startup
    bool timer_open = false;
    int open_handles = 1;                       // the socket, plus the timer while it exists
    std::unique_ptr<internal::TlsSession> tls;  // after an accepted SSLRequest
    std::string settings;                       // its session settings as SET statements
    std::string user;
    bool closing = false;  // handle being closed
    bool running = false;  // its batch is in the backend
    bool copy_in = false;  // backend waits for its COPY data
    char tx_status = 'I';
    std::string in;       // unframed bytes from the socket
    std::string pending;  // framed, renamed messages not yet sent to the backend
    // Where batches end in `pending` (after each Sync, Query, Flush, CopyDone,
    // CopyFail). One batch goes to the backend per exchange.
    std::deque<size_t> ends;
    // ReadyForQuery held until the exchange ends: PGlite's error path can
    // emit a second one for the same Sync, which pipelining clients would
    // take as the answer to their next segment. Only the last is sent.
    std::string held_ready;
    // Parse messages answered locally while another client held the backend
    // (see defer_parse_only); sent ahead of this client's next batch, whose
    // first `suppress_parse_complete` ParseComplete replies are then dropped.
    std::string deferred;
    int deferred_count = 0;
    int suppress_parse_complete = 0;
    std::string out;                                // backend bytes not yet framed
    std::map<std::string, std::string> statements;  // renamed name -> its Parse message
    // Parse messages not yet answered, in order ("" for the unnamed
    // statement); the first `parses_in_flight` are in the running batch.
    // A statement counts once its ParseComplete arrives.
    std::deque<std::pair<std::string, std::string>> unconfirmed_parses;
    size_t parses_in_flight = 0;
    std::set<std::string> channels;
    // Settings from the startup packet: applied (and checked) by the backend
    // before the handshake is sent; its output is held in startup_out.
    std::string startup_sql;
    bool awaiting_startup = false;
    std::string startup_out;
    // A batch may have undone other clients' LISTENs (UNLISTEN, DISCARD) or
    // prepared statements (DEALLOCATE, DISCARD): they are restored after it.
    bool touched_listens = false;
    bool touched_statements = false;
    bool cleanup_sent = false;  // disconnected: its cleanup batch is queued
    TempNamespace temp;         // its temporary schemas, if it made any
    std::string prefix;         // object-name prefix
    uint32_t secret = 0;        // BackendKeyData secret for CancelRequest
    uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&handle); }
  };

  Database* db = nullptr;
  std::unique_ptr<Database> owned_db;
  ServerOptions options;
  uv_loop_t loop{};
  uv_tcp_t tcp{};
  uv_pipe_t pipe{};
  bool has_pipe = false;
  uv_async_t wake{};
  int port = 0;
  std::string socket_path;
  std::string handshake;  // backend startup messages, replayed to each client
  std::optional<internal::ScramSecret> scram_secret;
  std::unique_ptr<internal::TlsContext> tls;
  std::map<uint64_t, std::unique_ptr<Client>> clients;
  uint64_t next_id = 1;
  uint64_t owner = 0;  // client holding the backend (in a transaction or COPY)
  uint64_t busy = 0;   // client whose batch is running
  // Session settings are per client: the backend runs with one client's at a
  // time (`applied`); synthetic jobs capture and switch them.
  // After a client's batch, a follow-up job restores what it may have undone
  // for others and captures its settings.
  static constexpr uint64_t kSwitchJob = UINT64_MAX - 1;
  static constexpr uint64_t kFollowupJob = UINT64_MAX - 2;
  std::string applied;
  uint64_t capture_for = 0;  // client whose settings the follow-up captures
  std::string synthetic_out;
  uint64_t temp_holder = 0;   // client whose temporary schemas the backend uses
  std::deque<uint64_t> turn;  // clients with a ready batch, in arrival order
  std::unique_ptr<BackendWorker> worker;
  std::thread thread;
  std::mutex stop_mu;
  bool stopping = false;
  // The backend thread may still finish a job after the loop has closed
  // `wake` (stop() while a client's cleanup runs): it must not touch it then.
  std::mutex wake_mu;
  bool wake_open = true;
  void wake_loop() {
    std::lock_guard<std::mutex> lock(wake_mu);
    if (wake_open) uv_async_send(&wake);
  }
  bool stopped = false;

  // ---- setup ----
  void listen_all() {
    uv_loop_init(&loop);
    uv_async_init(&loop, &wake, [](uv_async_t* a) { static_cast<Impl*>(a->data)->on_wake(); });
    wake.data = this;
    sockaddr_in addr{};
    if (uv_ip4_addr(options.host.c_str(), options.port, &addr) != 0)
      throw Error("22023", "bad listen address " + options.host);
    uv_tcp_init(&loop, &tcp);
    tcp.data = this;
    int r = uv_tcp_bind(&tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
    if (r == 0) r = uv_listen(reinterpret_cast<uv_stream_t*>(&tcp), 128, on_connection);
    if (r != 0) throw Error("58000", std::string("cannot listen on ") + options.host + ": " + uv_strerror(r));
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&tcp, reinterpret_cast<sockaddr*>(&bound), &len);
    port = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    if (!options.unix_socket_dir.empty()) {
      socket_path = options.unix_socket_dir + "/.s.PGSQL." + std::to_string(port);
      uv_pipe_init(&loop, &pipe, 0);
      pipe.data = this;
      has_pipe = true;
      ::unlink(socket_path.c_str());
      r = uv_pipe_bind(&pipe, socket_path.c_str());
      if (r == 0) r = uv_listen(reinterpret_cast<uv_stream_t*>(&pipe), 128, on_connection);
      // libuv reports a missing directory as EACCES: name the real cause.
      std::error_code ec;
      if (r != 0 && !std::filesystem::is_directory(options.unix_socket_dir, ec))
        throw Error("58P01", "cannot listen on " + socket_path + ": directory " + options.unix_socket_dir +
                                 " does not exist");
      if (r != 0) throw Error("58000", "cannot listen on " + socket_path + ": " + uv_strerror(r));
    }
  }

  // ---- connections ----
  static void on_connection(uv_stream_t* listener, int status) {
    auto* self = static_cast<Impl*>(listener->data);
    if (status < 0) return;
    auto c = std::make_unique<Client>();
    c->server = self;
    c->id = self->next_id++;
    c->prefix = "pgl" + std::to_string(c->id) + "_";
    if (listener == reinterpret_cast<uv_stream_t*>(&self->tcp)) {
      uv_tcp_init(&self->loop, &c->handle.tcp);
      uv_tcp_nodelay(&c->handle.tcp, 1);
    } else {
      uv_pipe_init(&self->loop, &c->handle.pipe, 0);
    }
    c->stream()->data = c.get();
    Client* client = c.get();
    self->clients[client->id] = std::move(c);
    if (uv_accept(listener, client->stream()) != 0) {
      self->close_client(*client);  // freed when the handle is closed
      return;
    }
    uv_timer_init(&self->loop, &client->startup_timer);
    client->startup_timer.data = client;
    client->timer_open = true;
    client->open_handles++;
    uv_timer_start(
        &client->startup_timer,
        [](uv_timer_t* t) {
          auto* cl = static_cast<Client*>(t->data);
          if (cl->authed) return;
          cl->server->send(
              *cl, wire::error_response("FATAL", "08006", "timeout waiting for startup and authentication"));
          cl->server->close_client(*cl);
        },
        self->options.startup_timeout_ms, 0);
    if (self->clients.size() > self->options.max_connections) {
      self->send(*client, wire::error_response("FATAL", "53300", "sorry, too many clients already"));
      self->close_client(*client);
      return;
    }
    uv_read_start(
        client->stream(),
        [](uv_handle_t*, size_t suggested, uv_buf_t* buf) {
          buf->base = new char[suggested];
          buf->len = suggested;
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
          auto* cl = static_cast<Client*>(s->data);
          if (n > 0) cl->server->receive(*cl, std::string_view(buf->base, size_t(n)));
          delete[] buf->base;
          if (n < 0) {
            cl->server->close_client(*cl);
          } else if (n > 0) {
            cl->server->on_input(*cl);
          }
        });
  }

  // Socket bytes in: decrypted first when the connection uses TLS.
  void receive(Client& c, std::string_view bytes) {
    if (!c.tls) {
      c.in.append(bytes);
      return;
    }
    std::string to_peer;
    bool ok = c.tls->receive(bytes, &c.in, &to_peer);
    write_raw(c, std::move(to_peer));
    if (!ok) close_client(c);
  }

  void send(Client& c, std::string bytes) {
    if (c.tls && !bytes.empty()) {
      std::string cipher;
      if (!c.tls->send(bytes, &cipher)) return close_client(c);
      bytes = std::move(cipher);
    }
    write_raw(c, std::move(bytes));
  }

  void write_raw(Client& c, std::string bytes) {
    if (c.closing || bytes.empty()) return;
    auto* req = new uv_write_t;
    auto* data = new std::string(std::move(bytes));
    req->data = data;
    uv_buf_t buf = uv_buf_init(data->data(), static_cast<unsigned>(data->size()));
    int r = uv_write(req, c.stream(), &buf, 1, [](uv_write_t* w, int) {
      delete static_cast<std::string*>(w->data);
      delete w;
    });
    if (r != 0) {
      delete data;
      delete req;
    }
  }

  void close_client(Client& c) {
    if (c.closing) return;
    c.closing = true;
    uv_read_stop(c.stream());
    if (c.running) worker->end_input(c.id);  // a waiting COPY sees EOF
    close_timer(c);
    uv_close(reinterpret_cast<uv_handle_t*>(c.stream()), on_handle_closed);
  }

  void close_timer(Client& c) {
    if (!c.timer_open) return;
    c.timer_open = false;
    uv_timer_stop(&c.startup_timer);
    uv_close(reinterpret_cast<uv_handle_t*>(&c.startup_timer), on_handle_closed);
  }

  // A client is freed once all its handles are closed (libuv may run the close
  // callbacks in any order).
  static void on_handle_closed(uv_handle_t* h) {
    auto* cl = static_cast<Client*>(h->data);
    if (--cl->open_handles == 0) cl->server->forget(cl->id);
  }

  // The handle is gone; undo what the client left in the shared backend
  // (its transaction, statements and temporary tables), then drop it.
  void forget(uint64_t id) {
    auto it = clients.find(id);
    if (it == clients.end()) return;
    Client& c = *it->second;
    if (c.running) return;           // finish_job() calls back when the batch ends
    if (c.open_handles > 0) return;  // on_handle_closed() calls back
    if (!c.cleanup_sent) {
      c.cleanup_sent = true;
      std::string cleanup;
      if (c.tx_status != 'I') cleanup += wire::message('Q', std::string("ROLLBACK") + '\0');
      for (const auto& [name, parse] : c.statements) cleanup += wire::message('C', "S" + name + '\0');
      if (!c.statements.empty()) cleanup += wire::message('S', "");
      if (c.temp.schema) cleanup += wire::message('Q', handoff::drop_temp_sql(c.temp) + '\0');
      if (!cleanup.empty()) {
        c.statements.clear();
        c.tx_status = 'I';
        c.pending = cleanup;
        c.ends.assign(1, cleanup.size());
        turn.push_front(id);  // the owner's cleanup goes first
        schedule();
        return;
      }
    }
    if (temp_holder == id) {
      set_backend_temp({});  // its schemas were dropped by the cleanup batch
      temp_holder = 0;
    }
    if (owner == id) owner = 0;
    clients.erase(it);
    schedule();
  }

  // ---- client → backend ----
  void on_input(Client& c) {
    if (!c.started) {
      if (!handle_startup(c)) return;
    }
    while (!c.closing && !c.authed) {
      auto size = wire::message_size(c.in, 64 * 1024);
      if (!size || (*size && c.in[0] != 'p')) {
        send(c, wire::error_response("FATAL", "08P01", "expected a password message"));
        close_client(c);
        return;
      }
      if (*size == 0) return;
      std::string msg = c.in.substr(0, *size);
      c.in.erase(0, *size);
      authenticate(c, std::string_view(msg).substr(5));
    }
    while (!c.closing) {
      auto size = wire::message_size(c.in, options.max_message_bytes);
      if (!size) {
        send(c, wire::error_response("FATAL", "08P01", "invalid message length"));
        close_client(c);
        return;
      }
      if (*size == 0) break;
      std::string msg = c.in.substr(0, *size);
      c.in.erase(0, *size);
      char type = msg[0];
      if (!frontend_type(type)) {
        send(c, wire::error_response("FATAL", "08P01",
                                     "invalid frontend message type " + std::to_string(int(type))));
        close_client(c);
        return;
      }
      if (type == 'X') {
        close_client(c);
        return;
      }
      std::string renamed = wire::rename_objects(msg, c.prefix);
      if (type == 'P') {
        std::string name = wire::parsed_statement_name(msg);
        c.unconfirmed_parses.emplace_back(name.empty() ? name : c.prefix + name, renamed);
      } else if (type == 'C' && msg.size() > 6 && msg[5] == 'S') {
        std::string name = c.prefix + std::string(msg.substr(6, msg.find('\0', 6) - 6));
        c.statements.erase(name);
        for (auto& parse : c.unconfirmed_parses) {
          if (parse.first == name) parse.first.clear();
        }
      } else if (type == 'Q') {
        scan::track_listen(std::string_view(msg).substr(5), &c.channels);
      }
      if (type == 'Q' || type == 'P') note_session_effects(c, msg);
      c.pending += renamed;
      if (c.running && c.copy_in) {
        // The backend is inside COPY FROM STDIN waiting for this data.
        if (type == 'c' || type == 'f') c.copy_in = false;
        worker->supply_input(c.id, std::exchange(c.pending, std::string()));
        c.ends.clear();
        continue;
      }
      if (wire::ends_batch(type)) {
        if (c.ends.empty() && !c.running && std::find(turn.begin(), turn.end(), c.id) == turn.end()) {
          turn.push_back(c.id);
        }
        c.ends.push_back(c.pending.size());
      }
    }
    schedule();
  }

  // Which shared session state a statement may change (cheap text checks;
  // a false positive costs one follow-up job).
  static void note_session_effects(Client& c, std::string_view msg) {
    bool discard = scan::mentions(msg, "discard");
    if (discard || scan::may_change_settings(msg)) c.settings_dirty = true;
    if (discard || scan::mentions(msg, "unlisten")) c.touched_listens = true;
    if (discard || scan::mentions(msg, "deallocate")) c.touched_statements = true;
  }

  // Startup packet: SSLRequest (TLS if configured), GSSENCRequest declined,
  // CancelRequest, then protocol 3.0 with its parameters.
  bool handle_startup(Client& c) {
    for (;;) {
      if (c.in.size() < 8) return false;
      uint32_t len = wire::read_u32(c.in.data());
      if (len < 8 || len > 10000) {
        send(c, wire::error_response("FATAL", "08P01", "invalid startup packet length"));
        close_client(c);
        return false;
      }
      if (c.in.size() < len) return false;
      uint32_t code = wire::read_u32(c.in.data() + 4);
      std::string body = c.in.substr(4, len - 4);
      c.in.erase(0, len);
      if (code == wire::kSslRequest && tls && !c.tls) {
        write_raw(c, "S");
        c.tls = std::make_unique<internal::TlsSession>(*tls);
        if (!c.in.empty()) {  // bytes that came after the request are TLS already
          std::string early = std::exchange(c.in, std::string());
          receive(c, early);
        }
        continue;
      }
      if (code == wire::kSslRequest || code == wire::kGssEncRequest) {
        send(c, "N");
        continue;
      }
      if (code == wire::kCancelRequest) {
        if (body.size() >= 12) cancel(wire::read_u32(body.data() + 4), wire::read_u32(body.data() + 8));
        close_client(c);  // a cancel connection gets no answer, as in Postgres
        return false;
      }
      if (code != wire::kProtocol3) {
        send(c, wire::error_response("FATAL", "0A000", "unsupported frontend protocol"));
        close_client(c);
        return false;
      }
      c.started = true;
      std::vector<std::pair<std::string, std::string>> params = wire::startup_parameters(body);
      for (auto& [key, value] : params) {
        if (key == "user") c.user = value;
      }
      try {
        c.startup_sql = handoff::startup_settings_sql(scan::startup_settings(params));
      } catch (const Error& e) {
        send(c, wire::error_response("FATAL", e.sqlstate().c_str(), e.message()));
        close_client(c);
        return false;
      }
      if (scram_secret) {
        c.scram = std::make_unique<internal::ScramExchange>(*scram_secret);
        std::string body;
        wire::put_u32(body, 10);  // AuthenticationSASL
        body += std::string("SCRAM-SHA-256") + '\0' + '\0';
        send(c, wire::message('R', body));
        return true;
      }
      finish_authentication(c);
      return true;
    }
  }

  // SASLInitialResponse, then SASLResponse (both 'p' messages).
  void authenticate(Client& c, std::string_view body) {
    std::optional<std::string> reply;
    bool initial = c.scram && !c.authed && !c.scram_started;
    if (initial) {
      size_t mech_end = body.find('\0');
      if (mech_end != std::string_view::npos && body.substr(0, mech_end) == "SCRAM-SHA-256" &&
          body.size() >= mech_end + 5) {
        reply = c.scram->first(body.substr(mech_end + 5));
      }
      c.scram_started = true;
    } else if (c.scram) {
      reply = c.scram->final(body);
    }
    if (!reply) {
      send(c, wire::error_response("FATAL", "28P01",
                                   "password authentication failed for user \"" + c.user + "\""));
      close_client(c);
      return;
    }
    std::string out;
    wire::put_u32(out, initial ? 11 : 12);  // SASLContinue / SASLFinal
    out += *reply;
    send(c, wire::message('R', out));
    if (!initial) finish_authentication(c);
  }

  // Sends the handshake, or first has the backend apply the startup-packet
  // settings: a bad one fails the connection as it would in Postgres.
  void finish_authentication(Client& c) {
    c.authed = true;
    close_timer(c);
    if (c.startup_sql.empty()) return send(c, client_handshake(c, {}));
    std::string query = wire::message('Q', c.startup_sql + '\0');
    c.pending.insert(0, query);
    for (size_t& e : c.ends) e += query.size();
    c.ends.push_front(query.size());
    c.awaiting_startup = true;
    c.settings_dirty = true;
    if (std::find(turn.begin(), turn.end(), c.id) == turn.end()) turn.push_back(c.id);
    schedule();
  }

  void finish_startup(Client& c) {
    c.awaiting_startup = false;
    c.held_ready.clear();
    std::string out = std::exchange(c.startup_out, std::string());
    if (std::optional<Error> error = scan::first_error(out)) {
      send(c, wire::error_response("FATAL", error->sqlstate().c_str(), error->message()));
      close_client(c);
      return;
    }
    send(c, client_handshake(c, scan::parameter_statuses(out)));
  }

  // A CancelRequest names a client by its BackendKeyData; only the
  // statement of that client is cancelled, and only while it runs.
  void cancel(uint32_t pid, uint32_t secret) {
    auto it = clients.find(pid);
    if (it == clients.end() || it->second->secret != secret || busy != pid) return;
    internal::DatabaseAccess::session(*db).cancel();
  }

  // The backend's own handshake, with this client's BackendKeyData and the
  // ParameterStatus values its startup settings changed.
  std::string client_handshake(Client& c, const std::vector<std::string>& changed) {
    auto parameter = [](std::string_view status) { return status.substr(5, status.find('\0', 5) - 5); };
    std::string out;
    size_t pos = 0;
    while (pos + 5 <= handshake.size()) {
      size_t size = 1 + wire::read_u32(handshake.data() + pos + 1);
      std::string_view msg(handshake.data() + pos, size);
      auto same = [&](const std::string& s) { return parameter(s) == parameter(msg); };
      if (msg[0] == 'S' && std::any_of(changed.begin(), changed.end(), same)) {
        // replaced below, with the value the startup settings gave it
      } else if (msg[0] == 'K') {
        for (const std::string& status : changed) out += status;
        std::string body;
        wire::put_u32(body, static_cast<uint32_t>(c.id));
        c.secret = static_cast<uint32_t>(std::random_device{}());
        wire::put_u32(body, c.secret);
        out += wire::message('K', body);
      } else {
        out.append(msg);
      }
      pos += size;
    }
    return out;
  }

  // ---- scheduling ----
  // Answers a Parse-only batch locally (ParseComplete per Parse, then
  // ReadyForQuery) and keeps the Parse messages for the client's next turn.
  // A syntax error then surfaces with that next batch. True if it did.
  bool defer_parse_only(Client& c) {
    if (c.ends.empty() || c.running || c.tx_status != 'I') return false;
    size_t end = c.ends.front();
    std::string_view batch(c.pending.data(), end);
    int parses = scan::parse_only_batch(batch);
    if (parses == 0) return false;
    c.deferred.append(batch.substr(0, end - 5));  // without the Sync
    c.deferred_count += parses;
    std::string reply;
    for (int i = 0; i < parses; i++) reply += wire::message('1', "");
    reply += wire::message('Z', "I");
    c.pending.erase(0, end);
    c.ends.pop_front();
    for (size_t& e : c.ends) e -= end;
    if (c.ends.empty()) turn.erase(std::find(turn.begin(), turn.end(), c.id));
    send(c, std::move(reply));
    return true;
  }

  void schedule() {
    if (busy || stopping) return;
    for (auto it = turn.begin(); it != turn.end(); ++it) {
      auto c = clients.find(*it);
      if (c == clients.end()) {
        turn.erase(it);
        return schedule();
      }
      if (owner && owner != *it) {
        // A transaction holds the backend. A client that only prepares
        // statements must not wait for it: it may be the same program that
        // holds that transaction (pgbench -M prepared drives every
        // connection from one thread with a blocking PQprepare).
        if (defer_parse_only(*c->second)) return schedule();
        continue;
      }
      Client& client = *c->second;
      if (!owner && !client.closing) {
        std::string sql = handoff_sql(client);
        if (!sql.empty()) {
          busy = kSwitchJob;
          worker->submit(kSwitchJob, wire::message('Q', sql + '\0'));
          return;
        }
      }
      turn.erase(it);
      size_t end = client.ends.front();
      client.ends.pop_front();
      for (size_t& e : client.ends) e -= end;
      std::string batch = client.deferred + client.pending.substr(0, end);
      client.pending.erase(0, end);
      client.suppress_parse_complete += client.deferred_count;
      client.deferred.clear();
      client.deferred_count = 0;
      client.parses_in_flight = scan::count_messages(batch, 'P');
      client.running = true;
      busy = client.id;
      owner = client.id;
      worker->submit(client.id, std::move(batch));
      return;
    }
  }

  // What the backend must run before `client`'s batch when another client
  // used it last: its settings, and its temporary schemas instead of the
  // previous holder's (parked). Empty when nothing changes hands.
  std::string handoff_sql(Client& client) {
    std::string sql;
    auto add = [&sql](const std::string& statement) { sql += (sql.empty() ? "" : "; ") + statement; };
    if (client.settings != applied) {
      add(internal::settings::restore_sql(client.settings));
      applied = client.settings;
    }
    if (temp_holder != client.id && (temp_holder != 0 || client.temp.schema != 0)) {
      if (temp_holder != 0) {
        const Client& holder = *clients.at(temp_holder);
        add(handoff::park_temp_sql(holder.temp, holder.id));
      }
      if (client.temp.schema != 0) add(handoff::unpark_temp_sql(client.temp));
      // Renaming schemas invalidates the search path, which Postgres then
      // recomputes with these schemas as pg_temp.
      set_backend_temp(client.temp);
      temp_holder = client.temp.schema != 0 ? client.id : 0;
    }
    return sql;
  }

  // Only while no job runs (the worker thread is idle).
  void set_backend_temp(TempNamespace schemas) {
    std::lock_guard<std::recursive_mutex> lock(internal::DatabaseAccess::mutex(*db));
    internal::DatabaseAccess::session(*db).set_temp_namespace(schemas);
  }

  // After a client's batch: the temporary schemas it made (Postgres creates
  // them on first use) or lost (the creating transaction rolled back).
  void note_temp_schemas(Client& c) {
    if (temp_holder != 0 && temp_holder != c.id) return;
    std::lock_guard<std::recursive_mutex> lock(internal::DatabaseAccess::mutex(*db));
    c.temp = internal::DatabaseAccess::session(*db).temp_namespace();
    temp_holder = c.temp.schema != 0 ? c.id : 0;
  }

  // Restores for other clients what `c`'s batch may have undone in the
  // shared backend: LISTEN channels and named statements (each re-parsed
  // in a Sync segment of its own, so one failure does not skip the rest).
  std::string restore_others(Client& c) {
    bool listens = std::exchange(c.touched_listens, false);
    bool statements = std::exchange(c.touched_statements, false);
    std::set<std::string> channels;
    std::string out;
    for (const auto& [id, other] : clients) {
      if (id == c.id || other->closing) continue;
      if (listens) channels.insert(other->channels.begin(), other->channels.end());
      if (!statements) continue;
      for (const auto& [name, parse] : other->statements) {
        out += wire::message('C', "S" + name + '\0') + parse + wire::message('S', "");
      }
    }
    if (!channels.empty()) out += wire::message('Q', handoff::listen_sql(channels) + '\0');
    return out;
  }

  // ---- backend → clients ----
  void on_wake() {
    for (internal::WorkerOutput& o : worker->take_outputs()) {
      if (o.client == kSwitchJob || o.client == kFollowupJob) {
        synthetic_out += o.bytes;
        if (o.done) finish_synthetic(o.client);
        continue;
      }
      auto it = clients.find(o.client);
      Client* c = it == clients.end() ? nullptr : it->second.get();
      if (c && !o.bytes.empty()) route_output(*c, o.bytes);
      if (o.done) finish_job(o.client);
    }
    if (stopping) shutdown_loop();
  }

  void route_output(Client& c, const std::string& bytes) {
    if (c.awaiting_startup) {
      c.startup_out += bytes;
      return;
    }
    c.out += bytes;
    size_t pos = 0, forward_from = 0;
    std::string direct;
    while (c.out.size() - pos >= 5) {
      size_t size = 1 + wire::read_u32(c.out.data() + pos + 1);
      if (c.out.size() - pos < size) break;
      char type = c.out[pos];
      if (type == 'Z' && size >= 6) {
        c.tx_status = c.out[pos + 5];
        direct.append(c.out, forward_from, pos - forward_from);
        c.held_ready = c.out.substr(pos, size);
        forward_from = pos + size;
      }
      if (type == 'G') c.copy_in = true;
      if (type == '1' && c.parses_in_flight > 0) {
        auto& [name, parse] = c.unconfirmed_parses.front();
        if (!name.empty()) c.statements[name] = std::move(parse);
        c.unconfirmed_parses.pop_front();
        c.parses_in_flight--;
      }
      if (type == '1' && c.suppress_parse_complete > 0) {
        c.suppress_parse_complete--;
        direct.append(c.out, forward_from, pos - forward_from);
        forward_from = pos + size;
      }
      if (type == 'A') {
        // Notifications go to the clients that listen on that channel.
        direct.append(c.out, forward_from, pos - forward_from);
        deliver_notification(std::string_view(c.out).substr(pos, size));
        forward_from = pos + size;
      }
      pos += size;
    }
    direct.append(c.out, forward_from, pos - forward_from);
    c.out.erase(0, pos);
    send(c, std::move(direct));
    if (c.copy_in && !c.pending.empty()) {
      worker->supply_input(c.id, std::exchange(c.pending, std::string()));
      c.ends.clear();
    }
  }

  void deliver_notification(std::string_view msg) {
    // body: pid, channel, payload
    std::string_view body = msg.substr(5);
    if (body.size() < 5) return;
    std::string channel(body.substr(4, body.find('\0', 4) - 4));
    for (auto& [id, c] : clients) {
      if (c->started && c->channels.count(channel)) send(*c, std::string(msg));
    }
  }

  void finish_job(uint64_t id) {
    busy = 0;
    auto it = clients.find(id);
    if (it == clients.end()) {
      owner = 0;
      return schedule();
    }
    Client& c = *it->second;
    c.running = false;
    c.copy_in = false;
    // Parses the batch sent without a ParseComplete failed or were skipped.
    c.unconfirmed_parses.erase(c.unconfirmed_parses.begin(),
                               c.unconfirmed_parses.begin() + static_cast<ptrdiff_t>(c.parses_in_flight));
    c.parses_in_flight = 0;
    if (c.awaiting_startup) {
      finish_startup(c);
    } else {
      send(c, std::exchange(c.held_ready, std::string()));
    }
    owner = c.tx_status == 'I' ? 0 : id;
    if (!c.cleanup_sent) note_temp_schemas(c);
    if (c.closing) return forget(id);
    if (!c.ends.empty() && std::find(turn.begin(), turn.end(), id) == turn.end()) turn.push_front(id);
    if (c.tx_status == 'I' && (c.settings_dirty || c.touched_listens || c.touched_statements)) {
      std::string job;
      job += restore_others(c);
      capture_for = std::exchange(c.settings_dirty, false) ? id : 0;
      if (capture_for) job += wire::message('Q', std::string(internal::settings::kCaptureSql) + '\0');
      if (!job.empty()) {
        synthetic_out.clear();
        busy = kFollowupJob;
        worker->submit(kFollowupJob, std::move(job));
        return;
      }
    }
    schedule();
  }

  void finish_synthetic(uint64_t job) {
    busy = 0;
    std::string out = std::exchange(synthetic_out, std::string());
    if (job == kSwitchJob && scan::first_error(out)) {
      applied = "-- unknown";  // rolled back: restore the settings again next time
    }
    if (job == kFollowupJob && capture_for) {
      std::optional<std::string> settings = scan::first_value(out);
      auto it = clients.find(capture_for);
      if (settings) {
        applied = *settings;
        if (it != clients.end()) it->second->settings = *settings;
      }
    }
    schedule();
  }

  // ---- stop ----
  // The clients are gone: leave the backend as a fresh session would be, for
  // whoever uses the Database next (no open transaction, no client's
  // statements, channels, settings or temporary tables).
  void release_backend() {
    std::lock_guard<std::recursive_mutex> lock(internal::DatabaseAccess::mutex(*db));
    try {
      internal::Session& session = internal::DatabaseAccess::session(*db);
      if (session.broken()) return;
      std::string sql = "ROLLBACK; DEALLOCATE ALL; UNLISTEN *; RESET ALL";
      if (temp_holder != 0) sql += "; " + handoff::drop_temp_sql(session.temp_namespace());
      session.simple_query(sql);
      session.set_temp_namespace({});
      session.simple_query(handoff::kSweepParkedSql);
    } catch (const Error&) {
      // closed or broken: nothing left to clean
    }
  }
  void shutdown_loop() {
    if (stopped) return;
    stopped = true;
    for (auto& [id, c] : clients) {
      if (!c->closing) {
        c->closing = true;
        close_timer(*c);
        uv_close(reinterpret_cast<uv_handle_t*>(c->stream()), nullptr);
      }
    }
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp), nullptr);
    if (has_pipe) uv_close(reinterpret_cast<uv_handle_t*>(&pipe), nullptr);
    {
      std::lock_guard<std::mutex> lock(wake_mu);
      wake_open = false;
    }
    uv_close(reinterpret_cast<uv_handle_t*>(&wake), nullptr);
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<Server> Server::start(Database& db, const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->db = &db;
  impl->options = options;
  {
    std::lock_guard<std::recursive_mutex> lock(internal::DatabaseAccess::mutex(db));
    internal::Session& session = internal::DatabaseAccess::session(db);
    impl->handshake = session.startup_messages();
    session.simple_query(handoff::kSweepParkedSql);  // left by a server that did not stop cleanly
  }
  if (!options.password.empty()) impl->scram_secret = internal::ScramSecret::derive(options.password);
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    impl->tls = std::make_unique<internal::TlsContext>(options.tls_cert_file, options.tls_key_file);
  }
  impl->listen_all();
  Impl* raw = impl.get();
  impl->worker = std::make_unique<BackendWorker>(db, [raw] { raw->wake_loop(); });
  impl->thread = std::thread([raw] {
    uv_run(&raw->loop, UV_RUN_DEFAULT);
    uv_loop_close(&raw->loop);
  });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::unique_ptr<Server> Server::start(Database&& db, const ServerOptions& options) {
  auto owned = std::make_unique<Database>(std::move(db));
  auto server = start(*owned, options);
  server->impl_->owned_db = std::move(owned);
  return server;
}

Server::~Server() { stop(); }

void Server::stop() {
  if (!impl_) return;
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->wake_loop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->worker->stop();
  impl_->release_backend();
  if (!impl_->socket_path.empty()) ::unlink(impl_->socket_path.c_str());
}

std::string Server::url() const {
  return "postgresql://postgres@" + impl_->options.host + ":" + std::to_string(impl_->port) + "/postgres";
}
int Server::port() const { return impl_->port; }
const std::string& Server::unix_socket_path() const { return impl_->socket_path; }

}  // namespace pglite
