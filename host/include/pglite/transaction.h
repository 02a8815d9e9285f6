// pglite::Transaction - RAII guard around BEGIN ... COMMIT/ROLLBACK.
#pragma once

#include "pglite/export.h"

namespace pglite {

class Database;

/// Starts a transaction on construction and rolls it back on destruction
/// unless commit() or rollback() was called first:
///
///   pglite::Transaction tx(db);
///   db.query("INSERT INTO t VALUES ($1)", 42);
///   tx.commit();
///
/// The guard must not outlive its Database.
class PGLITE_EXPORT Transaction {
 public:
  /// Runs BEGIN. Throws pglite::Error 25001 if a transaction is already open
  /// (transactions do not nest; use SAVEPOINT for that).
  explicit Transaction(Database& db);
  /// Rolls back if still active; errors are swallowed.
  ~Transaction();

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  /// Database::commit(); the guard becomes inactive even if it throws.
  void commit();
  /// Database::rollback(); the guard becomes inactive even if it throws.
  void rollback();
  bool active() const noexcept { return db_ != nullptr; }

 private:
  Database* db_;
};

}  // namespace pglite
