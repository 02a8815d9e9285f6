// A failing disk, simulated in the guest file system (fs/fault_injection.h):
// EIO on read, write and fsync, ENOSPC on write and extend, short writes.
// Each statement that meets a fault gets the error Postgres gives natively
// (53100 disk full, 58030 I/O error; a failed WAL write or fsync is a
// PANIC, after which the database is reopened, as the postmaster restarts
// after one), nothing committed is lost, nothing is corrupted (amcheck),
// and once the fault clears the database works again.
#include "fs/fault_injection.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fs/errno_wasi.h"
#include "pglite/pglite.hpp"

namespace fs = std::filesystem;
namespace shim = pglite::shim;
using shim::Fault;
using shim::FaultOp;

namespace {

constexpr int kEIO = shim::wasi_errno::kIO;
constexpr int kENOSPC = shim::wasi_errno::kNOSPC;

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/pglite-faults-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    shim::set_faults({});
    fs::remove_all(path);
  }
  std::string path;
};

struct Outcome {
  std::string sqlstate;  // "" if it succeeded
  std::string message;
};

Outcome run(pglite::Database& db, const std::string& sql) {
  try {
    db.exec(sql);
    return {};
  } catch (const pglite::Error& e) {
    return {e.sqlstate(), e.what()};
  }
}

// A database with committed rows 1..1000 in t (and an index), closed.
std::string make_database(const TempDir& dir) {
  std::string path = dir.path + "/db";
  auto db = pglite::Database::open(path);
  db.exec("CREATE EXTENSION amcheck");
  db.exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
  db.exec("INSERT INTO t SELECT g, repeat('v', 200) FROM generate_series(1, 1000) g");
  db.close();
  return path;
}

// Reopens (crash recovery if the last instance died) and checks that t's
// rows are one of `accepted` (count/sum of ids) and heap and index are sound.
void expect_intact(const std::string& path, const std::vector<std::string>& accepted) {
  shim::set_faults({});
  auto db = pglite::Database::open(path);
  std::string ids(db.exec("SELECT count(*) || '/' || sum(id) FROM t").value(0, 0).value_or(""));
  EXPECT_NE(std::find(accepted.begin(), accepted.end(), ids), accepted.end()) << ids;
  EXPECT_EQ(db.exec("SELECT count(*) FROM verify_heapam('t')").value(0, 0), "0");
  db.exec("SELECT bt_index_check('t_pkey', true)");
  db.exec("INSERT INTO t VALUES (-1, 'after')");  // and it takes writes again
  db.exec("DELETE FROM t WHERE id = -1");
}

constexpr const char* kOriginal = "1000/500500";
constexpr const char* kGrow = "INSERT INTO t SELECT g, repeat('w', 500) FROM generate_series(1001, 6000) g";
constexpr const char* kGrown = "6000/18003000";

TEST(FaultInjection, DiskFullWhileExtendingATableIs53100) {
  TempDir dir;
  std::string path = make_database(dir);
  {
    auto db = pglite::Database::open(path);
    shim::set_faults({{FaultOp::kWrite, "base/", kENOSPC}, {FaultOp::kAllocate, "base/", kENOSPC}});
    Outcome o = run(db, kGrow);
    EXPECT_EQ(o.sqlstate, "53100") << o.message;
    EXPECT_GT(shim::injected_fault_count(), 0);
    shim::set_faults({});
    EXPECT_EQ(db.exec("SELECT count(*) || '/' || sum(id) FROM t").value(0, 0), kOriginal);
    EXPECT_EQ(run(db, kGrow).sqlstate, "");  // space again: the retry works
  }
  expect_intact(path, {kGrown});
}

// A disk that fills up in the middle of a write: part of it is written,
// the rest fails. (A short write alone is completed by the file system's
// write loop, as libc's would.)
TEST(FaultInjection, ShortWriteThenDiskFullIs53100) {
  TempDir dir;
  std::string path = make_database(dir);
  {
    auto db = pglite::Database::open(path);
    shim::set_faults({{FaultOp::kWrite, "base/", 0, 0, 1}, {FaultOp::kWrite, "base/", kENOSPC}});
    Outcome o = run(db, kGrow);
    EXPECT_EQ(o.sqlstate, "53100") << o.message;
    shim::set_faults({});
    EXPECT_EQ(db.exec("SELECT count(*) || '/' || sum(id) FROM t").value(0, 0), kOriginal);
    EXPECT_EQ(run(db, kGrow).sqlstate, "");
  }
  expect_intact(path, {kGrown});
}

TEST(FaultInjection, ReadErrorIs58030) {
  TempDir dir;
  std::string path = make_database(dir);
  {
    auto db = pglite::Database::open(path);  // t's pages are not in shared buffers yet
    shim::set_faults({{FaultOp::kRead, "base/", kEIO}});
    Outcome o = run(db, "SELECT count(*) FROM t");
    EXPECT_EQ(o.sqlstate, "58030") << o.message;
    shim::set_faults({});
    EXPECT_EQ(db.exec("SELECT count(*) || '/' || sum(id) FROM t").value(0, 0), kOriginal);
  }
  expect_intact(path, {kOriginal});
}

TEST(FaultInjection, DiskFullForASortsTemporaryFilesIs53100) {
  TempDir dir;
  std::string path = make_database(dir);
  {
    auto db = pglite::Database::open(path);
    db.exec("SET work_mem = '64kB'");
    shim::set_faults({{FaultOp::kWrite, "pgsql_tmp", kENOSPC}});
    Outcome o = run(
        db, "SELECT count(*) FROM (SELECT md5(g::text) m FROM generate_series(1, 200000) g ORDER BY m) s");
    EXPECT_EQ(o.sqlstate, "53100") << o.message;
    shim::set_faults({});
    EXPECT_EQ(
        db.exec("SELECT count(*) FROM (SELECT md5(g::text) m FROM generate_series(1, 200000) g ORDER BY m) s")
            .value(0, 0),
        "200000");
  }
  expect_intact(path, {kOriginal});
}

// The WAL cannot be written or made durable: Postgres PANICs rather than
// acknowledge a commit it may lose. The commit is not acknowledged, and
// after the restart every acknowledged one is there. The failed one is
// there whole or not at all: its WAL may have reached the file before the
// fsync failed, as natively (a client that gets an error from COMMIT does
// not know the outcome).
void expect_panic_keeps_commits(const std::vector<Fault>& faults) {
  TempDir dir;
  std::string path = make_database(dir);
  {
    auto db = pglite::Database::open(path);
    db.exec("INSERT INTO t VALUES (1001, 'acknowledged')");
    shim::set_faults(faults);
    Outcome o = run(db, "INSERT INTO t SELECT g, 'lost' FROM generate_series(2001, 2100) g");
    EXPECT_NE(o.sqlstate, "") << "the commit was acknowledged despite the fault";
    shim::set_faults({});
    // Broken by the PANIC: every later call fails, none hangs.
    EXPECT_NE(run(db, "SELECT 1").sqlstate, "");
  }
  expect_intact(path, {"1001/501501", "1101/706551"});
}

TEST(FaultInjection, WalWriteErrorPanicsAndLosesNoCommit) {
  expect_panic_keeps_commits({{FaultOp::kWrite, "pg_wal/", kEIO}});
}

TEST(FaultInjection, WalDiskFullPanicsAndLosesNoCommit) {
  expect_panic_keeps_commits(
      {{FaultOp::kWrite, "pg_wal/", kENOSPC}, {FaultOp::kAllocate, "pg_wal/", kENOSPC}});
}

TEST(FaultInjection, WalFsyncErrorPanicsAndLosesNoCommit) {
  expect_panic_keeps_commits({{FaultOp::kSync, "pg_wal/", kEIO}});
}

TEST(FaultInjection, CheckpointFsyncErrorPanicsAndLosesNoCommit) {
  TempDir dir;
  std::string path = make_database(dir);
  {
    auto db = pglite::Database::open(path);
    db.exec("INSERT INTO t VALUES (1001, 'acknowledged')");
    shim::set_faults({{FaultOp::kSync, "base/", kEIO}});
    Outcome o = run(db, "CHECKPOINT");
    EXPECT_NE(o.sqlstate, "") << "CHECKPOINT succeeded although fsync failed";
  }
  expect_intact(path, {"1001/501501"});
}

}  // namespace
