// pglite::Server driven from C++ on a Database the test keeps using: what a
// libpq client leaves behind is gone after stop(), and schemas parked by a
// server that never stopped are swept by the next one.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <string>

#include "pglite/database.h"
#include "pglite/server.h"

namespace {

struct Conn {
  explicit Conn(const std::string& url) : pg(PQconnectdb(url.c_str())) {}
  ~Conn() { PQfinish(pg); }
  void ok(const char* sql) {
    PGresult* r = PQexec(pg, sql);
    ExecStatusType s = PQresultStatus(r);
    EXPECT_TRUE(s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) << sql << ": " << PQerrorMessage(pg);
    PQclear(r);
  }
  PGconn* pg;
};

std::string value(pglite::Database& db, const char* sql) {
  pglite::Result r = db.exec(sql);
  return std::string(r.value(0, 0).value_or("NULL"));
}

TEST(ServerApi, StopLeavesTheDatabaseAsAFreshSession) {
  pglite::Database db = pglite::Database::temporary();
  db.exec("CREATE TABLE kept (x int)");
  auto server = pglite::Server::start(db);
  {
    Conn c(server->url());
    ASSERT_EQ(PQstatus(c.pg), CONNECTION_OK) << PQerrorMessage(c.pg);
    c.ok("SET work_mem = '9MB'");
    c.ok("CREATE TEMP TABLE scratch (x int)");
    c.ok("LISTEN somewhere");
    PQclear(PQprepare(c.pg, "stmt", "SELECT 1", 0, nullptr));
    c.ok("BEGIN");
    c.ok("INSERT INTO kept VALUES (1)");  // left uncommitted
    server->stop();
  }
  EXPECT_FALSE(db.in_transaction());
  EXPECT_EQ(value(db, "SELECT count(*) FROM kept"), "0");
  EXPECT_EQ(value(db, "SHOW work_mem"), "4MB");
  EXPECT_EQ(value(db, "SELECT count(*) FROM pg_prepared_statements"), "0");
  EXPECT_EQ(value(db, "SELECT count(*) FROM pg_listening_channels()"), "0");
  EXPECT_EQ(value(db, "SELECT count(*) FROM pg_class WHERE relpersistence = 't'"), "0");
  EXPECT_EQ(value(db, "SELECT count(*) FROM pg_namespace WHERE nspname ~ '_pgl[0-9]+$'"), "0");
  db.exec("CREATE TEMP TABLE mine (x int)");  // the API user's own temp schema works
  EXPECT_EQ(value(db, "SELECT count(*) FROM mine"), "0");
}

TEST(ServerApi, StartSweepsSchemasParkedByAServerThatDidNotStop) {
  pglite::Database db = pglite::Database::temporary();
  db.exec("SET allow_system_table_mods = on");
  db.exec("CREATE SCHEMA pg_temp_0_pgl7");
  db.exec("CREATE SCHEMA pg_toast_temp_0_pgl7");
  db.exec("RESET allow_system_table_mods");
  auto server = pglite::Server::start(db);
  server->stop();
  EXPECT_EQ(value(db, "SELECT count(*) FROM pg_namespace WHERE nspname ~ '_pgl7$'"), "0");
}

TEST(ServerApi, TwoClientsKeepTheirOwnTempTables) {
  pglite::Database db = pglite::Database::temporary();
  auto server = pglite::Server::start(db);
  Conn a(server->url()), b(server->url());
  a.ok("CREATE TEMP TABLE t AS SELECT 'a'::text AS who");
  b.ok("CREATE TEMP TABLE t AS SELECT 'b'::text AS who");
  for (int i = 0; i < 10; i++) {
    Conn& c = i % 2 ? a : b;
    PGresult* r = PQexec(c.pg, "SELECT who FROM t");
    ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c.pg);
    EXPECT_STREQ(PQgetvalue(r, 0, 0), i % 2 ? "a" : "b");
    PQclear(r);
  }
}

TEST(ServerApi, MissingUnixSocketDirectoryIsNamed) {
  pglite::Database db = pglite::Database::temporary();
  pglite::ServerOptions options;
  options.unix_socket_dir = "/nonexistent/pglite-socket-dir";
  try {
    pglite::Server::start(db, options);
    FAIL() << "start() should fail";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "58P01");
    EXPECT_NE(std::string(e.what()).find("/nonexistent/pglite-socket-dir does not exist"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(value(db, "SELECT 1"), "1");  // the database is still usable
}

}  // namespace
