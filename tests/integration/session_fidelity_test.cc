// The embedded session behaves like a native PostgreSQL 17 session: what a
// fresh connection sees, what RESET/DISCARD return to, and that errors cost
// nothing that accumulates (no guest stack, heap or exit-callback slots).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pglite/pglite.hpp"

namespace {

std::string setting(pglite::Database& db, const std::string& name) {
  return db.query("SELECT current_setting($1)", name).get<std::string>(0, 0);
}

// Values a native 17 server reports to a superuser connecting as postgres
// (initdb defaults, no postgresql.conf changes).
TEST(SessionFidelity, FreshSessionMatchesNative) {
  auto db = pglite::Database::temporary();
  EXPECT_EQ(setting(db, "session_authorization"), "postgres");
  EXPECT_EQ(setting(db, "is_superuser"), "on");
  EXPECT_EQ(setting(db, "allow_system_table_mods"), "off");
  EXPECT_EQ(setting(db, "search_path"), "\"$user\", public");
  EXPECT_EQ(db.exec("SELECT current_user, session_user").get<std::string>(0, 1), "postgres");
  // A catalog is not writable by DDL without allow_system_table_mods.
  try {
    db.exec("ALTER TABLE pg_class ADD COLUMN x int");
    FAIL() << "catalog DDL succeeded";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "42501") << e.what();
  }
}

TEST(SessionFidelity, ResetSessionAuthorizationReturnsToTheSuperuser) {
  auto db = pglite::Database::temporary();
  db.exec("CREATE ROLE fidelity_r");
  const char* resets[] = {"RESET SESSION AUTHORIZATION", "SET SESSION AUTHORIZATION DEFAULT", "DISCARD ALL"};
  for (const char* reset : resets) {
    db.exec("SET SESSION AUTHORIZATION fidelity_r");
    EXPECT_EQ(db.exec("SELECT current_user").get<std::string>(0, 0), "fidelity_r");
    db.exec(reset);
    auto r = db.exec("SELECT current_user, session_user, current_setting('is_superuser')");
    EXPECT_EQ(r.get<std::string>(0, 0), "postgres") << reset;
    EXPECT_EQ(r.get<std::string>(0, 1), "postgres") << reset;
    EXPECT_EQ(r.get<std::string>(0, 2), "on") << reset;
  }
  db.exec("SET ROLE fidelity_r");
  db.exec("RESET ROLE");
  EXPECT_EQ(db.exec("SELECT current_user").get<std::string>(0, 0), "postgres");
}

// Every ERROR unwinds the guest out of PostgresMainLoopOnce; nothing it
// unwound may stay allocated. 100 000 failures of several kinds through the
// simple and the extended protocol, then the database must still do deep
// work (recursion close to max_stack_depth) and keep its data.
TEST(SessionFidelity, HundredThousandErrorsLeaveTheDatabaseHealthy) {
  auto db = pglite::Database::temporary();
  db.exec("CREATE TABLE u (k int PRIMARY KEY); INSERT INTO u VALUES (1)");
  db.exec(
      "CREATE FUNCTION depth(n int) RETURNS int LANGUAGE sql AS "
      "'SELECT CASE WHEN n = 0 THEN 0 ELSE 1 + depth(n - 1) END'");
  const std::vector<std::pair<std::string, std::string>> failures = {
      {"SELECT 1/0", "22012"},
      {"INSERT INTO u VALUES (1)", "23505"},
      {"SELEC 1", "42601"},
      {"SELECT * FROM no_such_table", "42P01"},
      {"DO $$BEGIN RAISE EXCEPTION 'boom' USING ERRCODE = 'P0001'; END$$", "P0001"},
      {"SELECT 'x'::int", "22P02"},
  };
  constexpr int kStatements = 100000;
  int wrong = 0;
  for (int i = 0; i < kStatements; i++) {
    const auto& [sql, sqlstate] = failures[i % failures.size()];
    try {
      if (i % 2)
        db.exec(sql);
      else
        db.query(sql);  // extended protocol
      wrong++;
    } catch (const pglite::Error& e) {
      if (e.sqlstate() != sqlstate) {
        ADD_FAILURE() << "statement " << i << " (" << sql << "): " << e.sqlstate() << " " << e.what();
        if (++wrong > 5) break;
      }
    }
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_FALSE(db.broken());
  EXPECT_EQ(db.exec("SELECT depth(1000)").get<int>(0, 0), 1000);
  EXPECT_EQ(db.exec("SELECT count(*) FROM u").get<int64_t>(0, 0), 1);
  try {
    db.exec("SELECT depth(1000000)");
    FAIL() << "unbounded recursion returned";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "54001") << e.what();
  }
  EXPECT_EQ(db.exec("SELECT depth(1000)").get<int>(0, 0), 1000);
}

}  // namespace
