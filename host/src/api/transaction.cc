#include "pglite/transaction.h"

#include <utility>

#include "pglite/database.h"
#include "protocol/sqlstate.h"

namespace pglite {

Transaction::Transaction(Database& db) : db_(nullptr) {
  if (db.in_transaction()) {
    throw Error(sqlstate::kActiveSqlTransaction,
                "a transaction is already in progress; use SAVEPOINT to nest");
  }
  db.begin();
  db_ = &db;
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ == nullptr) return;
  try {
    if (db_->in_transaction()) db_->rollback();
  } catch (...) {
  }
}

void Transaction::commit() {
  Database* db = std::exchange(db_, nullptr);
  if (db == nullptr) throw Error(sqlstate::kInvalidTransactionState, "transaction is no longer active");
  db->commit();
}

void Transaction::rollback() {
  Database* db = std::exchange(db_, nullptr);
  if (db == nullptr) throw Error(sqlstate::kInvalidTransactionState, "transaction is no longer active");
  db->rollback();
}

}  // namespace pglite
