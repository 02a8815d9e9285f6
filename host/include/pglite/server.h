// pglite::Server - a local PostgreSQL wire-protocol server (v3) on an
// embedded database, so psql, libpq, JDBC, node-pg, pgbench... can connect.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "pglite/database.h"
#include "pglite/export.h"

namespace pglite {

struct ServerOptions {
  std::string host = "127.0.0.1";  ///< TCP listen address (loopback by default)
  int port = 0;                    ///< 0: pick a free port
  std::string unix_socket_dir;     ///< also listen on <dir>/.s.PGSQL.<port> if set
  std::size_t max_connections = 100;
  std::size_t max_message_bytes = 256u << 20;  ///< larger messages close the connection
  /// A connection that has not finished startup and authentication by then
  /// is closed (like Postgres' authentication_timeout).
  unsigned startup_timeout_ms = 60000;
  /// PEM files; when both are set, SSLRequest is accepted and the connection
  /// switches to TLS (1.2+). Otherwise SSLRequest is answered 'N'.
  std::string tls_cert_file;
  std::string tls_key_file;
  /// Empty: trust authentication. Otherwise clients must authenticate with
  /// SCRAM-SHA-256 using this password (any user name).
  std::string password;
};

/// Serves one embedded database to any number of clients. The clients are
/// multiplexed onto the database's single backend at transaction
/// boundaries: a client inside a transaction (or a COPY) holds the backend
/// until it ends; between transactions clients take turns. Prepared
/// statements (protocol and SQL level) and portals are private to each
/// client; a client that disconnects mid-transaction is rolled back; session
/// settings (SET, startup options, SET ROLE, SET SESSION AUTHORIZATION),
/// temporary tables and LISTEN channels are per client. If the backend
/// breaks, every client's connection ends and a new backend serves on the
/// same data; see docs/SERVER.md.
class PGLITE_EXPORT Server {
 public:
  /// Serves `db`, which must outlive the server; the application may keep
  /// using it concurrently. Throws pglite::Error if a socket cannot be bound.
  static std::unique_ptr<Server> start(Database& db, const ServerOptions& options = {});
  /// Serves a database the server owns.
  static std::unique_ptr<Server> start(Database&& db, const ServerOptions& options = {});

  ~Server();  ///< stop()

  /// postgresql://postgres@HOST:PORT/postgres
  std::string url() const;
  int port() const;
  /// Path of the unix socket, empty if none.
  const std::string& unix_socket_path() const;

  /// Closes the listeners and every connection; waits for a running
  /// statement to finish, then rolls back what the clients left open and
  /// removes their statements, settings and temporary tables. Idempotent.
  void stop();

  struct PGLITE_NO_EXPORT Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pglite
