// Postgres' timers reach the translated backend: statement_timeout cancels a
// sleeping statement and a busy one (57014), as natively, and the session is
// fine afterwards. Each statement would run for minutes if the alarm were
// lost, and then return rows instead of the error the test expects.
#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include <string>

#include "pglite/pglite.hpp"

namespace {

std::string error_of(pglite::Database& db, const std::string& sql) {
  try {
    db.exec(sql);
  } catch (const pglite::Error& e) {
    return e.sqlstate() + " " + e.what();
  }
  return "no error";
}

TEST(Timeouts, StatementTimeoutCancelsASleep) {
  auto db = pglite::Database::temporary();
  db.exec("SET statement_timeout = 100");
  EXPECT_EQ(error_of(db, "SELECT pg_sleep(600)").substr(0, 5), "57014");
  EXPECT_NE(error_of(db, "SELECT pg_sleep(600)").find("statement timeout"), std::string::npos);
  EXPECT_EQ(db.exec("SELECT 'still here'").value(0, 0), "still here");
}

TEST(Timeouts, StatementTimeoutCancelsABusyStatement) {
  auto db = pglite::Database::temporary();
  db.exec("SET statement_timeout = 100");
  EXPECT_EQ(error_of(db, "SELECT count(*) FROM generate_series(1, 20000000000)").substr(0, 5), "57014");
  EXPECT_EQ(error_of(db, "SELECT sum(a * b) FROM generate_series(1, 200000) a, generate_series(1, 200000) b")
                .substr(0, 5),
            "57014");
  db.exec("SET statement_timeout = 0");
  EXPECT_EQ(db.exec("SELECT count(*) FROM generate_series(1, 1000)").value(0, 0), "1000");
}

double thread_cpu_seconds() {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// pg_sleep blocks instead of spinning on the clock (PGlite's latch waits
// spin; the host sleeps in WaitLatch). Measured as CPU time, not speed: a
// spinning second costs about a second of CPU, a sleeping one almost none.
TEST(Timeouts, PgSleepSleepsWithoutBurningTheCpu) {
  auto db = pglite::Database::temporary();
  double before = thread_cpu_seconds();
  db.exec("SELECT pg_sleep(1)");
  EXPECT_LT(thread_cpu_seconds() - before, 0.3);
}

// Many timeouts in a row, inside and outside transaction blocks: the timer
// bookkeeping (timeout.c's and the host's) stays consistent.
TEST(Timeouts, RepeatedTimeoutsKeepWorking) {
  auto db = pglite::Database::temporary();
  for (int i = 0; i < 20; i++) {
    db.exec("SET statement_timeout = 20");
    EXPECT_EQ(error_of(db, "SELECT pg_sleep(600)").substr(0, 5), "57014") << i;
    db.exec("BEGIN");
    db.exec("SET LOCAL statement_timeout = 20");
    EXPECT_EQ(error_of(db, "SELECT pg_sleep(600)").substr(0, 5), "57014") << i;
    db.exec("ROLLBACK");
    db.exec("SET statement_timeout = 0");
    EXPECT_EQ(db.exec("SELECT pg_sleep(0.01)::text").value(0, 0), "") << i;
  }
}

// The idle timeouts would end the session with FATAL, and the session is the
// one backend every client of a server shares: they are accepted and, as
// before timers were delivered, not enforced (docs/SERVER.md).
TEST(Timeouts, IdleInTransactionTimeoutDoesNotEndTheBackend) {
  auto db = pglite::Database::temporary();
  db.exec("SET idle_in_transaction_session_timeout = 50");
  db.exec("BEGIN");
  db.exec("SELECT 1");
  usleep(200 * 1000);
  EXPECT_EQ(db.exec("SELECT 2").value(0, 0), "2");
  db.exec("COMMIT");
  db.exec("SET statement_timeout = 50");  // and later timers still work
  EXPECT_EQ(error_of(db, "SELECT pg_sleep(600)").substr(0, 5), "57014");
  EXPECT_FALSE(db.broken());
}

}  // namespace
