// Database::dump*: pg_dump 18 run in-process on this database's session,
// with the session put back as it was afterwards.
#include <set>
#include <string>

#include "api/database_impl.h"
#include "api/session_settings.h"
#include "dump/dump_args.h"
#include "dump/pg_dump_runner.h"
#include "pglite/database.h"
#include "pglite/sql_quote.h"
#include "protocol/sqlstate.h"

namespace pglite {
namespace {

constexpr std::string_view kGuestPgDumpPrefix = "/pglite/bin/pg_dump";
constexpr const char* kPreparedSql = "SELECT name FROM pg_prepared_statements";
// Where pg_dump writes custom and tar archives (its private in-memory /tmp).
constexpr const char* kArchiveFile = "/tmp/pglite-dump";

// A libpq keyword value, quoted.
std::string conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::set<std::string> prepared_statements(internal::Session& session) {
  internal::Reply reply = session.simple_query(kPreparedSql);
  reply.throw_if_error();
  std::set<std::string> names;
  for (const Row& row : reply.results.back()) names.emplace(row[0].value_or(""));
  return names;
}

// The message of pg_dump's last "pg_dump: error: ..." line, else all of it.
std::string pg_dump_error(const std::string& messages) {
  constexpr std::string_view kPrefix = "pg_dump: error: ";
  size_t at = messages.rfind(kPrefix);
  std::string text = at == std::string::npos ? messages : messages.substr(at + kPrefix.size());
  // getopt names the program by its guest path.
  for (size_t p; (p = text.find(kGuestPgDumpPrefix)) != std::string::npos;) {
    text.erase(p, kGuestPgDumpPrefix.size() - std::string_view("pg_dump").size());
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "pg_dump failed" : "pg_dump failed: " + text;
}

}  // namespace

void Database::dump(const DumpOptions& options, const std::function<void(std::string_view)>& sink) {
  impl().with_session([&](internal::Session& session) {
    if (session.transaction_status() != 'I') {
      throw Error(sqlstate::kActiveSqlTransaction,
                  "cannot dump inside a transaction block: commit or roll back first");
    }
    const std::string conninfo = "host=/tmp port=5432 sslmode=disable gssencmode=disable dbname=" +
                                 conninfo_value(impl_->options.database) +
                                 " user=" + conninfo_value(impl_->options.user);
    const bool to_file = options.format != DumpOptions::Format::kPlain;
    std::vector<std::string> args =
        internal::pg_dump_arguments(options, conninfo, to_file ? kArchiveFile : "");

    const std::string settings = internal::settings::capture(session);
    const std::set<std::string> statements = prepared_statements(session);

    internal::PgDumpOutcome outcome = internal::run_pg_dump(session, args, to_file ? kArchiveFile : "", sink);

    // pg_dump leaves its transaction open, its settings and its prepared
    // statements behind: undo all three (unless the instance broke).
    if (!session.broken()) {
      std::string cleanup = "ROLLBACK; " + internal::settings::restore_sql(settings);
      for (const std::string& name : prepared_statements(session)) {
        if (!statements.count(name)) cleanup += "; DEALLOCATE " + quote_identifier(name);
      }
      session.simple_query(cleanup).throw_if_error();
    }
    if (session.broken())
      throw Error(sqlstate::kInternalError, "database instance is broken: " + outcome.failure);
    if (!outcome.failure.empty()) throw Error(sqlstate::kInternalError, "pg_dump failed: " + outcome.failure);
    if (outcome.exit_code != 0) {
      throw Error(
          outcome.backend_sqlstate.empty() ? sqlstate::kInvalidParameterValue : outcome.backend_sqlstate,
          pg_dump_error(outcome.messages));
    }
  });
}

std::string Database::dump_sql(const DumpOptions& options) {
  if (options.format != DumpOptions::Format::kPlain) {
    throw Error(sqlstate::kInvalidParameterValue,
                "dump_sql() makes plain SQL dumps; use dump_bytes() for other formats");
  }
  std::string out;
  dump(options, [&](std::string_view chunk) { out.append(chunk); });
  return out;
}

std::vector<uint8_t> Database::dump_bytes(const DumpOptions& options) {
  std::vector<uint8_t> out;
  dump(options, [&](std::string_view chunk) { out.insert(out.end(), chunk.begin(), chunk.end()); });
  return out;
}

}  // namespace pglite
