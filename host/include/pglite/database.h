// pglite::Database - one embedded PostgreSQL 17 instance.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pglite/dump.h"
#include "pglite/error.h"
#include "pglite/export.h"
#include "pglite/notice.h"
#include "pglite/options.h"
#include "pglite/result.h"
#include "pglite/transaction.h"
#include "pglite/value.h"

namespace pglite {

namespace internal {
struct DatabaseAccess;
}  // namespace internal

/// An embedded Postgres backend running in this process, on its own data
/// directory. Move-only; the destructor closes it (see close()).
///
/// Every failing call throws pglite::Error. An SQL error leaves the database
/// usable (an open transaction is then in the aborted state until ROLLBACK).
/// If the backend instance itself fails (a trap inside Postgres), this and
/// every later call throws Error XX000 "database instance is broken: ...".
/// After close() or a move, calls throw Error 08003.
///
/// Thread-safety: a Database may be used from one thread at a time; calls
/// from several threads are serialized by an internal mutex. Notice and
/// notification callbacks run on the calling thread after the call's round
/// trip has finished and may use the database (the mutex is recursive);
/// an exception thrown by a callback propagates out of the call.
class PGLITE_EXPORT Database {
 public:
  /// A fresh database in a new temporary directory, deleted by close().
  static Database temporary(const Options& options = {});
  /// Opens the database at `path`, creating it on first use. The directory
  /// is locked while open: Error 55006 if another live process holds it.
  static Database open(const std::string& path, const Options& options = {});
  /// A new database at `path` (which must not hold one yet: 58P02) made from
  /// a physical archive written by export_archive(). Corrupt or foreign
  /// archives are refused (XX001), and so is any entry that would land
  /// outside `path` (22023): absolute or ".." paths, links, devices.
  static Database open_from_archive(const std::string& archive, const std::string& path,
                                    const Options& options = {});
  /// Like temporary(), but starting from the archive's contents (held in
  /// memory, like every temporary database): the fast way to give each test
  /// a prepared database.
  static Database temporary_from_archive(const std::string& archive, const Options& options = {});

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// Runs `sql` (any number of ;-separated statements) with the simple
  /// query protocol and returns the last statement's result (an empty
  /// Result for an empty string). Statements run in one implicit
  /// transaction unless the text contains BEGIN/COMMIT. On error, nothing
  /// but the error is reported.
  Result exec(std::string_view sql);
  /// Like exec() but returns one Result per statement.
  std::vector<Result> exec_all(std::string_view sql);
  /// Like exec_all(), but hands each Result to `on_result`; if a statement
  /// fails, the results of the statements before it are delivered first.
  void exec_each(std::string_view sql, const std::function<void(Result&&)>& on_result);

  /// Runs one statement with the extended query protocol, binding `$1`,
  /// `$2`... to `params` (see pglite::Param for the accepted types):
  ///   db.query("SELECT * FROM t WHERE id = $1 AND name = $2", 42, "x");
  template <typename... Args>
  requires(std::constructible_from<Param, Args&&>&&...) Result query(std::string_view sql, Args&&... params) {
    const Param list[] = {Param(std::forward<Args>(params))..., Param()};
    return query(sql, std::span<const Param>(list, sizeof...(Args)));
  }
  Result query(std::string_view sql, std::span<const Param> params);
  Result query(std::string_view sql, const std::vector<Param>& params) {
    return query(sql, std::span<const Param>(params));
  }

  /// Runs a COPY ... FROM STDIN statement feeding it `data` (in the COPY
  /// format the statement selects) and returns its result ("COPY n").
  Result copy_from(std::string_view sql, std::string_view data);

  /// Runs pg_dump 18 against this database in-process and hands its output
  /// to `sink` in chunks as it is produced (plain format) or once complete
  /// (custom, tar). Not inside a transaction (Error 25001). The session's
  /// settings and prepared statements are as before afterwards. A pg_dump
  /// failure throws Error with the SQLSTATE of the query that failed (or
  /// 22023 for bad options) and pg_dump's message.
  void dump(const DumpOptions& options, const std::function<void(std::string_view)>& sink);
  /// dump() as a string; the format must be plain (22023 otherwise).
  std::string dump_sql(const DumpOptions& options = {});
  /// dump() as bytes, any format.
  std::vector<uint8_t> dump_bytes(const DumpOptions& options = {});

  /// Writes the data directory as a zstd-compressed tar at `path` (replaced
  /// atomically), after a CHECKPOINT so it is consistent: open_from_archive()
  /// starts from exactly this state. Not inside a transaction (25001).
  void export_archive(const std::string& path);

  /// Runs an SQL script the way `psql -v ON_ERROR_STOP=1 -f` does: one
  /// statement at a time, COPY ... FROM stdin taking the data lines that
  /// follow it (up to "\."), stopping at the first error, which is thrown
  /// with the script line in its message. This restores dump_sql() output.
  /// Of psql's backslash commands only pg_dump's \restrict/\unrestrict are
  /// accepted (others: Error 42601); :variables are not interpolated.
  /// Settings the script changes are undone afterwards (unless it leaves a
  /// transaction open), as if it had run in a session of its own.
  void exec_script(std::string_view script);

  /// An independent temporary database holding what this one holds now:
  /// writes to either are never seen by the other. Taken between
  /// transactions (25001 inside one); the clone has this database's options
  /// and lives in memory like temporary(), also when this one is on disk
  /// (export_archive() writes it out). Cloning an in-memory database shares
  /// its unchanged memory and file blocks copy-on-write: the way to give each
  /// test its own copy of prepared fixtures.
  Database clone();

  /// BEGIN / COMMIT / ROLLBACK. commit() of a transaction that an error
  /// aborted rolls it back and throws Error 40000.
  void begin();
  void commit();
  void rollback();
  /// A guard that rolls back unless committed; see pglite::Transaction.
  Transaction transaction() { return Transaction(*this); }
  /// True inside a transaction block, including an aborted one.
  bool in_transaction() const;

  /// LISTEN on `channel` (exact name, no case folding) and call `callback`
  /// for each notification on it. A second listen() replaces the callback.
  void listen(std::string_view channel, std::function<void(const Notification&)> callback);
  /// UNLISTEN `channel` and drop its callback.
  void unlisten(std::string_view channel);

  /// Asks the statement currently running on this database (from another
  /// thread, or a server client) to stop; it fails with SQLSTATE 57014.
  /// Safe to call from any thread; a no-op when nothing runs.
  void cancel();

  /// Shuts Postgres down cleanly (checkpoint) and releases the data
  /// directory (a temporary one is deleted). Idempotent; the destructor calls
  /// it and swallows errors.
  void close();
  bool is_open() const;
  /// True once the backend instance failed; every call then throws XX000.
  bool broken() const;

 private:
  friend struct internal::DatabaseAccess;
  struct PGLITE_NO_EXPORT Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  /// The state of an open-or-closed database; throws 08003 after a move.
  Impl& impl() const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pglite
