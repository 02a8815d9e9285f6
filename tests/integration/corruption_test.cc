// Data checksums: the template is made with `initdb --data-checksums`, so a
// damaged relation page is reported as XX001 and never served as data, and
// the instance stays usable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "pglite/pglite.hpp"

namespace fs = std::filesystem;

namespace {

constexpr size_t kPage = 8192;
constexpr const char* kSummary = "SELECT count(*) || '/' || sum(id) || '/' || sum(length(v)) FROM t";

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/pglite-corrupt-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string path;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

TEST(Corruption, NewDatabasesHaveDataChecksums) {
  auto db = pglite::Database::temporary();
  EXPECT_EQ(db.exec("SHOW data_checksums").value(0, 0), "on");
}

// Random bit flips anywhere in a table's pages of a closed database (the
// trials of issue 16, which without checksums gave different results with
// no error in 18 of 70): every one is an error, none is data or a trap.
TEST(Corruption, FlippedBitsInATableAreAnErrorNeverData) {
  TempDir dir;
  std::string pgdata = dir.path + "/db";
  std::string expected, relation;
  {
    auto db = pglite::Database::open(pgdata);
    db.exec("CREATE TABLE t (id int, v text)");
    db.exec("INSERT INTO t SELECT g, repeat(md5(g::text), 1 + g % 3) FROM generate_series(1, 3000) g");
    db.exec("CREATE TABLE other (x int)");
    db.exec("INSERT INTO other VALUES (42)");
    db.exec("CHECKPOINT");
    expected = std::string(*db.exec(kSummary).value(0, 0));
    relation = pgdata + "/" + std::string(*db.exec("SELECT pg_relation_filepath('t')").value(0, 0));
  }
  const std::string original = read_file(relation);
  ASSERT_GE(original.size(), 4 * kPage);

  std::mt19937 rng(20261127);
  int errors = 0;
  for (int trial = 0; trial < 20; trial++) {
    std::string damaged = original;
    size_t at = std::uniform_int_distribution<size_t>(0, damaged.size() - 1)(rng);
    damaged[at] = static_cast<char>(damaged[at] ^ (1 << std::uniform_int_distribution<int>(0, 7)(rng)));
    write_file(relation, damaged);
    SCOPED_TRACE("flipped a bit of byte " + std::to_string(at) + " (page " + std::to_string(at / kPage) +
                 ")");
    {
      auto db = pglite::Database::open(pgdata);
      try {
        std::string got(*db.exec(kSummary).value(0, 0));
        ADD_FAILURE() << "a damaged page was served as data: " << got << " (undamaged: " << expected << ")";
      } catch (const pglite::Error& e) {
        EXPECT_EQ(e.sqlstate(), "XX001") << e.what();
        errors++;
      }
      EXPECT_FALSE(db.broken());
      EXPECT_EQ(db.exec("SELECT x FROM other").value(0, 0), "42");  // the rest keeps working
    }
    write_file(relation, original);
  }
  EXPECT_EQ(errors, 20);
  auto db = pglite::Database::open(pgdata);
  EXPECT_EQ(db.exec(kSummary).value(0, 0), expected);
}

}  // namespace
