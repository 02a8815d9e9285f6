// pglite::Server: the transport. A libuv event loop on one thread owns the
// sockets (startup packets, SCRAM, TLS, framing); the Multiplexer decides
// what runs on the backend and who gets its output; a BackendWorker runs
// the backend on another thread.
#include "pglite/server.h"

#include <pthread.h>
#include <signal.h>
#include <uv.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "api/database_access.h"
#include "api/session.h"
#include "protocol/backend_messages.h"
#include "protocol/byte_io.h"
#include "protocol/framing.h"
#include "protocol/frontend.h"
#include "protocol/sqlstate.h"
#include "server/backend_worker.h"
#include "server/multiplexer.h"
#include "server/scram.h"
#include "server/statement_scan.h"
#include "server/tls.h"
#include "server/wire.h"

namespace pglite {
namespace {

using internal::BackendWorker;
using internal::Multiplexer;
using internal::SequenceState;
using internal::TempNamespace;
namespace scan = internal::scan;
namespace protocol = internal::protocol;
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

// The client's next complete message, nullopt while incomplete; `invalid`
// is set when its length word is out of range (the reader throws 08P01).
std::optional<protocol::Message> next_message(protocol::MessageReader& reader, bool& invalid) {
  try {
    return reader.next();
  } catch (const Error&) {
    invalid = true;
    return std::nullopt;
  }
}

}  // namespace

struct Server::Impl : internal::MultiplexerHost {
  struct Connection {
    Impl* server = nullptr;
    uint64_t id = 0;
    union {
      uv_tcp_t tcp;
      uv_pipe_t pipe;
    } handle;
    bool started = false;  // startup packet accepted
    bool authed = false;   // authentication done, handed to the multiplexer
    bool closing = false;  // handle being closed
    std::unique_ptr<internal::ScramExchange> scram;
    bool scram_started = false;
    uv_timer_t startup_timer;  // closes connections that never finish startup
    bool timer_open = false;
    int open_handles = 1;                       // the socket, plus the timer while it exists
    std::unique_ptr<internal::TlsSession> tls;  // after an accepted SSLRequest
    std::string user;
    std::vector<std::pair<std::string, std::string>> startup_settings;
    std::string in;  // unframed bytes from the socket
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
  uv_timer_t idle_timer{};  // the clients' idle timeouts (Multiplexer::timer)
  int port = 0;
  std::string socket_path;
  std::optional<internal::ScramSecret> scram_secret;
  std::unique_ptr<internal::TlsContext> tls;
  std::map<uint64_t, std::unique_ptr<Connection>> connections;
  uint64_t next_id = 1;
  std::unique_ptr<Multiplexer> mux;
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

  // ---- MultiplexerHost ----
  void send(uint64_t client, std::string bytes) override {
    if (Connection* c = find(client)) send(*c, std::move(bytes));
  }
  void close(uint64_t client) override {
    if (Connection* c = find(client)) close_client(*c);
  }
  void submit(uint64_t job, std::string bytes) override { worker->submit(job, std::move(bytes)); }
  void supply_input(uint64_t job, std::string bytes) override { worker->supply_input(job, std::move(bytes)); }
  void restart_backend() override { worker->restart(); }
  void set_client_defaults(uint64_t job, std::vector<std::pair<std::string, std::string>> settings) override {
    worker->submit_task(job, [settings = std::move(settings)](internal::Session& session) {
      for (const auto& [name, value] : settings) session.set_client_default(name, value);
      return std::string();
    });
  }
  // Only while no job runs (the worker thread is idle). A closed session
  // (no backend could be restarted) has no temporary schemas and no
  // sequence state: `use` is skipped and the default returned.
  template <typename Use>
  auto with_idle_session(Use use) {
    using Result = decltype(use(std::declval<internal::Session&>()));
    std::lock_guard<std::recursive_mutex> lock(internal::DatabaseAccess::mutex(*db));
    try {
      return use(internal::DatabaseAccess::session(*db));
    } catch (const Error&) {
      if constexpr (!std::is_void_v<Result>) return Result{};
    }
  }
  TempNamespace temp_namespace() override {
    return with_idle_session([](internal::Session& s) { return s.temp_namespace(); });
  }
  void set_temp_namespace(TempNamespace schemas) override {
    with_idle_session([&](internal::Session& s) { s.set_temp_namespace(schemas); });
  }
  SequenceState sequence_state() override {
    return with_idle_session([](internal::Session& s) { return s.sequence_state(); });
  }
  void set_sequence_state(SequenceState state) override {
    with_idle_session([&](internal::Session& s) { s.set_sequence_state(state); });
  }
  internal::SessionTimeouts session_timeouts() override {
    return with_idle_session([](internal::Session& s) { return s.session_timeouts(); });
  }
  void arm_timer(uint64_t ms) override {
    uv_timer_start(
        &idle_timer,
        [](uv_timer_t* t) {
          auto* self = static_cast<Impl*>(t->data);
          if (!self->stopped) self->mux->timer();
        },
        ms, 0);
  }
  void cancel() override {
    try {
      internal::DatabaseAccess::session(*db).cancel();
    } catch (const Error&) {
    }
  }

  Connection* find(uint64_t id) {
    auto it = connections.find(id);
    return it == connections.end() || it->second->closing ? nullptr : it->second.get();
  }

  // ---- setup ----
  void listen_all() {
    uv_loop_init(&loop);
    uv_async_init(&loop, &wake, [](uv_async_t* a) { static_cast<Impl*>(a->data)->on_wake(); });
    wake.data = this;
    uv_timer_init(&loop, &idle_timer);
    idle_timer.data = this;
    sockaddr_in addr{};
    if (uv_ip4_addr(options.host.c_str(), options.port, &addr) != 0)
      throw Error(sqlstate::kInvalidParameterValue, "bad listen address " + options.host);
    uv_tcp_init(&loop, &tcp);
    tcp.data = this;
    int r = uv_tcp_bind(&tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
    if (r == 0) r = uv_listen(reinterpret_cast<uv_stream_t*>(&tcp), 128, on_connection);
    if (r != 0)
      throw Error(sqlstate::kSystemError,
                  std::string("cannot listen on ") + options.host + ": " + uv_strerror(r));
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
        throw Error(sqlstate::kUndefinedFile, "cannot listen on " + socket_path + ": directory " +
                                                  options.unix_socket_dir + " does not exist");
      if (r != 0)
        throw Error(sqlstate::kSystemError, "cannot listen on " + socket_path + ": " + uv_strerror(r));
    }
  }

  // ---- connections ----
  static void on_connection(uv_stream_t* listener, int status) {
    auto* self = static_cast<Impl*>(listener->data);
    if (status < 0) return;
    auto owned = std::make_unique<Connection>();
    Connection* c = owned.get();
    c->server = self;
    c->id = self->next_id++;
    if (listener == reinterpret_cast<uv_stream_t*>(&self->tcp)) {
      uv_tcp_init(&self->loop, &c->handle.tcp);
      uv_tcp_nodelay(&c->handle.tcp, 1);
    } else {
      uv_pipe_init(&self->loop, &c->handle.pipe, 0);
    }
    c->stream()->data = c;
    self->connections[c->id] = std::move(owned);
    if (uv_accept(listener, c->stream()) != 0) {
      self->close_client(*c);  // freed when the handle is closed
      return;
    }
    uv_timer_init(&self->loop, &c->startup_timer);
    c->startup_timer.data = c;
    c->timer_open = true;
    c->open_handles++;
    uv_timer_start(
        &c->startup_timer,
        [](uv_timer_t* t) {
          auto* cl = static_cast<Connection*>(t->data);
          if (cl->authed) return;
          cl->server->send(*cl, protocol::error_response("FATAL", sqlstate::kConnectionFailure,
                                                         "timeout waiting for startup and authentication"));
          cl->server->close_client(*cl);
        },
        self->options.startup_timeout_ms, 0);
    if (self->connections.size() > self->options.max_connections) {
      self->send(*c, protocol::error_response("FATAL", sqlstate::kTooManyConnections,
                                              "sorry, too many clients already"));
      self->close_client(*c);
      return;
    }
    uv_read_start(
        c->stream(),
        [](uv_handle_t*, size_t suggested, uv_buf_t* buf) {
          buf->base = new char[suggested];
          buf->len = suggested;
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
          auto* cl = static_cast<Connection*>(s->data);
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
  void receive(Connection& c, std::string_view bytes) {
    if (!c.tls) {
      c.in.append(bytes);
      return;
    }
    std::string to_peer;
    bool ok = c.tls->receive(bytes, &c.in, &to_peer);
    write_raw(c, std::move(to_peer));
    if (!ok) close_client(c);
  }

  void send(Connection& c, std::string bytes) {
    if (c.tls && !bytes.empty()) {
      std::string cipher;
      if (!c.tls->send(bytes, &cipher)) return close_client(c);
      bytes = std::move(cipher);
    }
    write_raw(c, std::move(bytes));
  }

  void write_raw(Connection& c, std::string bytes) {
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

  void close_client(Connection& c) {
    if (c.closing) return;
    c.closing = true;
    uv_read_stop(c.stream());
    close_timer(c);
    uv_close(reinterpret_cast<uv_handle_t*>(c.stream()), on_handle_closed);
  }

  void close_timer(Connection& c) {
    if (!c.timer_open) return;
    c.timer_open = false;
    uv_timer_stop(&c.startup_timer);
    uv_close(reinterpret_cast<uv_handle_t*>(&c.startup_timer), on_handle_closed);
  }

  // A connection is freed once all its handles are closed (libuv may run
  // the close callbacks in any order); the multiplexer then cleans up after
  // the client.
  static void on_handle_closed(uv_handle_t* h) {
    auto* c = static_cast<Connection*>(h->data);
    if (--c->open_handles > 0) return;
    Impl* self = c->server;
    uint64_t id = c->id;
    bool authed = c->authed;
    self->connections.erase(id);
    if (authed && !self->stopped) self->mux->disconnected(id);
  }

  // ---- client -> multiplexer ----
  void on_input(Connection& c) {
    if (!c.started) {
      if (!handle_startup(c)) return;
    }
    while (!c.closing && !c.authed) {
      protocol::MessageReader reader(c.in, 64 * 1024);
      bool invalid = false;
      std::optional<protocol::Message> m = next_message(reader, invalid);
      if (invalid || (m && m->type != 'p')) {
        send(c,
             protocol::error_response("FATAL", sqlstate::kProtocolViolation, "expected a password message"));
        close_client(c);
        return;
      }
      if (!m) return;
      std::string body(m->body);
      c.in.erase(0, reader.consumed());
      authenticate(c, body);
    }
    protocol::MessageReader reader(c.in, options.max_message_bytes);
    while (!c.closing) {
      bool invalid = false;
      std::optional<protocol::Message> m = next_message(reader, invalid);
      if (invalid) {
        send(c, protocol::error_response("FATAL", sqlstate::kProtocolViolation, "invalid message length"));
        close_client(c);
        break;
      }
      if (!m) break;
      if (!frontend_type(m->type)) {
        send(c, protocol::error_response("FATAL", sqlstate::kProtocolViolation,
                                         "invalid frontend message type " + std::to_string(int(m->type))));
        close_client(c);
        break;
      }
      if (m->type == 'X') {
        close_client(c);
        break;
      }
      mux->message(c.id, m->frame);
    }
    c.in.erase(0, reader.consumed());
    mux->schedule();
  }

  // Startup packet: SSLRequest (TLS if configured), GSSENCRequest declined,
  // CancelRequest, then protocol 3.0 with its parameters.
  bool handle_startup(Connection& c) {
    for (;;) {
      if (c.in.size() < 8) return false;
      protocol::ByteReader packet(c.in, "startup packet");
      uint32_t len = packet.uint32();
      if (len < 8 || len > 10000) {
        send(c, protocol::error_response("FATAL", sqlstate::kProtocolViolation,
                                         "invalid startup packet length"));
        close_client(c);
        return false;
      }
      if (c.in.size() < len) return false;
      uint32_t code = packet.uint32();
      std::string body = c.in.substr(4, len - 4);
      c.in.erase(0, len);
      if (code == protocol::kSslRequestCode && tls && !c.tls) {
        write_raw(c, "S");
        c.tls = std::make_unique<internal::TlsSession>(*tls);
        if (!c.in.empty()) {  // bytes that came after the request are TLS already
          std::string early = std::exchange(c.in, std::string());
          receive(c, early);
        }
        continue;
      }
      if (code == protocol::kSslRequestCode || code == protocol::kGssEncRequestCode) {
        send(c, "N");
        continue;
      }
      if (code == protocol::kCancelRequestCode) {
        if (body.size() >= 12) {
          protocol::ByteReader key(std::string_view(body).substr(4), "CancelRequest");  // pid, secret
          uint32_t pid = key.uint32();
          mux->cancel(pid, key.uint32());
        }
        close_client(c);  // a cancel connection gets no answer, as in Postgres
        return false;
      }
      if (code != protocol::kProtocolVersion3) {
        send(c, protocol::error_response("FATAL", sqlstate::kFeatureNotSupported,
                                         "unsupported frontend protocol"));
        close_client(c);
        return false;
      }
      c.started = true;
      std::vector<std::pair<std::string, std::string>> params = wire::startup_parameters(body);
      for (auto& [key, value] : params) {
        if (key == "user") c.user = value;
      }
      try {
        c.startup_settings = scan::startup_settings(params);
      } catch (const Error& e) {
        send(c, protocol::error_response("FATAL", e.sqlstate(), e.message()));
        close_client(c);
        return false;
      }
      if (scram_secret) {
        c.scram = std::make_unique<internal::ScramExchange>(*scram_secret);
        std::string sasl;
        protocol::MessageWriter m(sasl, 'R');
        m.body().int32(10);  // AuthenticationSASL
        m.body().cstring("SCRAM-SHA-256");
        m.body().byte('\0');  // end of the mechanism list
        m.finish();
        send(c, std::move(sasl));
        return true;
      }
      finish_authentication(c);
      return true;
    }
  }

  // SASLInitialResponse, then SASLResponse (both 'p' messages).
  void authenticate(Connection& c, std::string_view body) {
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
      send(c, protocol::error_response("FATAL", sqlstate::kInvalidPassword,
                                       "password authentication failed for user \"" + c.user + "\""));
      close_client(c);
      return;
    }
    std::string out;
    protocol::MessageWriter m(out, 'R');
    m.body().int32(initial ? 11 : 12);  // SASLContinue / SASLFinal
    m.body().bytes(*reply);
    m.finish();
    send(c, std::move(out));
    if (!initial) finish_authentication(c);
  }

  // The multiplexer sends the handshake, after the backend has applied (and
  // checked) the startup-packet settings.
  void finish_authentication(Connection& c) {
    c.authed = true;
    close_timer(c);
    mux->connect(c.id, std::exchange(c.startup_settings, {}));
  }

  // ---- backend -> multiplexer ----
  void on_wake() {
    for (internal::WorkerOutput& o : worker->take_outputs()) {
      if (stopped) break;
      if (o.restart) {
        mux->backend_restarted(o.bytes.empty() ? std::nullopt : std::optional<std::string>(o.bytes));
        continue;
      }
      if (!o.bytes.empty()) mux->backend_output(o.client, o.bytes);
      if (o.done) mux->backend_done(o.client, o.broken);
    }
    if (stopping) shutdown_loop();
  }

  // ---- stop ----
  // The clients are gone: leave the backend as a fresh session would be, for
  // whoever uses the Database next (no open transaction, no client's
  // statements, channels, settings, role or temporary tables).
  void release_backend() {
    std::lock_guard<std::recursive_mutex> lock(internal::DatabaseAccess::mutex(*db));
    try {
      internal::Session& session = internal::DatabaseAccess::session(*db);
      if (session.broken()) return;
      session.simple_query("ROLLBACK");
      for (const auto& [name, value] : mux->server_defaults()) session.set_client_default(name, value);
      session.simple_query(internal::session_state::backend_user_sql(mux->backend_user()) + "; RESET ALL");
      session.simple_query("DEALLOCATE ALL; UNLISTEN *");
      if (mux->temp_holder() != 0 && mux->temp_names().known()) {
        session.simple_query(internal::temp_schemas::drop_sql(mux->temp_names(), mux->temp_holder(), false));
      }
      session.set_temp_namespace({});
      internal::sweep_parked_temp_schemas(session);
    } catch (const Error&) {
      // closed or broken: nothing left to clean
    }
  }
  void shutdown_loop() {
    if (stopped) return;
    stopped = true;
    for (auto& [id, c] : connections) {
      if (!c->closing) {
        c->closing = true;
        close_timer(*c);
        uv_close(reinterpret_cast<uv_handle_t*>(c->stream()), nullptr);
      }
    }
    uv_timer_stop(&idle_timer);
    uv_close(reinterpret_cast<uv_handle_t*>(&idle_timer), nullptr);
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
    internal::sweep_parked_temp_schemas(session);  // left by a server that did not stop cleanly
    internal::Reply user = session.simple_query("SELECT session_user");
    if (user.error) throw *user.error;
    impl->mux = std::make_unique<Multiplexer>(*impl, session.startup_messages(),
                                              std::string(user.results.back().value(0, 0).value_or("")));
  }
  if (!options.password.empty()) impl->scram_secret = internal::ScramSecret::derive(options.password);
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    impl->tls = std::make_unique<internal::TlsContext>(options.tls_cert_file, options.tls_key_file);
  }
  impl->listen_all();
  Impl* raw = impl.get();
  impl->worker = std::make_unique<BackendWorker>(db, [raw] { raw->wake_loop(); });
  impl->thread = std::thread([raw] {
    // A write to a client that has gone raises SIGPIPE, whose default action
    // ends the host process. Blocked in this thread (the only one writing to
    // sockets), the write fails with EPIPE instead and only that connection
    // ends; the application's own SIGPIPE handling is left alone.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
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
