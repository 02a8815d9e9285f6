// The server's multiplexing, without sockets or threads: many clients, one
// backend session, taken in turns at transaction boundaries. Everything a
// client may leave in the shared session (settings, role, temporary
// schemas, statements, LISTENs) is put back or cleared when the backend
// changes hands, so no client sees another's state. server.cc drives it
// from its event loop; tests drive it directly (tests/unit/multiplexer_test.cc).
//
// Inputs: connect / message / disconnected (from the transport),
// backend_output / backend_done / backend_restarted (from the backend).
// Outputs go through MultiplexerHost. Not thread-safe: one caller thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "server/session_state.h"
#include "server/sql_statements.h"
#include "server/statement_scan.h"
#include "server/temp_schemas.h"

namespace pglite::internal {

/// What the multiplexer needs from its surroundings.
class MultiplexerHost {
 public:
  virtual ~MultiplexerHost() = default;
  /// Bytes for a client's connection (ignored if it is gone).
  virtual void send(uint64_t client, std::string bytes) = 0;
  /// Ends a client's connection after what was sent; the transport then
  /// calls Multiplexer::disconnected().
  virtual void close(uint64_t client) = 0;
  /// Runs frontend messages on the backend; the output comes back through
  /// Multiplexer::backend_output() and backend_done(). One job at a time.
  virtual void submit(uint64_t job, std::string bytes) = 0;
  /// More input for the client's submitted job (COPY FROM STDIN data),
  /// read only if Postgres asks for it.
  virtual void supply_input(uint64_t job, std::string bytes) = 0;
  /// Replaces a broken backend with a new one on the same data (crash
  /// recovery); the result comes back through backend_restarted().
  virtual void restart_backend() = 0;
  /// The backend's temporary schemas; called only while no job runs.
  virtual TempNamespace temp_namespace() = 0;
  virtual void set_temp_namespace(TempNamespace schemas) = 0;
  /// The backend's sequence caches and lastval(); called only while no job runs.
  virtual SequenceState sequence_state() = 0;
  virtual void set_sequence_state(SequenceState state) = 0;
  /// The backend's idle timeouts (the running client's); called only while no job runs.
  virtual SessionTimeouts session_timeouts() = 0;
  /// Calls Multiplexer::timer() after `ms` milliseconds, replacing an earlier request.
  virtual void arm_timer(uint64_t ms) = 0;
  /// Makes each (name, value) a setting's RESET value, and its value unless
  /// a session SET outranks it, as a startup-packet parameter is for a
  /// native backend (source "client"); a value Postgres refuses changes
  /// nothing. Runs as job `job`: backend_done() reports its end.
  virtual void set_client_defaults(uint64_t job,
                                   std::vector<std::pair<std::string, std::string>> settings) = 0;
  /// Cancels the running job's statement (57014).
  virtual void cancel() = 0;
};

class Multiplexer {
 public:
  /// Job id of the multiplexer's own work (switching, capturing, cleanup).
  static constexpr uint64_t kInternalJob = UINT64_MAX - 1;

  /// `handshake`: the backend's startup messages, replayed to each client;
  /// `backend_user`: the session user of a fresh session (a superuser).
  Multiplexer(MultiplexerHost& host, std::string handshake, std::string backend_user);
  ~Multiplexer();
  Multiplexer(const Multiplexer&) = delete;
  Multiplexer& operator=(const Multiplexer&) = delete;

  /// A client finished authentication: it gets the handshake, after the
  /// backend has applied `startup_settings` (name, value) if any; a bad
  /// setting fails the connection with FATAL. `id` is also the pid in its
  /// BackendKeyData.
  void connect(uint64_t id, const std::vector<std::pair<std::string, std::string>>& startup_settings);
  /// One complete frontend message from a connected client (any type the
  /// transport accepts after startup, except Terminate). Call schedule()
  /// after a run of messages.
  void message(uint64_t id, std::string_view msg);
  /// Starts the next job if the backend is free.
  void schedule();
  /// The client's connection is gone: its transaction is rolled back, its
  /// statements, state and temporary tables dropped.
  void disconnected(uint64_t id);
  /// CancelRequest with a client's BackendKeyData.
  void cancel(uint32_t pid, uint32_t secret);
  /// Ends the connections that have been idle longer than their
  /// idle_in_transaction_session_timeout or idle_session_timeout allows
  /// (FATAL, as Postgres ends such a session), then arms the next check.
  void timer();

  void backend_output(uint64_t job, std::string_view bytes);
  /// The job ended; `broken`: the backend died in it (trap, FATAL).
  void backend_done(uint64_t job, bool broken);
  /// After restart_backend(): nullopt when a new backend serves, else why not.
  void backend_restarted(const std::optional<std::string>& failure);

  /// The client whose temporary schemas the backend points at (0: none).
  uint64_t temp_holder() const { return temp_holder_; }
  /// Standard temporary-schema names, once learnt.
  const temp_schemas::Names& temp_names() const { return temp_names_; }
  const std::string& backend_user() const { return backend_user_; }
  /// What set_client_defaults() must be given to return the backend to
  /// the server's own RESET values (empty when it has them).
  std::vector<std::pair<std::string, std::string>> server_defaults() const;

 private:
  struct Client;  // multiplexer_client.h

  bool defer_parse_only(Client& c);
  bool start_defaults(Client& client);
  bool start_handoff(Client& client);
  scan::SqlStatementUse sql_statement_use(const Client& client) const;
  void sql_moves(const Client& client, std::vector<sql_statements::Statement>* deallocate,
                 std::vector<const sql_statements::Statement*>* prepare) const;
  bool start_sql_moves_in_transaction(Client& client);
  void forget_sql_statements(uint64_t id);
  std::string handoff_job(Client& client, std::vector<bool>* checked,
                          std::vector<std::pair<size_t, std::string>>* prepared);
  void run_internal(std::string bytes, std::function<void(const std::string&)> then);
  void route_output(Client& c, std::string_view bytes);
  void deliver_notification(std::string_view msg);
  void finish_job(uint64_t id);
  void finish_startup(Client& c);
  std::string client_handshake(Client& c, const std::vector<std::string>& changed);
  void followup(Client& c);
  std::string restore_others(Client& c);
  void note_temp_schemas(Client& c);
  void forget(uint64_t id);
  std::string cleanup_batch(const Client& c) const;
  void fail_client(Client& c, const char* sqlstate, const std::string& text);
  void crashed(const std::string& reason);
  void scan_fatal(std::string_view bytes);
  void use_sequences(Client& client);
  std::optional<std::chrono::steady_clock::time_point> idle_deadline(const Client& c) const;
  void arm_timer();

  MultiplexerHost& host_;
  std::string handshake_;
  std::string backend_user_;
  std::map<uint64_t, std::unique_ptr<Client>> clients_;
  uint64_t owner_ = 0;            // client holding the backend (in a transaction or COPY)
  uint64_t busy_ = 0;             // job running (a client id or kInternalJob)
  std::deque<uint64_t> turn_;     // clients with a ready batch, in arrival order
  SessionState applied_;          // what the backend has now
  uint64_t temp_holder_ = 0;      // client whose temporary schemas the backend uses
  uint64_t sequence_holder_ = 0;  // client whose sequence state the backend has
  // Client whose session state (settings, identity, SQL-level prepared
  // statements) the backend has: the last one whose batch ran.
  uint64_t state_holder_ = 0;
  // The SQL-level prepared statements the backend has: name -> its client.
  // Each stays there until a batch of another client could see or use it.
  std::map<std::string, uint64_t> sql_present_;
  // Client whose unnamed statement the backend has (0: none, or unknown).
  uint64_t unnamed_holder_ = 0;
  // The startup-packet settings the backend has as RESET values (lower-case
  // names), and the server's own RESET values, learnt before any client's
  // were applied.
  std::map<std::string, std::string> client_defaults_;
  std::optional<std::map<std::string, std::string>> server_defaults_;
  temp_schemas::Names temp_names_;
  std::string internal_out_;
  std::function<void(const std::string&)> internal_then_;
  bool backend_lost_ = false;  // a FATAL/PANIC went by in the running job
  bool restarting_ = false;
  std::optional<std::string> dead_;  // the backend could not be restarted
  std::chrono::steady_clock::time_point last_restart_;
};

}  // namespace pglite::internal
