#include "pglite/database.h"

#include <map>
#include <mutex>
#include <utility>

#include "api/database_access.h"
#include "api/database_impl.h"
#include "api/session.h"
#include "pglite/sql_quote.h"
#include "protocol/sqlstate.h"
#include "storage/data_dir.h"

namespace pglite {

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Database Database::temporary(const Options& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  // PGDATA in memory: a copy-on-write view of the template, nothing on disk.
  impl->session = internal::start_session(nullptr, options);
  return Database(std::move(impl));
}

Database Database::open(const std::string& path, const Options& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->session = internal::start_session(internal::DataDir::open(path), options);
  return Database(std::move(impl));
}

Database::Database(Database&& other) noexcept = default;

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    try {
      close();
    } catch (...) {
    }
    impl_ = std::move(other.impl_);
  }
  return *this;
}

Database::~Database() {
  try {
    close();
  } catch (...) {
  }
}

Database::Impl& Database::impl() const {
  if (!impl_) throw Error(sqlstate::kConnectionDoesNotExist, "database is closed");
  return *impl_;
}

void Database::exec_each(std::string_view sql, const std::function<void(Result&&)>& on_result) {
  impl().with_session([&](internal::Session& session) {
    internal::Reply reply = session.simple_query(sql);
    impl_->dispatch(reply);
    for (Result& r : reply.results) on_result(std::move(r));
    reply.throw_if_error();
  });
}

std::vector<Result> Database::exec_all(std::string_view sql) {
  std::vector<Result> results;
  exec_each(sql, [&](Result&& r) { results.push_back(std::move(r)); });
  return results;
}

Result Database::exec(std::string_view sql) {
  Result last;
  exec_each(sql, [&](Result&& r) { last = std::move(r); });
  return last;
}

Result Database::query(std::string_view sql, std::span<const Param> params) {
  return impl().with_session(
      [&](internal::Session& session) { return impl_->last_result(session.extended_query(sql, params)); });
}

Result Database::copy_from(std::string_view sql, std::string_view data) {
  return impl().with_session(
      [&](internal::Session& session) { return impl_->last_result(session.copy_from(sql, data)); });
}

void Database::begin() { exec("BEGIN"); }

void Database::commit() {
  Result r = exec("COMMIT");
  if (r.command_tag() == "ROLLBACK") {
    throw Error(sqlstate::kTransactionRollback,
                "transaction was rolled back because an earlier statement failed");
  }
}

void Database::rollback() { exec("ROLLBACK"); }

bool Database::in_transaction() const {
  if (!impl_) return false;
  std::lock_guard lock(impl_->mutex);
  return impl_->session && !impl_->session->closed() && impl_->session->transaction_status() != 'I';
}

void Database::listen(std::string_view channel, std::function<void(const Notification&)> callback) {
  std::lock_guard lock(impl().mutex);
  exec("LISTEN " + quote_identifier(channel));
  impl_->listeners.insert_or_assign(std::string(channel), std::move(callback));
}

void Database::unlisten(std::string_view channel) {
  std::lock_guard lock(impl().mutex);
  impl_->listeners.erase(std::string(channel));
  exec("UNLISTEN " + quote_identifier(channel));
}

void Database::close() {
  if (!impl_) return;
  std::lock_guard lock(impl_->mutex);
  impl_->listeners.clear();
  if (impl_->session) impl_->session->close();
}

bool Database::is_open() const {
  if (!impl_) return false;
  std::lock_guard lock(impl_->mutex);
  return impl_->session && !impl_->session->closed();
}

bool Database::broken() const {
  if (!impl_) return false;
  std::lock_guard lock(impl_->mutex);
  return impl_->session && impl_->session->broken();
}

}  // namespace pglite

namespace pglite {

// Deliberately without the mutex: the statement being cancelled holds it.
void Database::cancel() {
  if (impl_ && impl_->session) impl_->session->cancel();
}

}  // namespace pglite

namespace pglite::internal {

Session& DatabaseAccess::session(Database& db) { return db.impl().open_session(); }

std::recursive_mutex& DatabaseAccess::mutex(Database& db) { return db.impl().mutex; }

}  // namespace pglite::internal
