// Options::memory_limit caps an instance's wasm memory: a statement that
// needs more fails with out of memory (53200), as Postgres' own allocator
// reports it natively when malloc fails, and the database stays usable with
// its data. Without the cap each statement below would take gigabytes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "pglite/pglite.hpp"

namespace {

constexpr size_t kMiB = size_t(1) << 20;

std::string sqlstate_of(pglite::Database& db, const std::string& sql) {
  try {
    db.exec(sql);
  } catch (const pglite::Error& e) {
    return e.sqlstate();
  }
  return "no error";
}

// Shared memory (shared_buffers and the rest) comes out of the same linear
// memory: smaller buffers leave the statements most of a small limit.
pglite::Options limited(size_t bytes) {
  pglite::Options options;
  options.memory_limit = bytes;
  options.settings = {{"shared_buffers", "16MB"}};
  return options;
}

TEST(MemoryLimit, ALargeAggregateIsOutOfMemoryAndTheDatabaseGoesOn) {
  auto db = pglite::Database::temporary(limited(160 * kMiB));
  db.exec("CREATE TABLE kept AS SELECT g FROM generate_series(1, 1000) g");
  EXPECT_EQ(
      sqlstate_of(db, "SELECT array_length(array_agg(g), 1) FROM (SELECT generate_series(1, 100000000) g) s"),
      "53200");
  EXPECT_EQ(db.exec("SELECT count(*), sum(g) FROM kept").value(0, 1), "500500");
  // Again, and a large sort held in memory: each fails alike.
  EXPECT_EQ(
      sqlstate_of(db, "SELECT string_agg(g::text, ',') FROM (SELECT generate_series(1, 100000000) g) s"),
      "53200");
  db.exec("SET work_mem = '1GB'");
  EXPECT_EQ(sqlstate_of(
                db,
                "SELECT count(*) FROM (SELECT md5(g::text) m FROM (SELECT generate_series(1, 20000000) g) s "
                "ORDER BY m OFFSET 1) s"),
            "53200");
  db.exec("RESET work_mem");
  EXPECT_EQ(
      db.exec("SELECT count(*) FROM (SELECT md5(g::text) m FROM generate_series(1, 100000) g ORDER BY m) s")
          .value(0, 0),
      "100000");
  db.exec("INSERT INTO kept VALUES (1001)");
  EXPECT_EQ(db.exec("SELECT count(*) FROM kept").value(0, 0), "1001");
}

TEST(MemoryLimit, PersistentDatabaseKeepsItsCommitsAfterOutOfMemory) {
  std::string dir = ::testing::TempDir() + "pglite_memory_limit_" + std::to_string(::getpid());
  {
    auto db = pglite::Database::open(dir, limited(160 * kMiB));
    db.exec("CREATE TABLE kept (v int); INSERT INTO kept VALUES (1)");
    db.exec("BEGIN; INSERT INTO kept VALUES (2)");
    EXPECT_EQ(sqlstate_of(db, "SELECT array_agg(g) FROM (SELECT generate_series(1, 100000000) g) s"),
              "53200");
    db.exec("ROLLBACK");
    db.exec("INSERT INTO kept VALUES (3)");
  }
  auto db = pglite::Database::open(dir);
  EXPECT_EQ(db.exec("SELECT string_agg(v::text, ',' ORDER BY v) FROM kept").value(0, 0), "1,3");
  db.close();
  std::filesystem::remove_all(dir);
}

TEST(MemoryLimit, BelowTheInitialMemoryIsRefused) {
  try {
    auto db = pglite::Database::temporary(limited(1 * kMiB));
    FAIL() << "opened with 1 MiB of memory";
  } catch (const pglite::Error& e) {
    EXPECT_NE(std::string(e.what()).find("memory limit of 1 MiB"), std::string::npos) << e.what();
  }
}

}  // namespace
