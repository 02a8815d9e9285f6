// One running Postgres backend inside its own wasm process (linear memory,
// table, VFS). Speaks raw frontend/backend protocol bytes; everything above
// (messages, results, transactions) lives in host/src/protocol and Database.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pglite::shim {
class MemoryDir;
}

namespace pglite::internal {

struct BackendConfig {
  std::string data_dir;  ///< host directory holding PGDATA (already populated)
  /// Instead of data_dir: PGDATA in memory (temporary databases).
  std::shared_ptr<shim::MemoryDir> memory_data_dir;
  std::vector<std::pair<std::string, std::string>> gucs;  ///< extra -c name=value
  std::string user = "postgres";
  std::string database = "postgres";
  std::function<void(std::string_view)> log;  ///< backend stderr, may be empty
  bool relaxed_durability = false;            ///< fsync off: faster, not crash-safe
  std::vector<std::string> host_directories;  ///< mounted at their own paths
  size_t memory_limit = 0;                    ///< linear memory cap in bytes; 0: the module's
};

/// A backend's temporary schemas: namespace.c's myTempNamespace and
/// myTempToastNamespace (OIDs; 0 = none yet). The server swaps them between
/// clients at transaction boundaries so each has temporary tables of its own.
struct TempNamespace {
  uint32_t schema = 0;
  uint32_t toast_schema = 0;
  bool operator==(const TempNamespace&) const = default;
};

/// A backend's sequence state: sequence.c's seqhashtab (the session's
/// sequence caches, currval) and last_used_seq (lastval), as guest
/// addresses (0 = none yet). The server swaps them between clients so each
/// has its own, as each native session does.
struct SequenceState {
  uint32_t table = 0;
  uint32_t last_used = 0;
  bool operator==(const SequenceState&) const = default;
};

/// The session's timeouts whose expiry ends the session (FATAL), in ms (0 =
/// off): the server enforces them per client, since the backend's own FATAL
/// would end every client's session.
struct SessionTimeouts {
  int idle_in_transaction_ms = 0;
  int idle_session_ms = 0;
  bool operator==(const SessionTimeouts&) const = default;
};

class Backend {
 public:
  /// Instantiates the translated Postgres, runs its single-user startup and
  /// the connection handshake. Throws pglite::Error on failure.
  static std::unique_ptr<Backend> start(const BackendConfig& config);

  virtual ~Backend() = default;

  /// Feeds complete frontend messages (no startup packet); `sink` receives
  /// every byte the backend writes, as it writes them, until it consumed
  /// them all, ending with ReadyForQuery when the input ended with Sync or
  /// Query. A wasm trap throws pglite::Error (SQLSTATE XX000) and marks the
  /// backend broken; every later call throws too.
  virtual void exchange(std::string_view frontend_bytes,
                        const std::function<void(std::string_view)>& sink) = 0;

  virtual bool broken() const = 0;

  /// Asks the running statement to stop with SQLSTATE 57014, as a
  /// CancelRequest would. Safe to call from any thread at any time.
  virtual void cancel() = 0;

  /// Called (on the exchange's thread) when the backend wants more input
  /// than the current exchange supplied — i.e. inside COPY FROM STDIN. It
  /// may block; an empty result means end of input. Unset: end of input.
  virtual void set_input_provider(std::function<std::string()> provider) = 0;

  /// The backend's temporary schemas. Only while no exchange runs.
  virtual TempNamespace temp_namespace() const = 0;
  virtual void set_temp_namespace(TempNamespace state) = 0;

  /// The backend's sequence state. Only while no exchange runs.
  virtual SequenceState sequence_state() const = 0;
  virtual void set_sequence_state(SequenceState state) = 0;

  /// The current values of idle_in_transaction_session_timeout and
  /// idle_session_timeout (read from the guest's GUC variables, no call).
  virtual SessionTimeouts session_timeouts() const = 0;

  /// Makes `value` the setting's value and its RESET value, as a startup
  /// packet parameter is for a native backend (source "client"). Only while
  /// no exchange runs and outside a transaction block. Returns false (and
  /// changes nothing) for an unknown setting or a value Postgres refuses.
  virtual bool set_client_default(const std::string& name, const std::string& value) = 0;

  /// Backend messages of the connection handshake (AuthenticationOk,
  /// ParameterStatus..., BackendKeyData, ReadyForQuery).
  virtual const std::string& startup_messages() const = 0;

  /// An independent backend in this one's state, on a copy of its
  /// in-memory PGDATA (config().memory_data_dir), made between exchanges
  /// without running Postgres: see shim::Process::clone. The session, its
  /// settings and caches are the same; Postgres' random seed is new. Null if
  /// this backend cannot be copied (PGDATA on disk, a host file open).
  /// Throws pglite::Error if the copy cannot be made.
  virtual std::unique_ptr<Backend> clone() = 0;
  virtual const BackendConfig& config() const = 0;

  /// Sends Terminate and runs Postgres' exit hooks (checkpoint on shutdown).
  virtual void close() = 0;
};

}  // namespace pglite::internal
