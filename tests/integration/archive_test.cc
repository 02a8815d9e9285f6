// Physical archives through Database: export after a checkpoint, start new
// databases (on disk or in memory) from one, refuse hostile archives.
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "pglite/pglite.hpp"
#include "support/raw_archive.h"

namespace fs = std::filesystem;
using namespace pglite::testing;

namespace {

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pglite-archive-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << bytes;
  }

  // Both ways of starting from `archive` fail with `sqlstate`, leave no
  // database behind, and write nothing outside the target directory.
  void expect_refused(const std::string& archive, const std::string& sqlstate, const std::string& text) {
    const std::string target = dir_ + "/sandbox/db";
    fs::create_directories(dir_ + "/sandbox");
    try {
      pglite::Database::open_from_archive(archive, target);
      ADD_FAILURE() << "opened " << archive;
    } catch (const pglite::Error& e) {
      EXPECT_EQ(e.sqlstate(), sqlstate) << e.message();
      EXPECT_NE(e.message().find(text), std::string::npos) << e.message();
    }
    try {
      pglite::Database::temporary_from_archive(archive);
      ADD_FAILURE() << "opened " << archive << " in memory";
    } catch (const pglite::Error& e) {
      EXPECT_EQ(e.sqlstate(), sqlstate) << e.message();
      EXPECT_NE(e.message().find(text), std::string::npos) << e.message();
    }
    for (const auto& p : fs::directory_iterator(dir_ + "/sandbox")) {
      EXPECT_EQ(p.path().filename(), "db") << "escaped: " << p.path();
    }
    EXPECT_FALSE(fs::exists(target + "/PG_VERSION"));
    fs::remove_all(dir_ + "/sandbox");
  }

  std::string dir_;
};

void fill(pglite::Database& db) {
  db.exec("CREATE TABLE t (id int PRIMARY KEY, v text); CREATE INDEX t_v ON t (v)");
  db.exec("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 5000) g");
  db.exec("CREATE SEQUENCE s; SELECT setval('s', 77)");
}

std::string checksum(pglite::Database& db) {
  return db
      .exec(
          "SELECT count(*) || ':' || md5(string_agg(v, ',' ORDER BY id)) || ':' || "
          "(SELECT last_value FROM s) FROM t")
      .get<std::string>(0, 0);
}

TEST_F(ArchiveTest, PersistentRoundTripAndReopen) {
  const std::string archive = dir_ + "/fixture.tar.zst";
  std::string expected;
  {
    auto db = pglite::Database::open(dir_ + "/src");
    fill(db);
    expected = checksum(db);
    db.export_archive(archive);
    db.exec("INSERT INTO t VALUES (0, 'after the export')");  // still usable, not in the archive
  }
  ASSERT_TRUE(fs::exists(archive));
  EXPECT_FALSE(fs::exists(archive + ".tmp"));
  {
    auto copy = pglite::Database::open_from_archive(archive, dir_ + "/copy");
    EXPECT_EQ(checksum(copy), expected);
    EXPECT_EQ(copy.exec("SELECT count(*) FROM t WHERE id = 0").get<int>(0, 0), 0);
    copy.exec("INSERT INTO t VALUES (-1, 'in the copy')");
  }
  auto reopened = pglite::Database::open(dir_ + "/copy");
  EXPECT_EQ(reopened.exec("SELECT v FROM t WHERE id = -1").get<std::string>(0, 0), "in the copy");
  EXPECT_EQ(reopened.exec("SELECT count(*) FROM t WHERE v = md5('4321')").get<int>(0, 0), 1);
  // The target must not already hold a database.
  reopened.close();
  try {
    pglite::Database::open_from_archive(archive, dir_ + "/copy");
    FAIL() << "archive unpacked over an existing database";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "58P02") << e.message();
  }
}

TEST_F(ArchiveTest, TemporaryFixturesAreIndependentCopies) {
  const std::string archive = dir_ + "/fixture.tar.zst";
  std::string expected;
  {
    auto db = pglite::Database::temporary();
    fill(db);
    expected = checksum(db);
    db.export_archive(archive);
  }
  auto a = pglite::Database::temporary_from_archive(archive);
  auto b = pglite::Database::temporary_from_archive(archive);
  EXPECT_EQ(checksum(a), expected);
  a.exec("DELETE FROM t WHERE id > 10");
  EXPECT_EQ(checksum(b), expected);
  EXPECT_EQ(a.exec("SELECT count(*) FROM t").get<int>(0, 0), 10);
  // A memory database exports too, and its archive opens on disk.
  a.export_archive(dir_ + "/small.tar.zst");
  auto c = pglite::Database::open_from_archive(dir_ + "/small.tar.zst", dir_ + "/c");
  EXPECT_EQ(c.exec("SELECT count(*) FROM t").get<int>(0, 0), 10);
}

TEST_F(ArchiveTest, ExportRefusedInsideATransaction) {
  auto db = pglite::Database::temporary();
  db.begin();
  db.exec("CREATE TABLE half (x int)");
  try {
    db.export_archive(dir_ + "/x.tar.zst");
    FAIL() << "exported inside a transaction";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "25001");
  }
  db.rollback();
  EXPECT_FALSE(fs::exists(dir_ + "/x.tar.zst"));
  try {
    db.export_archive("/nonexistent-dir/x.tar.zst");
    FAIL() << "exported into a missing directory";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate().substr(0, 2), "58") << e.message();
  }
  EXPECT_EQ(db.exec("SELECT 1").get<int>(0, 0), 1);
}

TEST_F(ArchiveTest, CorruptTruncatedAndForeignArchivesAreRefused) {
  std::string good;
  {
    auto db = pglite::Database::temporary();
    db.export_archive(dir_ + "/good.tar.zst");
    std::ifstream in(dir_ + "/good.tar.zst", std::ios::binary);
    good.assign(std::istreambuf_iterator<char>(in), {});
  }
  write("truncated.tar.zst", good.substr(0, good.size() / 2));
  expect_refused(dir_ + "/truncated.tar.zst", "XX001", "");
  std::string flipped = good;
  flipped[flipped.size() / 3] ^= 0x55;
  write("corrupt.tar.zst", flipped);
  expect_refused(dir_ + "/corrupt.tar.zst", "XX001", "");
  write("text.tar.zst", "this is not an archive");
  expect_refused(dir_ + "/text.tar.zst", "XX001", "");
  write("plain.tar", build_raw({file("PG_VERSION", "17\n")}));
  expect_refused(dir_ + "/plain.tar", "XX001", "");
  write("nopg.tar.zst", build_tar_zst({file("README", "hello")}));
  expect_refused(dir_ + "/nopg.tar.zst", "55000", "PG_VERSION");
  write("pg15.tar.zst", build_tar_zst({file("PG_VERSION", "15\n"), dir("base")}));
  expect_refused(dir_ + "/pg15.tar.zst", "55000", "major version \"15\"");
  expect_refused(dir_ + "/missing.tar.zst", "58030", "missing.tar.zst");
}

TEST_F(ArchiveTest, EntriesThatWouldLeaveTheTargetAreRefused) {
  struct Case {
    const char* name;
    std::vector<RawEntry> entries;
    const char* entry;
  };
  const Case cases[] = {
      {"dotdot", {file("PG_VERSION", "17\n"), file("../evil", "x")}, "../evil"},
      {"inner-dotdot", {dir("base"), file("base/../../evil", "x")}, "base/../../evil"},
      {"absolute", {file("/tmp/pglite-evil-absolute", "x")}, "/tmp/pglite-evil-absolute"},
      {"symlink", {symlink_entry("pg_wal", "/etc")}, "pg_wal"},
      {"symlink-then-file", {symlink_entry("base", "/tmp"), file("base/evil", "x")}, "base"},
      {"hardlink", {file("PG_VERSION", "17\n"), hardlink_entry("passwd", "/etc/passwd")}, "passwd"},
      {"chardev", {node("null", AE_IFCHR)}, "null"},
      {"blockdev", {node("sda", AE_IFBLK)}, "sda"},
      {"fifo", {node("fifo", AE_IFIFO)}, "fifo"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    write(std::string(c.name) + ".tar.zst", build_tar_zst(c.entries));
    expect_refused(dir_ + "/" + c.name + ".tar.zst", "22023", std::string("\"") + c.entry + "\"");
  }
  EXPECT_FALSE(fs::exists(dir_ + "/evil"));
  EXPECT_FALSE(fs::exists("/tmp/pglite-evil-absolute"));
}

}  // namespace
