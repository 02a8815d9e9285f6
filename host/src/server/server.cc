// pglite::Server: libuv event loop (sockets, framing, scheduling) on one
// thread, the backend on another (BackendWorker).
#include "pglite/server.h"

#include <uv.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "api/database_access.h"
#include "api/session.h"
#include "server/backend_worker.h"
#include "server/scram.h"
#include "server/tls.h"
#include "server/wire.h"

namespace pglite {
namespace {

using internal::BackendWorker;
namespace wire = internal::wire;

// A client's bytes may only be passed to the backend in whole batches that
// end where the client waits for an answer.
bool ends_batch(char type) { return type == 'S' || type == 'Q' || type == 'H' || type == 'c' || type == 'f'; }

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

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// LISTEN/UNLISTEN in a simple query: which channel this client wants
// notifications for (they are session-wide in the shared backend).
void track_listen(std::string_view sql, std::set<std::string>* channels) {
  sql = sql.substr(0, sql.find('\0'));  // the message body ends with NUL
  size_t first = sql.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return;
  char c0 = static_cast<char>(std::tolower(static_cast<unsigned char>(sql[first])));
  if (c0 != 'l' && c0 != 'u') return;  // only LISTEN/UNLISTEN matter: skip the copy
  std::string s = lower(std::string(sql));
  size_t i = s.find_first_not_of(" \t\r\n");
  if (i == std::string::npos) return;
  bool listen = s.compare(i, 7, "listen ") == 0;
  bool unlisten = s.compare(i, 9, "unlisten ") == 0;
  if (!listen && !unlisten) return;
  size_t start = s.find_first_not_of(" \t\r\n", i + (listen ? 7 : 9));
  if (start == std::string::npos) return;
  size_t end = s.find_first_of(" \t\r\n;", start);
  std::string channel =
      std::string(sql.substr(start, end == std::string::npos ? sql.size() - start : end - start));
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

// A batch of only Parse messages and a Sync (what PQprepare sends): the
// number of Parse messages, or 0 if the batch is anything else.
int parse_only_batch(std::string_view batch) {
  int parses = 0;
  size_t pos = 0;
  while (pos + 5 <= batch.size()) {
    char type = batch[pos];
    size_t size = 1 + wire::read_u32(batch.data() + pos + 1);
    bool last = pos + size == batch.size();
    if (last) return type == 'S' ? parses : 0;
    if (type != 'P') return 0;
    parses++;
    pos += size;
  }
  return 0;
}

// Could this statement change session settings? (A cheap over-approximation:
// a false positive only costs one settings capture.)
bool mentions_settings(std::string_view msg) {
  std::string_view body = msg.substr(5);
  auto eq = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; };
  std::string_view needle = "set";
  return std::search(body.begin(), body.end(), needle.begin(), needle.end(), eq) != body.end();
}

// Text of the first column of the first DataRow in a backend reply.
std::optional<std::string> first_value(const std::string& out) {
  size_t pos = 0;
  while (pos + 5 <= out.size()) {
    size_t size = 1 + wire::read_u32(out.data() + pos + 1);
    if (out[pos] == 'D' && size >= 11) {
      uint32_t len = wire::read_u32(out.data() + pos + 7);
      if (len == 0xFFFFFFFFu) return std::string();
      return out.substr(pos + 11, len);
    }
    pos += size;
  }
  return std::nullopt;
}

constexpr const char* kCaptureSettingsSql =
    "SELECT coalesce(string_agg(format('SET %I = %L', name, setting), '; ' ORDER BY name), '')"
    " FROM pg_settings WHERE source = 'session'";

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
    std::string out;  // backend bytes not yet framed
    std::set<std::string> statements;
    std::set<std::string> channels;
    std::string prefix;   // object-name prefix
    uint32_t secret = 0;  // BackendKeyData secret for CancelRequest
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
  static constexpr uint64_t kSwitchJob = UINT64_MAX - 1;
  static constexpr uint64_t kCaptureJob = UINT64_MAX - 2;
  std::string applied;
  uint64_t capture_for = 0;
  std::string capture_out;
  std::deque<uint64_t> turn;  // clients with a ready batch, in arrival order
  std::unique_ptr<BackendWorker> worker;
  std::thread thread;
  std::mutex stop_mu;
  bool stopping = false;
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

  // The handle is gone; undo what the client left in the shared backend.
  void forget(uint64_t id) {
    auto it = clients.find(id);
    if (it == clients.end()) return;
    Client& c = *it->second;
    if (c.running) return;  // finish_job() calls back when the batch ends
    std::string cleanup;
    if (c.tx_status != 'I') cleanup += wire::message('Q', std::string("ROLLBACK") + '\0');
    for (const std::string& name : c.statements) cleanup += wire::message('C', "S" + name + '\0');
    if (!c.statements.empty()) cleanup += wire::message('S', "");
    if (cleanup.empty()) {
      if (owner == id) owner = 0;
      clients.erase(it);
      schedule();
      return;
    }
    c.statements.clear();
    c.tx_status = 'I';
    c.pending = cleanup;
    c.ends.assign(1, cleanup.size());
    turn.push_front(id);  // the owner's cleanup goes first
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
      if (type == 'P') {
        std::string name = wire::parsed_statement_name(msg);
        if (!name.empty()) c.statements.insert(c.prefix + name);
      } else if (type == 'C' && msg.size() > 6 && msg[5] == 'S') {
        c.statements.erase(c.prefix + std::string(msg.substr(6, msg.find('\0', 6) - 6)));
      } else if (type == 'Q') {
        track_listen(std::string_view(msg).substr(5), &c.channels);
      }
      if ((type == 'Q' || type == 'P') && mentions_settings(msg)) c.settings_dirty = true;
      c.pending += wire::rename_objects(msg, c.prefix);
      if (c.running && c.copy_in) {
        // The backend is inside COPY FROM STDIN waiting for this data.
        if (type == 'c' || type == 'f') c.copy_in = false;
        worker->supply_input(c.id, std::exchange(c.pending, std::string()));
        c.ends.clear();
        continue;
      }
      if (ends_batch(type)) {
        if (c.ends.empty() && !c.running && std::find(turn.begin(), turn.end(), c.id) == turn.end()) {
          turn.push_back(c.id);
        }
        c.ends.push_back(c.pending.size());
      }
    }
    schedule();
  }

  // Startup packet: SSL/GSS requests are declined, cancel is not yet
  // supported, protocol 3.0 is accepted with trust authentication.
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
      for (auto& [key, value] : wire::startup_parameters(body)) {
        if (key == "user") c.user = value;
      }
      if (scram_secret) {
        c.scram = std::make_unique<internal::ScramExchange>(*scram_secret);
        std::string body;
        wire::put_u32(body, 10);  // AuthenticationSASL
        body += std::string("SCRAM-SHA-256") + '\0' + '\0';
        send(c, wire::message('R', body));
        return true;
      }
      c.authed = true;
      close_timer(c);
      send(c, client_handshake(c));
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
    if (!initial) {
      c.authed = true;
      close_timer(c);
      send(c, client_handshake(c));
    }
  }

  // A CancelRequest names a client by its BackendKeyData; only the
  // statement of that client is cancelled, and only while it runs.
  void cancel(uint32_t pid, uint32_t secret) {
    auto it = clients.find(pid);
    if (it == clients.end() || it->second->secret != secret || busy != pid) return;
    internal::DatabaseAccess::session(*db).cancel();
  }

  // The backend's own handshake, with this client's BackendKeyData.
  std::string client_handshake(Client& c) {
    std::string out;
    size_t pos = 0;
    while (pos + 5 <= handshake.size()) {
      size_t size = 1 + wire::read_u32(handshake.data() + pos + 1);
      std::string_view msg(handshake.data() + pos, size);
      if (msg[0] == 'K') {
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
    int parses = parse_only_batch(batch);
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
      if (!owner && client.settings != applied) {
        // Another client's settings are in effect: restore this one's first.
        std::string sql = "RESET ALL";
        if (!client.settings.empty()) sql += "; " + client.settings;
        applied = client.settings;
        busy = kSwitchJob;
        worker->submit(kSwitchJob, wire::message('Q', sql + '\0'));
        return;
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
      client.running = true;
      busy = client.id;
      owner = client.id;
      worker->submit(client.id, std::move(batch));
      return;
    }
  }

  // ---- backend → clients ----
  void on_wake() {
    for (internal::WorkerOutput& o : worker->take_outputs()) {
      if (o.client == kSwitchJob || o.client == kCaptureJob) {
        if (o.client == kCaptureJob) capture_out += o.bytes;
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
    } else {
      Client& c = *it->second;
      c.running = false;
      c.copy_in = false;
      send(c, std::exchange(c.held_ready, std::string()));
      owner = c.tx_status == 'I' ? 0 : id;
      if (c.closing) {
        forget(id);
        return;
      }
      if (c.settings_dirty && c.tx_status == 'I') {
        c.settings_dirty = false;
        if (!c.ends.empty() && std::find(turn.begin(), turn.end(), id) == turn.end()) turn.push_front(id);
        capture_for = id;
        capture_out.clear();
        busy = kCaptureJob;
        worker->submit(kCaptureJob, wire::message('Q', std::string(kCaptureSettingsSql) + '\0'));
        return;
      }
      if (!c.ends.empty() && std::find(turn.begin(), turn.end(), id) == turn.end()) turn.push_front(id);
    }
    schedule();
  }

  void finish_synthetic(uint64_t job) {
    busy = 0;
    if (job == kCaptureJob) {
      std::optional<std::string> settings = first_value(capture_out);
      auto it = clients.find(capture_for);
      if (settings) {
        applied = *settings;
        if (it != clients.end()) it->second->settings = *settings;
      }
      capture_out.clear();
    }
    schedule();
  }

  // ---- stop ----
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
    impl->handshake = internal::DatabaseAccess::session(db).startup_messages();
  }
  if (!options.password.empty()) impl->scram_secret = internal::ScramSecret::derive(options.password);
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    impl->tls = std::make_unique<internal::TlsContext>(options.tls_cert_file, options.tls_key_file);
  }
  impl->listen_all();
  Impl* raw = impl.get();
  impl->worker = std::make_unique<BackendWorker>(db, [raw] { uv_async_send(&raw->wake); });
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
  uv_async_send(&impl_->wake);
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->worker->stop();
  if (!impl_->socket_path.empty()) ::unlink(impl_->socket_path.c_str());
}

std::string Server::url() const {
  return "postgresql://postgres@" + impl_->options.host + ":" + std::to_string(impl_->port) + "/postgres";
}
int Server::port() const { return impl_->port; }
const std::string& Server::unix_socket_path() const { return impl_->socket_path; }

}  // namespace pglite
