#include "target.h"

#include <memory>
#include <stdexcept>

namespace pglite::bench {

void DirectTarget::exec(const std::string& sql) {
  // exec_each() consumes every statement's result like PQexec's loop does.
  db_.exec_each(sql, [](pglite::Result&&) {});
}

std::string DirectTarget::scalar(const std::string& sql) {
  return std::string(db_.exec(sql).value(0, 0).value_or(""));
}

LibpqTarget::LibpqTarget(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    throw std::runtime_error("connect failed: " + message);
  }
  // The workloads' NOTICEs (DROP ... CASCADE) are expected: keep stderr for
  // progress and errors.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

LibpqTarget::~LibpqTarget() { PQfinish(conn_); }

void LibpqTarget::exec(const std::string& sql) {
  if (!PQsendQuery(conn_, sql.c_str())) throw std::runtime_error(PQerrorMessage(conn_));
  std::string error;
  while (PGresult* result = PQgetResult(conn_)) {
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_FATAL_ERROR && error.empty()) error = PQresultErrorMessage(result);
    PQclear(result);
  }
  if (!error.empty()) throw std::runtime_error(error);
}

std::string LibpqTarget::scalar(const std::string& sql) {
  std::unique_ptr<PGresult, void (*)(PGresult*)> result(PQexec(conn_, sql.c_str()), PQclear);
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK || PQntuples(result.get()) < 1)
    throw std::runtime_error(sql + ": " + PQerrorMessage(conn_));
  return PQgetvalue(result.get(), 0, 0);
}

}  // namespace pglite::bench
