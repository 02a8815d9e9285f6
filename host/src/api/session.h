// internal::Session - one backend plus its data directory, and the protocol
// round trips on top of Backend::exchange(). Not thread-safe: Database
// serializes access and dispatches callbacks.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "pglite/error.h"
#include "pglite/notice.h"
#include "pglite/options.h"
#include "pglite/result.h"
#include "pglite/value.h"

namespace pglite::shim {
class MemoryDir;
class MemoryImage;
}  // namespace pglite::shim

namespace pglite::internal {

class DataDir;

namespace protocol {
class ResponseCollector;
}

/// Everything one round trip produced.
struct Reply {
  std::vector<Result> results;  ///< completed statements, in order
  std::optional<Error> error;   ///< the statement that failed, if any
  std::vector<Notice> notices;
  std::vector<Notification> notifications;

  void throw_if_error() const {
    if (error) throw *error;
  }
};

class Session {
 public:
  /// Takes ownership; `data_dir` may be null (tests). The backend is destroyed first.
  Session(std::unique_ptr<DataDir> data_dir, std::unique_ptr<Backend> backend);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Simple protocol: one Query message.
  Reply simple_query(std::string_view sql);
  /// Extended protocol: Parse/Bind/Describe/Execute/Sync on the unnamed
  /// statement and portal, text results.
  Reply extended_query(std::string_view sql, std::span<const Param> params);
  /// Query followed by `data` as CopyData and CopyDone.
  Reply copy_from(std::string_view sql, std::string_view data);

  /// Wire passthrough (server): complete frontend messages in, the
  /// backend's bytes out through `sink` as they are produced. `more_input`
  /// feeds COPY FROM STDIN data (see Backend::set_input_provider).
  void forward(std::string_view bytes, const std::function<void(std::string_view)>& sink,
               std::function<std::string()> more_input);
  /// Cancels the running statement; callable from any thread without the
  /// database mutex (which the running statement holds).
  void cancel();
  /// The backend's temporary-schema state (see Backend::temp_namespace).
  TempNamespace temp_namespace() const;
  void set_temp_namespace(TempNamespace state);
  /// The backend's sequence state (see Backend::sequence_state).
  SequenceState sequence_state() const;
  void set_sequence_state(SequenceState state);
  /// The session's FATAL-class timeouts (see Backend::session_timeouts).
  SessionTimeouts session_timeouts() const;
  /// See Backend::set_client_default.
  bool set_client_default(const std::string& name, const std::string& value);
  /// The connection handshake's backend messages (ParameterStatus etc.).
  const std::string& startup_messages() const;

  /// Where PGDATA is: a host directory (null for in-memory databases) ...
  const DataDir* data_dir() const { return data_dir_.get(); }
  /// ... or in memory (null for host directories).
  const std::shared_ptr<shim::MemoryDir>& memory_data_dir() const { return memory_data_dir_; }
  void set_memory_data_dir(std::shared_ptr<shim::MemoryDir> dir) { memory_data_dir_ = std::move(dir); }

  /// Last ReadyForQuery status: 'I', 'T' or 'E'.
  char transaction_status() const { return tx_status_; }
  /// A trap or protocol failure happened; every later call throws XX000.
  bool broken() const { return !broken_reason_.empty(); }
  bool closed() const { return backend_ == nullptr; }

  /// Replaces a broken (or ended) backend with a new one on the same data
  /// directory, host or in memory: Postgres runs crash recovery as after a
  /// crash. Throws pglite::Error if the new backend does not start (the
  /// session stays broken). For the server, which serves on after a crash.
  void restart();
  /// How start_session() started the backend (needed by restart()).
  void set_backend_config(BackendConfig config) { backend_config_ = std::move(config); }

  /// An independent session in this one's state on a copy of its in-memory
  /// PGDATA (see Backend::clone), between round trips. Null if it cannot be
  /// copied that way (PGDATA on disk, a host file open).
  std::unique_ptr<Session> clone();

  /// Terminates the backend (unless broken) and releases the data directory.
  void close();
  /// close(), with Postgres' shutdown checkpoint even for an in-memory
  /// PGDATA (whose files are kept, e.g. as a template).
  void close_cleanly();

 private:
  void close(bool keep_memory_data);
  Reply round_trip(std::string_view request, bool extended);
  void send(std::string_view bytes, protocol::ResponseCollector& collector);
  void check_usable();
  [[noreturn]] void throw_broken() const;
  void mark_broken(const std::string& reason);

  // Declaration order matters: the backend must go before its data directory.
  std::unique_ptr<DataDir> data_dir_;
  std::shared_ptr<shim::MemoryDir> memory_data_dir_;
  std::unique_ptr<Backend> backend_;
  std::optional<BackendConfig> backend_config_;
  std::string broken_reason_;
  char tx_status_ = 'I';
};

/// Starts a backend on `data_dir` configured from `options`; without a data
/// directory, PGDATA is in memory: a copy of `image` if given, else of the
/// template with options.extensions.
std::unique_ptr<Session> start_session(std::unique_ptr<DataDir> data_dir, const Options& options,
                                       std::shared_ptr<const shim::MemoryImage> image = nullptr);

}  // namespace pglite::internal
