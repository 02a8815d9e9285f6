// Guest file system and its wasm imports, driven through the extern "C"
// entry points with a fake process (1 MiB of guest memory).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fs/bundle.h"
#include "fs/file_system.h"
#include "fs/host_dir.h"
#include "fs/imports.h"
#include "guest_harness.h"
#include "process.h"

namespace sh = pglite::shim;
namespace g = pglite::shim::guest;
namespace w = pglite::shim::wasi_errno;

namespace {

constexpr uint32_t kAtFdcwd = static_cast<uint32_t>(g::kAtFdcwd);
constexpr char kBlob[] =
    "hello"
    "bin!!"
    "motd";
const sh::BundleEntry kEntries[] = {
    {"/pglite/share/postgresql/postgres.bki", 0, 5},
    {"/pglite/bin/postgres", 5, 10},
    {"/etc/motd", 10, 14},
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FsTest : public ::testing::Test, public GuestHarness {
 protected:
  FsTest() : GuestHarness(1 << 20) {}
  void SetUp() override {
    root_ = make_temp_dir("fs_test_");
    data_ = root_ / "data";
    scratch_ = root_ / "scratch";
    outside_ = root_ / "outside";
    for (auto& d : {data_, scratch_, outside_}) std::filesystem::create_directory(d);
    std::ofstream(outside_ / "secret") << "top secret";
    auto bundle = std::make_shared<const sh::Bundle>(reinterpret_cast<const uint8_t*>(kBlob), kEntries,
                                                     std::size(kEntries));
    fs_.mount_bundle(bundle);
    fs_.mount_host_dir("/pglite/data", data_.string());
    fs_.mount_host_dir("/tmp", scratch_.string());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  int32_t stat(const std::string& p, uint32_t* mode = nullptr, int64_t* size = nullptr,
               bool nofollow = false) {
    uint32_t buf = alloc(g::kStatSize);
    int32_t r = nofollow ? S(Z_envZ___syscall_lstat64(&env_, str(p), buf))
                         : S(Z_envZ___syscall_stat64(&env_, str(p), buf));
    if (r == 0 && mode != nullptr) *mode = at<uint32_t>(buf + 4);
    if (r == 0 && size != nullptr) *size = at<int64_t>(buf + 24);
    return r;
  }
  // All names from a directory fd via getdents64 with a small buffer.
  std::vector<std::string> list_fd(int32_t fd, std::vector<uint8_t>* types = nullptr) {
    std::vector<std::string> names;
    uint32_t buf = alloc(3 * g::kDirentSize);
    while (true) {
      int32_t n = S(Z_envZ___syscall_getdents64(&env_, fd, buf, 3 * g::kDirentSize));
      EXPECT_GE(n, 0);
      if (n <= 0) break;
      for (int32_t off = 0; off < n; off += g::kDirentSize) {
        EXPECT_EQ(at<uint16_t>(buf + off + 16), g::kDirentSize);
        names.emplace_back(reinterpret_cast<char*>(&buf_[buf + off + 19]));
        if (types != nullptr) types->push_back(buf_[buf + off + 18]);
      }
    }
    return names;
  }
  std::set<std::string> list(const std::string& p) {
    int32_t fd = open(p, g::kO_RDONLY | g::kO_DIRECTORY);
    EXPECT_GE(fd, 3) << p;
    auto v = list_fd(fd);
    Z_wasi_snapshot_preview1Z_fd_close(&wasi_, fd);
    return {v.begin(), v.end()};
  }

  void check_symlinks_not_followed();

  std::filesystem::path root_, data_, scratch_, outside_;
};

TEST_F(FsTest, CreateWriteReadStatInHostMount) {
  int32_t fd = open("/pglite/data/f", g::kO_CREAT | g::kO_RDWR | g::kO_EXCL);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(write(fd, "hello world"), 11);
  EXPECT_EQ(pread(fd, 5, 6), "world");
  EXPECT_EQ(slurp(data_ / "f"), "hello world");

  uint32_t st = alloc(g::kStatSize);
  ASSERT_EQ(S(Z_envZ___syscall_fstat64(&env_, fd, st)), 0);
  EXPECT_EQ(at<uint32_t>(st + 4), g::kS_IFREG | 0600);
  EXPECT_EQ(at<int64_t>(st + 24), 11);
  EXPECT_EQ(at<uint32_t>(st + 12), 0u);  // uid as the guest's getuid()
  EXPECT_EQ(at<int32_t>(st + 32), 4096);

  uint32_t pos = alloc(8);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_seek(&wasi_, fd, 0, 0 /*SET*/, pos), 0u);
  EXPECT_EQ(pread(fd, 100), "hello world");
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_seek(&wasi_, fd, uint64_t(-5), 2 /*END*/, pos), 0u);
  EXPECT_EQ(at<uint64_t>(pos), 6u);

  EXPECT_EQ(S(Z_envZ___syscall_ftruncate64(&env_, fd, 4)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_fallocate(&env_, fd, 0, 0, 8192)), 0);
  EXPECT_EQ(std::filesystem::file_size(data_ / "f"), 8192u);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_sync(&wasi_, fd), 0u);
  EXPECT_EQ(S(Z_envZ___syscall_fdatasync(&env_, fd)), 0);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_close(&wasi_, fd), 0u);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_close(&wasi_, fd), uint32_t(w::kBADF));

  EXPECT_EQ(open("/pglite/data/f", g::kO_CREAT | g::kO_RDWR | g::kO_EXCL), -w::kEXIST);
  EXPECT_EQ(S(Z_envZ___syscall_truncate64(&env_, str("/pglite/data/f"), 3)), 0);
  int64_t size = 0;
  EXPECT_EQ(stat("/pglite/data/f", nullptr, &size), 0);
  EXPECT_EQ(size, 3);
}

TEST_F(FsTest, DataDirectoryLooksPrivate) {
  chmod(data_.c_str(), 0755);
  uint32_t mode = 0;
  ASSERT_EQ(stat("/pglite/data", &mode), 0);
  EXPECT_EQ(mode, g::kS_IFDIR | 0700);
  EXPECT_EQ(S(Z_envZ___syscall_chmod(&env_, str("/pglite/data"), 0700)), 0);
  EXPECT_EQ(std::filesystem::status(data_).permissions(), std::filesystem::perms::owner_all);
}

TEST_F(FsTest, DirectoriesGetdentsRenameUnlink) {
  EXPECT_EQ(S(Z_envZ___syscall_mkdirat(&env_, kAtFdcwd, str("/pglite/data/d"), 0700)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_mkdirat(&env_, kAtFdcwd, str("/pglite/data/d"), 0700)), -w::kEXIST);
  for (const char* n : {"/pglite/data/d/a", "/pglite/data/d/b"}) {
    int32_t fd = open(n, g::kO_CREAT | g::kO_WRONLY);
    ASSERT_GE(fd, 3);
    Z_wasi_snapshot_preview1Z_fd_close(&wasi_, fd);
  }
  EXPECT_EQ(list("/pglite/data/d"), (std::set<std::string>{".", "..", "a", "b"}));

  // Relative lookups against a directory fd, and rewinddir.
  int32_t dfd = open("/pglite/data/d", g::kO_RDONLY | g::kO_DIRECTORY);
  ASSERT_GE(dfd, 3);
  std::vector<uint8_t> types;
  auto names = list_fd(dfd, &types);
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(types[i], names[i] == "a" || names[i] == "b" ? g::kDT_REG : g::kDT_DIR) << names[i];
  }
  uint32_t pos = alloc(8);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_seek(&wasi_, dfd, 0, 0, pos), 0u);
  EXPECT_EQ(list_fd(dfd).size(), 4u);
  uint32_t st = alloc(g::kStatSize);
  EXPECT_EQ(S(Z_envZ___syscall_newfstatat(&env_, dfd, str("a"), st, 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_newfstatat(&env_, dfd, str(""), st, g::kAtEmptyPath)), 0);
  EXPECT_EQ(at<uint32_t>(st + 4) & g::kS_IFMT, g::kS_IFDIR);
  EXPECT_EQ(S(Z_envZ___syscall_renameat(&env_, dfd, str("a"), dfd, str("c"))), 0);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_sync(&wasi_, dfd), 0u);  // Postgres fsyncs directories
  Z_wasi_snapshot_preview1Z_fd_close(&wasi_, dfd);

  EXPECT_EQ(stat("/pglite/data/d/a"), -w::kNOENT);
  EXPECT_EQ(stat("/pglite/data/d/c"), 0);
  EXPECT_TRUE(std::filesystem::exists(data_ / "d" / "c"));
  EXPECT_EQ(S(Z_envZ___syscall_rmdir(&env_, str("/pglite/data/d"))), -w::kNOTEMPTY);
  EXPECT_EQ(S(Z_envZ___syscall_unlinkat(&env_, kAtFdcwd, str("/pglite/data/d/c"), 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_unlinkat(&env_, kAtFdcwd, str("/pglite/data/d/b"), 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_unlinkat(&env_, kAtFdcwd, str("/pglite/data/d"), g::kAtRemoveDir)), 0);
  EXPECT_FALSE(std::filesystem::exists(data_ / "d"));
}

TEST_F(FsTest, RenameAcrossMountsIsExdev) {
  int32_t fd = open("/pglite/data/x", g::kO_CREAT | g::kO_WRONLY);
  ASSERT_GE(fd, 3);
  Z_wasi_snapshot_preview1Z_fd_close(&wasi_, fd);
  EXPECT_EQ(S(Z_envZ___syscall_renameat(&env_, kAtFdcwd, str("/pglite/data/x"), kAtFdcwd, str("/tmp/x"))),
            -w::kXDEV);
  EXPECT_EQ(S(Z_envZ___syscall_renameat(&env_, kAtFdcwd, str("/pglite/bin/postgres"), kAtFdcwd,
                                        str("/pglite/bin/pg"))),
            -w::kROFS);
}

TEST_F(FsTest, BundleIsReadOnly) {
  int32_t fd = open("/pglite/share/postgresql/postgres.bki", g::kO_RDONLY);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(pread(fd, 100), "hello");
  EXPECT_EQ(pread(fd, 100), "");
  EXPECT_EQ(pread(fd, 3, 1), "ell");
  EXPECT_EQ(write(fd, "x"), -w::kBADF);
  EXPECT_EQ(S(Z_envZ___syscall_ftruncate64(&env_, fd, 0)), -w::kINVAL);
  Z_wasi_snapshot_preview1Z_fd_close(&wasi_, fd);

  EXPECT_EQ(open("/pglite/share/postgresql/postgres.bki", g::kO_WRONLY), -w::kROFS);
  EXPECT_EQ(open("/pglite/share/postgresql/postgres.bki", g::kO_RDONLY | g::kO_TRUNC), -w::kROFS);
  EXPECT_EQ(open("/pglite/share/postgresql/new", g::kO_CREAT | g::kO_WRONLY), -w::kROFS);
  EXPECT_EQ(S(Z_envZ___syscall_mkdirat(&env_, kAtFdcwd, str("/pglite/share/x"), 0700)), -w::kROFS);
  EXPECT_EQ(S(Z_envZ___syscall_unlinkat(&env_, kAtFdcwd, str("/pglite/bin/postgres"), 0)), -w::kROFS);
  EXPECT_EQ(S(Z_envZ___syscall_chmod(&env_, str("/pglite/bin/postgres"), 0777)), -w::kROFS);
  int32_t e = open("/etc/passwd", g::kO_CREAT | g::kO_WRONLY);
  EXPECT_TRUE(e == -w::kROFS || e == -w::kNOENT) << e;
  EXPECT_EQ(open("/nonexistent/dir/file", g::kO_CREAT | g::kO_WRONLY), -w::kNOENT);

  uint32_t mode = 0;
  int64_t size = 0;
  EXPECT_EQ(stat("/pglite/bin/postgres", &mode, &size), 0);
  EXPECT_EQ(mode & g::kS_IFMT, g::kS_IFREG);
  EXPECT_EQ(size, 5);
  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str("/pglite/bin/postgres"), 5, 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str("/pglite/bin/postgres"), 2, 0)), -w::kROFS);
  // Mount points and their ancestors exist even where the bundle is silent.
  EXPECT_EQ(list("/"), (std::set<std::string>{".", "..", "dev", "etc", "pglite", "tmp"}));
  EXPECT_EQ(list("/pglite"), (std::set<std::string>{".", "..", "bin", "data", "share"}));
}

TEST_F(FsTest, DotDotCannotEscape) {
  // Lexically this is the bundle's /etc/passwd, which does not exist; the
  // host's /etc/passwd must never be reached.
  EXPECT_EQ(open("/pglite/data/../../../../etc/passwd", g::kO_RDONLY), -w::kNOENT);
  EXPECT_EQ(stat("/pglite/data/../../../../etc/passwd"), -w::kNOENT);
  EXPECT_EQ(open("/pglite/data/../../../../etc/motd", g::kO_RDONLY) >= 3, true);  // bundle's
  EXPECT_EQ(S(Z_envZ___syscall_chdir(&env_, str("/pglite/data"))), 0);
  EXPECT_EQ(open("../../../../../../etc/passwd", g::kO_RDONLY), -w::kNOENT);
  EXPECT_EQ(S(Z_envZ___syscall_chdir(&env_, str("../../../.."))), 0);
  uint32_t buf = alloc(64);
  EXPECT_EQ(S(Z_envZ___syscall_getcwd(&env_, buf, 64)), 2);
  EXPECT_STREQ(reinterpret_cast<char*>(&buf_[buf]), "/");
}

TEST_F(FsTest, SymlinksAreNeverFollowed) { check_symlinks_not_followed(); }

// Same guarantees from the fallback for kernels without openat2.
TEST_F(FsTest, SymlinksAreNeverFollowedWithoutOpenat2) {
  sh::HostDir::use_openat2_for_testing(false);
  check_symlinks_not_followed();
  EXPECT_EQ(open("/pglite/data/../../../../etc/passwd", g::kO_RDONLY), -w::kNOENT);
  int32_t fd = open("/pglite/data/sub", g::kO_CREAT | g::kO_WRONLY);  // plain files still work
  EXPECT_GE(fd, 3);
  EXPECT_EQ(S(Z_envZ___syscall_mkdirat(&env_, kAtFdcwd, str("/pglite/data/dd"), 0700)), 0);
  EXPECT_GE(open("/pglite/data/dd/f", g::kO_CREAT | g::kO_WRONLY), 3);
  EXPECT_EQ(open("/pglite/data/sub/f", g::kO_CREAT | g::kO_WRONLY), -w::kNOTDIR);
  sh::HostDir::use_openat2_for_testing(true);
}

void FsTest::check_symlinks_not_followed() {
  ASSERT_EQ(symlink("/etc", (data_ / "etc").c_str()), 0);
  ASSERT_EQ(symlink((outside_ / "secret").c_str(), (data_ / "secret").c_str()), 0);
  ASSERT_EQ(symlink(outside_.c_str(), (data_ / "out").c_str()), 0);
  ASSERT_EQ(symlink((outside_ / "newfile").c_str(), (data_ / "dangling").c_str()), 0);

  EXPECT_EQ(open("/pglite/data/etc/passwd", g::kO_RDONLY), -w::kLOOP);
  EXPECT_EQ(open("/pglite/data/secret", g::kO_RDONLY), -w::kLOOP);
  EXPECT_EQ(open("/pglite/data/secret", g::kO_WRONLY | g::kO_TRUNC), -w::kLOOP);
  EXPECT_EQ(open("/pglite/data/dangling", g::kO_CREAT | g::kO_WRONLY), -w::kLOOP);
  EXPECT_EQ(open("/pglite/data/out/secret", g::kO_RDONLY), -w::kLOOP);
  EXPECT_LT(open("/pglite/data/out", g::kO_RDONLY | g::kO_DIRECTORY), 0);  // ELOOP or ENOTDIR
  EXPECT_EQ(open("/pglite/data/out", g::kO_RDONLY), -w::kLOOP);
  EXPECT_LT(S(Z_envZ___syscall_mkdirat(&env_, kAtFdcwd, str("/pglite/data/out/x"), 0700)), 0);
  EXPECT_LT(S(Z_envZ___syscall_unlinkat(&env_, kAtFdcwd, str("/pglite/data/out/secret"), 0)), 0);
  EXPECT_LT(S(Z_envZ___syscall_chmod(&env_, str("/pglite/data/secret"), 0777)), 0);
  EXPECT_LT(S(Z_envZ___syscall_truncate64(&env_, str("/pglite/data/secret"), 0)), 0);
  EXPECT_LT(S(Z_envZ___syscall_renameat(&env_, kAtFdcwd, str("/pglite/data/out/secret"), kAtFdcwd,
                                        str("/pglite/data/stolen"))),
            0);
  EXPECT_EQ(stat("/pglite/data/secret"), -w::kLOOP);
  uint32_t mode = 0;
  EXPECT_EQ(stat("/pglite/data/secret", &mode, nullptr, /*nofollow=*/true), 0);
  EXPECT_EQ(mode & g::kS_IFMT, g::kS_IFLNK);
  uint32_t buf = alloc(256);
  EXPECT_EQ(S(Z_envZ___syscall_readlinkat(&env_, kAtFdcwd, str("/pglite/data/secret"), buf, 256)),
            -w::kINVAL);
  EXPECT_EQ(S(Z_envZ___syscall_symlinkat(&env_, str("/etc"), kAtFdcwd, str("/pglite/data/l2"))), -w::kPERM);

  EXPECT_EQ(slurp(outside_ / "secret"), "top secret");
  EXPECT_EQ(std::filesystem::status(outside_ / "secret").permissions() & std::filesystem::perms::others_write,
            std::filesystem::perms::none);
  EXPECT_FALSE(std::filesystem::exists(outside_ / "x"));
  EXPECT_FALSE(std::filesystem::exists(outside_ / "newfile"));
}

TEST_F(FsTest, BadGuestPointersAreEfault) {
  uint32_t end = static_cast<uint32_t>(buf_.size());
  EXPECT_EQ(S(Z_envZ___syscall_openat(&env_, kAtFdcwd, end + 10, 0, 0)), -w::kFAULT);
  EXPECT_EQ(S(Z_envZ___syscall_openat(&env_, kAtFdcwd, 0, 0, 0)), -w::kFAULT);
  // A string running off the end of memory without a NUL.
  std::memset(&buf_[end - 4], 'a', 4);
  EXPECT_EQ(S(Z_envZ___syscall_stat64(&env_, end - 4, alloc(g::kStatSize))), -w::kFAULT);
  EXPECT_EQ(S(Z_envZ___syscall_stat64(&env_, str("/"), end - 10)), -w::kFAULT);
  EXPECT_EQ(S(Z_envZ___syscall_fstat64(&env_, 1, end - 95)), -w::kFAULT);
  EXPECT_EQ(S(Z_envZ___syscall_getdents64(&env_, 0, end - 100, 280)), -w::kFAULT);
  EXPECT_EQ(S(Z_envZ___syscall_getcwd(&env_, end, 64)), -w::kFAULT);
  EXPECT_EQ(S(Z_envZ___syscall_pipe(&env_, end - 4)), -w::kFAULT);
  uint32_t mode_ptr = end + 100;
  EXPECT_EQ(S(Z_envZ___syscall_openat(&env_, kAtFdcwd, str("/pglite/data/f"), g::kO_CREAT | g::kO_WRONLY,
                                      mode_ptr)),
            -w::kFAULT);

  uint32_t iov = alloc(8), n = alloc(4);
  uint32_t bad[2] = {end - 2, 16};
  std::memcpy(&buf_[iov], bad, 8);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_write(&wasi_, 1, iov, 1, n), uint32_t(w::kFAULT));
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_write(&wasi_, 1, end - 4, 1, n), uint32_t(w::kFAULT));
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_write(&wasi_, 1, iov, 0x20000000, n), uint32_t(w::kFAULT));
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_seek(&wasi_, 1, 0, 0, end - 4), uint32_t(w::kFAULT));
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_fdstat_get(&wasi_, 1, end - 8), uint32_t(w::kFAULT));
}

TEST_F(FsTest, TooManyOpenFilesIsEmfile) {
  std::vector<int32_t> fds;
  int32_t fd;
  while ((fd = open("/pglite/bin/postgres", g::kO_RDONLY)) >= 0) fds.push_back(fd);
  EXPECT_EQ(fd, -w::kMFILE);
  EXPECT_EQ(fds.size(), size_t(sh::FileSystem::kMaxFds - 3));
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_close(&wasi_, fds[10]), 0u);
  EXPECT_EQ(open("/pglite/bin/postgres", g::kO_RDONLY), fds[10]);  // lowest free
  EXPECT_EQ(S(Z_envZ___syscall_dup(&env_, 1)), -w::kMFILE);
}

TEST_F(FsTest, DevicesAndStdio) {
  std::string out, err;
  std::string in = "input!";
  fs_.set_stdio(
      [&](uint8_t* buf, size_t n) -> int64_t {
        size_t k = std::min(n, in.size());
        std::memcpy(buf, in.data(), k);
        in.erase(0, k);
        return static_cast<int64_t>(k);
      },
      [&](std::string_view s) { out += s; }, [&](std::string_view s) { err += s; });
  EXPECT_EQ(write(1, "to stdout"), 9);
  EXPECT_EQ(write(2, "to stderr"), 9);
  EXPECT_EQ(out, "to stdout");
  EXPECT_EQ(err, "to stderr");
  EXPECT_EQ(pread(0, 100), "input!");
  EXPECT_EQ(pread(0, 100), "");
  EXPECT_EQ(pread(1, 10), "E" + std::to_string(w::kBADF));

  uint32_t fdstat = alloc(24);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_fdstat_get(&wasi_, 1, fdstat), 0u);
  EXPECT_EQ(buf_[fdstat], g::kWasiFiletypeCharDevice);  // isatty(1)

  int32_t null = open("/dev/null", g::kO_RDWR);
  ASSERT_GE(null, 3);
  EXPECT_EQ(write(null, "discard"), 7);
  EXPECT_EQ(pread(null, 10), "");
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_fdstat_get(&wasi_, null, fdstat), 0u);
  EXPECT_NE(buf_[fdstat], g::kWasiFiletypeCharDevice);  // !isatty(/dev/null)
  uint32_t argp = alloc(64);
  EXPECT_EQ(S(Z_envZ___syscall_ioctl(&env_, null, 0x5401 /*TCGETS*/, u32(argp))), -w::kNOTTY);
  EXPECT_EQ(S(Z_envZ___syscall_ioctl(&env_, 1, 0x5413 /*TIOCGWINSZ*/, u32(argp))), 0);
  EXPECT_EQ(pread(open("/dev/zero", g::kO_RDONLY), 4), std::string(4, '\0'));
  EXPECT_EQ(pread(open("/dev/urandom", g::kO_RDONLY), 16).size(), 16u);
  uint32_t mode = 0;
  EXPECT_EQ(stat("/dev/null", &mode), 0);
  EXPECT_EQ(mode & g::kS_IFMT, g::kS_IFCHR);
}

TEST_F(FsTest, CwdAndRelativePaths) {
  EXPECT_EQ(S(Z_envZ___syscall_chdir(&env_, str("/pglite/bin/postgres"))), -w::kNOTDIR);
  EXPECT_EQ(S(Z_envZ___syscall_chdir(&env_, str("/pglite/data"))), 0);
  int32_t fd = open("rel.txt", g::kO_CREAT | g::kO_WRONLY);
  ASSERT_GE(fd, 3);
  EXPECT_TRUE(std::filesystem::exists(data_ / "rel.txt"));
  uint32_t buf = alloc(64);
  EXPECT_EQ(S(Z_envZ___syscall_getcwd(&env_, buf, 64)), 13);
  EXPECT_STREQ(reinterpret_cast<char*>(&buf_[buf]), "/pglite/data");
  EXPECT_EQ(S(Z_envZ___syscall_getcwd(&env_, buf, 5)), -w::kRANGE);
  EXPECT_EQ(S(Z_envZ___syscall_getcwd(&env_, buf, 0)), -w::kINVAL);
}

TEST_F(FsTest, FcntlDupAndFlags) {
  int32_t fd = open("/pglite/data/f", g::kO_CREAT | g::kO_RDWR | g::kO_APPEND);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(S(Z_envZ___syscall_fcntl64(&env_, fd, 3 /*F_GETFL*/, 0)), int32_t(g::kO_RDWR | g::kO_APPEND));
  EXPECT_EQ(S(Z_envZ___syscall_fcntl64(&env_, fd, 4 /*F_SETFL*/, u32(g::kO_NONBLOCK))), 0);
  EXPECT_EQ(S(Z_envZ___syscall_fcntl64(&env_, fd, 3, 0)), int32_t(g::kO_RDWR | g::kO_NONBLOCK));
  int32_t d = S(Z_envZ___syscall_fcntl64(&env_, fd, 0 /*F_DUPFD*/, u32(10)));
  EXPECT_EQ(d, 10);
  // dup()ed fds share the offset.
  EXPECT_EQ(write(fd, "abcdef"), 6);
  uint32_t pos = alloc(8);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_seek(&wasi_, d, 0, 1 /*CUR*/, pos), 0u);
  EXPECT_EQ(at<uint64_t>(pos), 6u);
  uint32_t flock = alloc(32);
  std::memset(&buf_[flock], 0xff, 2);
  EXPECT_EQ(S(Z_envZ___syscall_fcntl64(&env_, fd, 12 /*F_GETLK64*/, u32(flock))), 0);
  EXPECT_EQ(at<uint16_t>(flock), 2 /*F_UNLCK*/);
  EXPECT_EQ(S(Z_envZ___syscall_fcntl64(&env_, fd, 13 /*F_SETLK64*/, u32(flock))), 0);
  EXPECT_EQ(S(Z_envZ___syscall_dup3(&env_, fd, 20, 0)), 20);
  EXPECT_EQ(S(Z_envZ___syscall_dup3(&env_, fd, fd, 0)), -w::kINVAL);
  EXPECT_EQ(S(Z_envZ___syscall_fcntl64(&env_, 99, 3, 0)), -w::kBADF);
  EXPECT_EQ(S(Z_envZ___syscall_ioctl(&env_, fd, 0x5421 /*FIONBIO*/, u32(u32(0)))), 0);
}

TEST_F(FsTest, PipeAndFsyncToggle) {
  uint32_t fds = alloc(8);
  ASSERT_EQ(S(Z_envZ___syscall_pipe(&env_, fds)), 0);
  int32_t r = at<int32_t>(fds), wr = at<int32_t>(fds + 4);
  EXPECT_EQ(pread(r, 4), "E" + std::to_string(w::kAGAIN));
  EXPECT_EQ(write(wr, "x"), 1);
  EXPECT_EQ(pread(r, 4), "x");
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_close(&wasi_, wr), 0u);
  EXPECT_EQ(pread(r, 4), "");

  fs_.set_fsync_enabled(false);
  int32_t fd = open("/pglite/data/f", g::kO_CREAT | g::kO_RDWR);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_sync(&wasi_, fd), 0u);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_sync(&wasi_, 77), uint32_t(w::kBADF));
}

TEST_F(FsTest, StatfsUtimensAccess) {
  uint32_t buf = alloc(64);
  EXPECT_EQ(S(Z_envZ___syscall_statfs64(&env_, str("/pglite/data"), 64, buf)), 0);
  EXPECT_GT(at<uint32_t>(buf + 4), 0u);     // f_bsize
  EXPECT_EQ(at<uint32_t>(buf + 36), 255u);  // f_namelen
  EXPECT_EQ(S(Z_envZ___syscall_statfs64(&env_, str("/nope"), 64, buf)), -w::kNOENT);

  int32_t fd = open("/pglite/data/t", g::kO_CREAT | g::kO_RDWR);
  ASSERT_GE(fd, 3);
  uint32_t times = alloc(32);
  int64_t sec = 1000000000;
  std::memcpy(&buf_[times], &sec, 8);
  std::memcpy(&buf_[times + 16], &sec, 8);
  EXPECT_EQ(S(Z_envZ___syscall_utimensat(&env_, kAtFdcwd, str("/pglite/data/t"), times, 0)), 0);
  struct stat hs;
  ASSERT_EQ(::stat((data_ / "t").c_str(), &hs), 0);
  EXPECT_EQ(hs.st_mtime, sec);
  EXPECT_EQ(S(Z_envZ___syscall_utimensat(&env_, fd, 0, 0, 0)), 0);  // futimens(fd, NULL)
  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str("/pglite/data/t"), 6, 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str("/pglite/data/zz"), 0, 0)), -w::kNOENT);
  EXPECT_EQ(S(Z_envZ___syscall_fchownat(&env_, kAtFdcwd, str("/pglite/data/t"), 0, 0, 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_fchmod(&env_, fd, 0600)), 0);
}

TEST(BundleTest, RejectsConflictsAndImpliesDirs) {
  const uint8_t data[4] = {1, 2, 3, 4};
  sh::BundleEntry ok[] = {{"/a/b/c", 0, 2}, {"/a/d", 2, 4}};
  sh::Bundle b(data, ok, 2);
  ASSERT_NE(b.find("/a/b"), nullptr);
  EXPECT_TRUE(b.find("/a/b")->is_dir);
  EXPECT_EQ(b.find("/a")->children, (std::vector<std::string>{"b", "d"}));
  EXPECT_EQ(b.find("/a/d")->size, 2u);
  sh::BundleEntry bad[] = {{"/a", 0, 1}, {"/a/b", 1, 2}};
  EXPECT_THROW(sh::Bundle(data, bad, 2), std::invalid_argument);
  sh::BundleEntry rel[] = {{"a", 0, 1}};
  EXPECT_THROW(sh::Bundle(data, rel, 1), std::invalid_argument);
}

}  // namespace
