// Where the driver sends SQL: the embedded API in-process, or any server
// (pglite serve, native PostgreSQL) through libpq. Both send each string as
// one simple-query round trip and wait for all of its results.
#pragma once
#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>

#include "pglite/pglite.hpp"

namespace pglite::bench {

class Target {
 public:
  virtual ~Target() = default;
  // Throws std::runtime_error with the server's message on any error.
  virtual void exec(const std::string& sql) = 0;
  // The first value of the first row `sql` returns, as text.
  virtual std::string scalar(const std::string& sql) = 0;
};

class DirectTarget final : public Target {
 public:
  explicit DirectTarget(pglite::Database db) : db_(std::move(db)) {}
  void exec(const std::string& sql) override;
  std::string scalar(const std::string& sql) override;
  pglite::Database& database() { return db_; }

 private:
  pglite::Database db_;
};

class LibpqTarget final : public Target {
 public:
  explicit LibpqTarget(const std::string& conninfo);
  ~LibpqTarget() override;
  LibpqTarget(const LibpqTarget&) = delete;
  LibpqTarget& operator=(const LibpqTarget&) = delete;
  void exec(const std::string& sql) override;
  std::string scalar(const std::string& sql) override;

 private:
  PGconn* conn_ = nullptr;
};

}  // namespace pglite::bench
