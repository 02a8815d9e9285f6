// Tests for host/src/storage: .tar.zst packing/unpacking (including hostile
// archives) and the PGDATA lifecycle (creation, reuse, locking, cleanup).

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "pglite/error.h"
#include "storage/archive.h"
#include "storage/data_dir.h"
#include "template/template_archive.h"
#include "support/raw_archive.h"

namespace fs = std::filesystem;
using pglite::Error;
using pglite::internal::DataDir;
using pglite::internal::extract_tar_zst;
using pglite::internal::write_tar_zst;
using namespace pglite::testing;

namespace {

// ---- helpers ---------------------------------------------------------------

void write_file(const std::string& path, const std::string& content, mode_t mode = 0600) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  ASSERT_TRUE(out) << path;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0) << path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string pseudo_random(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = char(rng());
  return s;
}

mode_t mode_of(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

// A small stand-in for an initdb'd PGDATA (major version `version`).
void make_fake_pgdata(const std::string& root, const std::string& version = "17") {
  fs::create_directories(root);
  ::chmod(root.c_str(), 0700);
  write_file(root + "/PG_VERSION", version + "\n");
  write_file(root + "/postgresql.conf", "# settings\nshared_buffers = 16MB\n");
  write_file(root + "/pg_hba.conf", "local all all trust\n", 0640);
  write_file(root + "/global/pg_control", pseudo_random(8192, 1));
  write_file(root + "/base/1/1259", std::string(8192 * 4, '\0') + pseudo_random(8192, 2));
  write_file(root + "/base/5/PG_VERSION", version + "\n");
  write_file(root + "/base/5/2619_fsm", std::string(24576, 'x'));
  write_file(root + "/pg_wal/000000010000000000000001", std::string(1 << 20, '\0'));
  fs::create_directories(root + "/pg_tblspc");  // empty directory
  fs::create_directories(root + "/pg_stat_tmp");
  ::chmod((root + "/pg_stat_tmp").c_str(), 0750);
  // Longer than ustar's 100-character name field.
  write_file(root + "/pg_logical/" + std::string(120, 'n'), "long name");
  // Skipped by the writer.
  write_file(root + "/postmaster.pid", "12345\n");
  write_file(root + "/.pglite.lock", "12345\n");
}

// rel path -> (mode, content or "<dir>") for every entry below root.
std::map<std::string, std::pair<mode_t, std::string>> snapshot(const std::string& root) {
  std::map<std::string, std::pair<mode_t, std::string>> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    std::string rel = fs::relative(e.path(), root).string();
    std::string full = e.path().string();
    out[rel] = {mode_of(full), e.is_directory() ? "<dir>" : read_file(full)};
  }
  return out;
}

void extract_string(const std::string& bytes, const std::string& dest) {
  extract_tar_zst(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), dest);
}

// The template used by DataDir (see builtin_template() below).
const std::vector<uint8_t>& template_bytes() {
  static const std::vector<uint8_t> bytes = [] {
    char dir[] = "/tmp/pglite-template-src-XXXXXX";
    EXPECT_NE(::mkdtemp(dir), nullptr);
    make_fake_pgdata(std::string(dir) + "/data");
    write_tar_zst(std::string(dir) + "/data", std::string(dir) + "/t.tar.zst");
    std::vector<uint8_t> out = read_bytes(std::string(dir) + "/t.tar.zst");
    fs::remove_all(dir);
    return out;
  }();
  return bytes;
}

// Runs f and returns the pglite::Error it throws (fails the test if none).
template <typename F>
Error catch_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception: " << e.what();
    return Error("?????", e.what());
  }
  ADD_FAILURE() << "no exception thrown";
  return Error("?????", "no exception");
}

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/pglite-storage-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    tmp_ = dir;
  }
  void TearDown() override {
    // Undo chmods that would stop remove_all.
    for (const auto& e :
         fs::recursive_directory_iterator(tmp_, fs::directory_options::skip_permission_denied)) {
      if (e.is_directory() && !e.is_symlink()) ::chmod(e.path().c_str(), 0700);
    }
    fs::remove_all(tmp_);
  }
  std::string tmp_;
};

using ArchiveTest = StorageTest;
using DataDirTest = StorageTest;

// ---- archive: round trip -------------------------------------------------------

TEST_F(ArchiveTest, RoundTripPreservesFilesDirsAndModes) {
  make_fake_pgdata(tmp_ + "/src");
  write_tar_zst(tmp_ + "/src", tmp_ + "/a.tar.zst");
  EXPECT_FALSE(fs::exists(tmp_ + "/a.tar.zst.tmp"));

  auto bytes = read_bytes(tmp_ + "/a.tar.zst");
  extract_tar_zst(bytes.data(), bytes.size(), tmp_ + "/out");

  auto expected = snapshot(tmp_ + "/src");
  expected.erase("postmaster.pid");
  expected.erase(".pglite.lock");
  EXPECT_EQ(snapshot(tmp_ + "/out"), expected);
  EXPECT_EQ(mode_of(tmp_ + "/out/pg_hba.conf"), 0640u);
  EXPECT_EQ(mode_of(tmp_ + "/out/pg_stat_tmp"), 0750u);
  EXPECT_TRUE(fs::is_directory(tmp_ + "/out/pg_tblspc"));
  EXPECT_FALSE(fs::exists(tmp_ + "/out/postmaster.pid"));
  EXPECT_FALSE(fs::exists(tmp_ + "/out/.pglite.lock"));
}

TEST_F(ArchiveTest, PathOverloadAndCreatesDest) {
  make_fake_pgdata(tmp_ + "/src");
  write_tar_zst(tmp_ + "/src", tmp_ + "/a.tar.zst", 19);
  extract_tar_zst(tmp_ + "/a.tar.zst", tmp_ + "/x/y/out");
  EXPECT_EQ(read_file(tmp_ + "/x/y/out/PG_VERSION"), "17\n");
  EXPECT_EQ(read_file(tmp_ + "/x/y/out/global/pg_control"), pseudo_random(8192, 1));
}

TEST_F(ArchiveTest, OutputIsDeterministic) {
  make_fake_pgdata(tmp_ + "/src");
  write_tar_zst(tmp_ + "/src", tmp_ + "/a.tar.zst");
  ::utimensat(AT_FDCWD, (tmp_ + "/src/PG_VERSION").c_str(), nullptr, 0);  // touch
  make_fake_pgdata(tmp_ + "/src2");
  write_tar_zst(tmp_ + "/src2", tmp_ + "/b.tar.zst");
  EXPECT_EQ(read_bytes(tmp_ + "/a.tar.zst"), read_bytes(tmp_ + "/b.tar.zst"));
}

TEST_F(ArchiveTest, WriterRefusesSymlinksAndLeavesNoOutput) {
  make_fake_pgdata(tmp_ + "/src");
  fs::create_symlink("/etc", tmp_ + "/src/pg_wal_link");
  Error e = catch_error([&] { write_tar_zst(tmp_ + "/src", tmp_ + "/a.tar.zst"); });
  EXPECT_EQ(e.sqlstate(), "58030");
  EXPECT_NE(e.message().find("pg_wal_link"), std::string::npos) << e.message();
  EXPECT_FALSE(fs::exists(tmp_ + "/a.tar.zst"));
  EXPECT_FALSE(fs::exists(tmp_ + "/a.tar.zst.tmp"));
}

TEST_F(ArchiveTest, WriterMissingSourceIsError) {
  Error e = catch_error([&] { write_tar_zst(tmp_ + "/nope", tmp_ + "/a.tar.zst"); });
  EXPECT_EQ(e.sqlstate(), "58030");
  EXPECT_NE(e.message().find("No such file"), std::string::npos) << e.message();
}

TEST_F(ArchiveTest, ExtractNeverOverwrites) {
  std::string a = build_tar_zst({file("f", "new")});
  write_file(tmp_ + "/out/f", "old");
  Error e = catch_error([&] { extract_string(a, tmp_ + "/out"); });
  EXPECT_EQ(e.sqlstate(), "22023");
  EXPECT_EQ(read_file(tmp_ + "/out/f"), "old");
}

TEST_F(ArchiveTest, ExtractAcceptsDotSlashPrefixes) {
  std::string a = build_tar_zst({dir("./"), dir("./d"), file("./d/f", "hello")});
  extract_string(a, tmp_ + "/out");
  EXPECT_EQ(read_file(tmp_ + "/out/d/f"), "hello");
}

TEST_F(ArchiveTest, OwnerKeepsAccessAndSpecialBitsAreDropped) {
  RawEntry d = dir("locked");
  d.perm = 0;
  RawEntry f = file("locked/f", "x");
  f.perm = 04000;  // setuid, no read/write
  extract_string(build_tar_zst({d, f}), tmp_ + "/out");
  EXPECT_EQ(mode_of(tmp_ + "/out/locked"), 0700u);
  EXPECT_EQ(mode_of(tmp_ + "/out/locked/f"), 0600u);
  EXPECT_EQ(read_file(tmp_ + "/out/locked/f"), "x");
}

// ---- archive: hostile entries ----------------------------------------------------

void expect_refused(const std::string& tmp, const std::vector<RawEntry>& entries,
                    const std::string& entry_name) {
  std::string bytes = build_tar_zst(entries);
  fs::remove_all(tmp + "/sandbox");
  fs::create_directories(tmp + "/sandbox/dest");
  Error e = catch_error([&] { extract_string(bytes, tmp + "/sandbox/dest"); });
  EXPECT_EQ(e.sqlstate(), "22023") << e.message();
  EXPECT_NE(e.message().find("\"" + entry_name + "\""), std::string::npos) << e.message();
  // Nothing escaped into the sandbox around dest.
  for (const auto& p : fs::directory_iterator(tmp + "/sandbox")) {
    EXPECT_EQ(p.path().filename(), "dest") << "escaped: " << p.path();
  }
}

TEST_F(ArchiveTest, RefusesDotDot) {
  expect_refused(tmp_, {file("../evil", "x")}, "../evil");
  EXPECT_FALSE(fs::exists(tmp_ + "/sandbox/evil"));
}

TEST_F(ArchiveTest, RefusesDotDotInsidePath) {
  expect_refused(tmp_, {dir("a"), file("a/../../evil", "x")}, "a/../../evil");
}

TEST_F(ArchiveTest, RefusesAbsolutePath) {
  std::string target = tmp_ + "/abs/path";
  expect_refused(tmp_, {file(target, "x")}, target);
  EXPECT_FALSE(fs::exists(target));
  expect_refused(tmp_, {file("/abs/path", "x")}, "/abs/path");
}

TEST_F(ArchiveTest, RefusesSymlinkEntry) {
  expect_refused(tmp_, {symlink_entry("link", "/etc")}, "link");
  expect_refused(tmp_, {symlink_entry("base", tmp_), file("base/evil", "x")}, "base");
}

TEST_F(ArchiveTest, RefusesHardlinkEntry) {
  expect_refused(tmp_, {file("f", "x"), hardlink_entry("hl", "/etc/passwd")}, "hl");
  expect_refused(tmp_, {file("f", "x"), hardlink_entry("hl2", "f")}, "hl2");
}

TEST_F(ArchiveTest, RefusesDeviceNode) {
  expect_refused(tmp_, {node("null", AE_IFCHR)}, "null");
  expect_refused(tmp_, {node("blk", AE_IFBLK)}, "blk");
}

TEST_F(ArchiveTest, RefusesFifo) { expect_refused(tmp_, {node("fifo", AE_IFIFO)}, "fifo"); }

TEST_F(ArchiveTest, RefusesWritingThroughSymlinkAlreadyOnDisk) {
  fs::create_directories(tmp_ + "/sandbox/dest");
  fs::create_directories(tmp_ + "/outside");
  fs::create_directory_symlink(tmp_ + "/outside", tmp_ + "/sandbox/dest/sub");
  std::string bytes = build_tar_zst({file("sub/evil", "x")});
  Error e = catch_error([&] { extract_string(bytes, tmp_ + "/sandbox/dest"); });
  EXPECT_EQ(e.sqlstate(), "22023") << e.message();
  EXPECT_FALSE(fs::exists(tmp_ + "/outside/evil"));

  fs::create_symlink(tmp_ + "/outside/file", tmp_ + "/sandbox/dest/f");
  bytes = build_tar_zst({file("f", "x")});
  e = catch_error([&] { extract_string(bytes, tmp_ + "/sandbox/dest"); });
  EXPECT_EQ(e.sqlstate(), "22023") << e.message();
  EXPECT_FALSE(fs::exists(tmp_ + "/outside/file"));
}

// ---- archive: broken input -------------------------------------------------------

void expect_corrupt(const std::string& tmp, const std::string& bytes) {
  Error e = catch_error([&] { extract_string(bytes, tmp + "/out"); });
  EXPECT_EQ(e.sqlstate(), "XX001") << e.message();
  EXPECT_FALSE(e.message().empty());
}

TEST_F(ArchiveTest, RefusesTruncatedArchive) {
  make_fake_pgdata(tmp_ + "/src");
  write_tar_zst(tmp_ + "/src", tmp_ + "/a.tar.zst");
  std::string full = read_file(tmp_ + "/a.tar.zst");
  for (size_t cut : {size_t(10), full.size() / 3, full.size() / 2, full.size() - 5, full.size() - 1}) {
    SCOPED_TRACE(cut);
    fs::remove_all(tmp_ + "/out");
    expect_corrupt(tmp_, full.substr(0, cut));
  }
}

TEST_F(ArchiveTest, RefusesCorruptedByte) {
  make_fake_pgdata(tmp_ + "/src");
  write_tar_zst(tmp_ + "/src", tmp_ + "/a.tar.zst");
  std::string bytes = read_file(tmp_ + "/a.tar.zst");
  bytes[bytes.size() / 2] ^= 0x55;
  expect_corrupt(tmp_, bytes);
}

TEST_F(ArchiveTest, RefusesRandomBytes) {
  expect_corrupt(tmp_, pseudo_random(100000, 7));
  std::string with_magic = std::string("\x28\xB5\x2F\xFD", 4) + pseudo_random(100000, 8);
  expect_corrupt(tmp_, with_magic);
}

TEST_F(ArchiveTest, RefusesZstdOfNonTar) {
  expect_corrupt(tmp_, zstd_compress(pseudo_random(100000, 9)));
  expect_corrupt(tmp_, zstd_compress(std::string(5000, 'a')));
}

TEST_F(ArchiveTest, RefusesZip) {
  std::string zip = build_raw({file("PG_VERSION", "17\n")}, /*zip=*/true);
  ASSERT_EQ(zip.substr(0, 2), "PK");
  expect_corrupt(tmp_, zip);
  expect_corrupt(tmp_, zstd_compress(zip));
}

TEST_F(ArchiveTest, RefusesUncompressedTar) { expect_corrupt(tmp_, build_raw({file("PG_VERSION", "17\n")})); }

TEST_F(ArchiveTest, RefusesEmptyInput) {
  expect_corrupt(tmp_, "");
  Error e = catch_error([&] { extract_tar_zst(nullptr, 0, tmp_ + "/out"); });
  EXPECT_EQ(e.sqlstate(), "XX001");
}

TEST_F(ArchiveTest, MissingArchiveFileIsOsError) {
  Error e = catch_error([&] { extract_tar_zst(tmp_ + "/none.tar.zst", tmp_ + "/out"); });
  EXPECT_EQ(e.sqlstate(), "58030");
  EXPECT_NE(e.message().find("No such file"), std::string::npos) << e.message();
}

TEST_F(ArchiveTest, ExtractionIsFast) {
  // Roughly the template's shape: ~1000 files, ~40 MB, compressible.
  // Like relation pages: partly zero, partly incompressible (distinct data
  // per file, so zstd cannot just reference an earlier copy).
  for (int i = 0; i < 1000; i++) {
    std::string data;
    for (int page = 0; page < (i % 10 == 0 ? 20 : 1); page++) {
      data += std::string(7000, '\0') + pseudo_random(1192, uint32_t(i * 100 + page));
    }
    write_file(tmp_ + "/src/base/" + std::to_string(i % 8) + "/" + std::to_string(16384 + i), data);
  }
  for (int i = 0; i < 2; i++) {
    write_file(tmp_ + "/src/pg_wal/00000001000000000000000" + std::to_string(i), std::string(16 << 20, '\0'));
  }
  write_tar_zst(tmp_ + "/src", tmp_ + "/a.tar.zst");
  auto bytes = read_bytes(tmp_ + "/a.tar.zst");

  // Time our code rather than the disk: on a busy ext4 merely creating 1000
  // files can take over 500 ms, so use tmpfs where there is one.
  std::string base = tmp_;
  char shm[] = "/dev/shm/pglite-storage-test-XXXXXX";
  if (::mkdtemp(shm)) base = shm;
  double best = 1e9;
  for (int i = 0; i < 3; i++) {
    std::string dest = base + "/out" + std::to_string(i);
    auto t0 = std::chrono::steady_clock::now();
    extract_tar_zst(bytes.data(), bytes.size(), dest);
    auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
    EXPECT_TRUE(fs::exists(dest + "/base/7/17383"));
  }
  if (base != tmp_) fs::remove_all(base);
  std::printf("[ timing ] extract %zu KB .tar.zst (~56 MB, 1002 files) into %s: best %.1f ms\n",
              bytes.size() / 1024, base.c_str(), best);
  EXPECT_LT(best, 400.0);  // loose, for shared CI machines; typically ~50 ms
}

// ---- DataDir -------------------------------------------------------------------

TEST_F(DataDirTest, OpenCreatesFromTemplate) {
  std::string path = tmp_ + "/a/b/db";
  auto d = DataDir::open(path);
  EXPECT_EQ(d->path(), path);
  EXPECT_TRUE(d->created());
  EXPECT_EQ(read_file(path + "/PG_VERSION"), "17\n");
  EXPECT_EQ(read_file(path + "/global/pg_control"), pseudo_random(8192, 1));
  EXPECT_EQ(mode_of(path), 0700u);
  EXPECT_EQ(read_file(path + "/.pglite.lock"), std::to_string(::getpid()) + "\n");
  EXPECT_FALSE(fs::exists(path + "/.pglite-init"));
  EXPECT_FALSE(fs::exists(path + "/postmaster.pid"));
}

TEST_F(DataDirTest, RelativePathBecomesAbsolute) {
  std::string cwd = fs::current_path();
  fs::current_path(tmp_);
  std::unique_ptr<DataDir> d;
  EXPECT_NO_THROW(d = DataDir::open("./rel/../db/"));
  fs::current_path(cwd);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->path(), tmp_ + "/db");
}

TEST_F(DataDirTest, OpenReusesExisting) {
  std::string path = tmp_ + "/db";
  DataDir::open(path).reset();
  write_file(path + "/base/5/marker", "kept");
  auto d = DataDir::open(path);
  EXPECT_FALSE(d->created());
  EXPECT_EQ(read_file(path + "/base/5/marker"), "kept");
}

TEST_F(DataDirTest, OpenPopulatesEmptyDirectory) {
  std::string path = tmp_ + "/db";
  fs::create_directories(path);
  ::chmod(path.c_str(), 0755);
  auto d = DataDir::open(path);
  EXPECT_TRUE(d->created());
  EXPECT_TRUE(fs::exists(path + "/PG_VERSION"));
  EXPECT_EQ(mode_of(path), 0700u);
}

TEST_F(DataDirTest, OpenTwiceInSameProcessIsLocked) {
  std::string path = tmp_ + "/db";
  auto d = DataDir::open(path);
  Error e = catch_error([&] { DataDir::open(path); });
  EXPECT_EQ(e.sqlstate(), "55006");
  EXPECT_EQ(e.message(),
            "database at " + path + " is already open (locked by pid " + std::to_string(::getpid()) + ")");
  d.reset();
  EXPECT_NO_THROW(DataDir::open(path));
}

TEST_F(DataDirTest, StaleLockFromKilledProcessIsRecovered) {
  std::string path = tmp_ + "/db";
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    try {
      auto d = DataDir::open(path);
      char c = 'k';
      if (::write(ready[1], &c, 1) != 1) ::_exit(2);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(3);
    }
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1) << "child failed to open the database";
  ::close(ready[0]);

  Error e = catch_error([&] { DataDir::open(path); });
  EXPECT_EQ(e.sqlstate(), "55006");
  EXPECT_NE(e.message().find("locked by pid " + std::to_string(child)), std::string::npos) << e.message();

  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(read_file(path + "/.pglite.lock"), std::to_string(child) + "\n");  // stale

  std::unique_ptr<DataDir> d;
  ASSERT_NO_THROW(d = DataDir::open(path));
  EXPECT_FALSE(d->created());
  EXPECT_EQ(read_file(path + "/.pglite.lock"), std::to_string(::getpid()) + "\n");
}

TEST_F(DataDirTest, StalePostmasterPidIsRemoved) {
  std::string path = tmp_ + "/db";
  DataDir::open(path).reset();
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);  // a pid that is certainly dead now
  write_file(path + "/postmaster.pid", std::to_string(child) + "\n" + path + "\n");
  auto d = DataDir::open(path);
  EXPECT_FALSE(fs::exists(path + "/postmaster.pid"));
}

TEST_F(DataDirTest, NonPgliteDirectoryIsRefusedUntouched) {
  std::string path = tmp_ + "/notdb";
  write_file(path + "/important.txt", "data");
  Error e = catch_error([&] { DataDir::open(path); });
  EXPECT_EQ(e.sqlstate(), "55000");
  EXPECT_NE(e.message().find("not a pglite data directory"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find(path), std::string::npos) << e.message();
  EXPECT_FALSE(fs::exists(path + "/.pglite.lock"));
  EXPECT_EQ(read_file(path + "/important.txt"), "data");
}

TEST_F(DataDirTest, OtherMajorVersionIsRefused) {
  std::string path = tmp_ + "/pg16";
  make_fake_pgdata(path, "16");
  Error e = catch_error([&] { DataDir::open(path); });
  EXPECT_EQ(e.sqlstate(), "55000");
  EXPECT_NE(e.message().find("\"16\""), std::string::npos) << e.message();
  // The lock was released: a second attempt fails the same way, not with 55006.
  EXPECT_EQ(catch_error([&] { DataDir::open(path); }).sqlstate(), "55000");
}

TEST_F(DataDirTest, FileInsteadOfDirectoryIsError) {
  write_file(tmp_ + "/file", "x");
  Error e = catch_error([&] { DataDir::open(tmp_ + "/file"); });
  EXPECT_EQ(e.sqlstate(), "58030");
  EXPECT_NE(e.message().find("Not a directory"), std::string::npos) << e.message();
  e = catch_error([&] { DataDir::open(tmp_ + "/file/sub"); });
  EXPECT_EQ(e.sqlstate(), "58030");
  EXPECT_NE(e.message().find("Not a directory"), std::string::npos) << e.message();
}

TEST_F(DataDirTest, UnwritableLocationIsError) {
  std::string path;
  if (::geteuid() == 0) {
    path = "/proc/pglite-storage-test/db";  // even root cannot create this
  } else {
    fs::create_directories(tmp_ + "/ro");
    ::chmod((tmp_ + "/ro").c_str(), 0500);
    path = tmp_ + "/ro/db";
  }
  Error e = catch_error([&] { DataDir::open(path); });
  EXPECT_EQ(e.sqlstate(), "58030") << e.message();
  EXPECT_NE(e.message().find("cannot create directory"), std::string::npos) << e.message();
}

TEST_F(DataDirTest, EmptyPathIsError) {
  EXPECT_EQ(catch_error([&] { DataDir::open(""); }).sqlstate(), "22023");
}

TEST_F(DataDirTest, InterruptedCreationIsRedone) {
  std::string path = tmp_ + "/db";
  // What a crash half way through populating leaves behind.
  write_file(path + "/.pglite-init/global/pg_control", "partial");
  write_file(path + "/base/1/1259", "partial");
  write_file(path + "/.pglite.lock", "999999\n");
  auto d = DataDir::open(path);
  EXPECT_TRUE(d->created());
  EXPECT_EQ(read_file(path + "/base/1/1259"), std::string(8192 * 4, '\0') + pseudo_random(8192, 2));
  EXPECT_FALSE(fs::exists(path + "/.pglite-init"));
}

TEST_F(DataDirTest, StagingLeftOverAfterCompletionIsRemoved) {
  std::string path = tmp_ + "/db";
  DataDir::open(path).reset();
  write_file(path + "/.pglite-init/leftover", "x");
  auto d = DataDir::open(path);
  EXPECT_FALSE(d->created());
  EXPECT_FALSE(fs::exists(path + "/.pglite-init"));
}

TEST_F(DataDirTest, FromArchiveToPath) {
  std::string src = tmp_ + "/src";
  make_fake_pgdata(src);
  write_file(src + "/base/5/marker", "from archive");
  write_tar_zst(src, tmp_ + "/dump.tar.zst");
  auto d = DataDir::from_archive(tmp_ + "/dump.tar.zst", tmp_ + "/restored");
  EXPECT_TRUE(d->created());
  EXPECT_EQ(read_file(tmp_ + "/restored/base/5/marker"), "from archive");
  d.reset();
  // A database is there now: loading into it again is refused.
  Error e = catch_error([&] { DataDir::from_archive(tmp_ + "/dump.tar.zst", tmp_ + "/restored"); });
  EXPECT_EQ(e.sqlstate(), "58P02") << e.message();
  EXPECT_EQ(read_file(tmp_ + "/restored/base/5/marker"), "from archive");
}

TEST_F(DataDirTest, FromArchiveFailuresLeaveNothingBehind) {
  make_fake_pgdata(tmp_ + "/src16", "16");
  write_tar_zst(tmp_ + "/src16", tmp_ + "/pg16.tar.zst");
  Error e = catch_error([&] { DataDir::from_archive(tmp_ + "/pg16.tar.zst", tmp_ + "/db"); });
  EXPECT_EQ(e.sqlstate(), "55000") << e.message();
  EXPECT_FALSE(fs::exists(tmp_ + "/db"));

  write_file(tmp_ + "/junk.tar.zst", pseudo_random(4096, 5));
  e = catch_error([&] { DataDir::from_archive(tmp_ + "/junk.tar.zst", tmp_ + "/db"); });
  EXPECT_EQ(e.sqlstate(), "XX001") << e.message();
  EXPECT_FALSE(fs::exists(tmp_ + "/db"));

  fs::create_directories(tmp_ + "/empty");
  e = catch_error([&] { DataDir::from_archive(tmp_ + "/junk.tar.zst", tmp_ + "/empty"); });
  EXPECT_EQ(e.sqlstate(), "XX001") << e.message();
  EXPECT_TRUE(fs::is_empty(tmp_ + "/empty"));  // user's directory kept, and left empty

  e = catch_error([&] { DataDir::from_archive(tmp_ + "/missing.tar.zst", tmp_ + "/db"); });
  EXPECT_EQ(e.sqlstate(), "58030") << e.message();
  EXPECT_FALSE(fs::exists(tmp_ + "/db"));
}

}  // namespace

// Test-only stand-in for the build-generated embedded template.
namespace pglite::internal {
TemplateArchive builtin_template() {
  const std::vector<uint8_t>& bytes = template_bytes();
  return {bytes.data(), bytes.size()};
}
}  // namespace pglite::internal
