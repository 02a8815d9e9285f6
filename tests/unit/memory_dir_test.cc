// In-memory mounts (MemoryImage / MemoryDir) driven through the extern "C"
// import functions with a fake process, plus a randomized differential test
// against a host-directory mount.
#include "fs/memory_dir.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fs/file_system.h"
#include "fs/imports.h"
#include "guest_harness.h"
#include "process.h"

namespace sh = pglite::shim;
namespace g = pglite::shim::guest;
namespace w = pglite::shim::wasi_errno;

// Test doubles for the process layer (process.cc is not linked): guest
// memory is a plain buffer hung off pgl_process::memory.

namespace {

constexpr uint32_t kAtFdcwd = static_cast<uint32_t>(g::kAtFdcwd);
constexpr uint64_t kBlock = sh::kMemoryBlockSize;
constexpr size_t kWalSize = 16 << 20;

std::string pattern(size_t n, char seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i % 251);
  return s;
}

const sh::MemoryImage::Node* find(const sh::MemoryImage::Node& root, std::string_view rel) {
  const sh::MemoryImage::Node* n = &root;
  while (!rel.empty()) {
    size_t j = rel.find('/');
    std::string_view name = rel.substr(0, j);
    rel = j == std::string_view::npos ? std::string_view() : rel.substr(j + 1);
    const sh::MemoryImage::Node* next = nullptr;
    for (const auto& c : n->children) {
      if (c.name == name) next = &c;
    }
    if (next == nullptr) return nullptr;
    n = next;
  }
  return n;
}

// A small PGDATA-like template: a few files, a 3-block relation, a 16 MB
// WAL segment that is zero after its first block, and an all-zero file.
std::shared_ptr<const sh::MemoryImage> make_image() {
  sh::MemoryImageBuilder b;
  b.add_dir(".", 0700);
  b.add_file("./PG_VERSION", 0600, "17\n");
  b.add_dir("base/", 0700);
  b.add_file("base/1/1259", 0600, pattern(3 * kBlock, 'a'));
  b.add_file("global/pg_control", 0600, pattern(kBlock, 'c'));
  std::string wal(kWalSize, '\0');
  std::memcpy(wal.data(), "WALHEADER", 9);
  b.add_file("pg_wal/000000010000000000000001", 0600, wal);
  b.add_file("pg_wal/zeros", 0600, std::string(kWalSize, '\0'));
  b.add_dir("pg_tblspc", 0700);
  return b.finish();
}

class MemoryDirTest : public ::testing::Test, public GuestHarness {
 protected:
  MemoryDirTest() : GuestHarness(4 << 20) {}
  void SetUp() override {
    root_ = make_temp_dir("memory_dir_test_");
    image_ = make_image();
    mem_ = std::make_shared<sh::MemoryDir>(image_);
    fs_.mount_memory_dir("/pglite/data", mem_);
    fs_.mount_host_dir("/host", root_.string());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  int32_t openat(int32_t dirfd, const std::string& p, uint32_t flags) {
    return S(Z_envZ___syscall_openat(&env_, static_cast<uint32_t>(dirfd), str(p), flags, u32(0600)));
  }
  uint32_t close(int32_t fd) { return Z_wasi_snapshot_preview1Z_fd_close(&wasi_, fd); }
  int64_t seek(int32_t fd, int64_t off, uint32_t whence) {
    uint32_t pos = alloc(8);
    uint32_t e = Z_wasi_snapshot_preview1Z_fd_seek(&wasi_, fd, static_cast<uint64_t>(off), whence, pos);
    return e != 0 ? -static_cast<int64_t>(e) : at<int64_t>(pos);
  }
  struct St {
    uint32_t dev, mode, nlink, uid;
    int64_t size, blocks, mtime_sec;
    uint64_t ino;
  };
  St decode(uint32_t b) {
    return St{at<uint32_t>(b),     at<uint32_t>(b + 4), at<uint32_t>(b + 8), at<uint32_t>(b + 12),
              at<int64_t>(b + 24), at<int32_t>(b + 36), at<int64_t>(b + 56), at<uint64_t>(b + 88)};
  }
  int32_t stat(const std::string& p, St* st = nullptr) {
    uint32_t b = alloc(g::kStatSize);
    int32_t r = S(Z_envZ___syscall_stat64(&env_, str(p), b));
    if (r == 0 && st != nullptr) *st = decode(b);
    return r;
  }
  St fstat(int32_t fd) {
    uint32_t b = alloc(g::kStatSize);
    EXPECT_EQ(S(Z_envZ___syscall_fstat64(&env_, fd, b)), 0);
    return decode(b);
  }
  int32_t mkdir(const std::string& p) { return S(Z_envZ___syscall_mkdirat(&env_, kAtFdcwd, str(p), 0700)); }
  int32_t rmdir(const std::string& p) { return S(Z_envZ___syscall_rmdir(&env_, str(p))); }
  int32_t unlink(const std::string& p) { return S(Z_envZ___syscall_unlinkat(&env_, kAtFdcwd, str(p), 0)); }
  int32_t rename(const std::string& a, const std::string& b) {
    return S(Z_envZ___syscall_renameat(&env_, kAtFdcwd, str(a), kAtFdcwd, str(b)));
  }
  int32_t ftruncate(int32_t fd, uint64_t len) { return S(Z_envZ___syscall_ftruncate64(&env_, fd, len)); }
  // All entries (name -> d_type) from a directory fd via getdents64 with a
  // small buffer.
  std::map<std::string, uint8_t> list_fd(int32_t fd) {
    std::map<std::string, uint8_t> names;
    uint32_t buf = alloc(3 * g::kDirentSize);
    while (true) {
      int32_t n = S(Z_envZ___syscall_getdents64(&env_, fd, buf, 3 * g::kDirentSize));
      EXPECT_GE(n, 0);
      if (n <= 0) break;
      for (int32_t off = 0; off < n; off += g::kDirentSize) {
        names[reinterpret_cast<char*>(&buf_[buf + off + 19])] = buf_[buf + off + 18];
      }
    }
    return names;
  }
  std::set<std::string> list(const std::string& p) {
    int32_t fd = open(p, g::kO_RDONLY | g::kO_DIRECTORY);
    EXPECT_GE(fd, 3) << p;
    std::set<std::string> out;
    for (const auto& [name, type] : list_fd(fd)) out.insert(name);
    close(fd);
    return out;
  }

  std::filesystem::path root_;
  std::shared_ptr<const sh::MemoryImage> image_;
  std::shared_ptr<sh::MemoryDir> mem_;
};

TEST(MemoryImageTest, BuilderNormalisesPathsAndSkipsZeroBlocks) {
  sh::MemoryImageBuilder b;
  b.add_file("/a/b/c", 0644, "xyz");
  b.add_dir("a/b/", 0750);
  std::string sparse(5 * kBlock + 10, '\0');
  sparse[2 * kBlock + 1] = 'x';
  sparse[5 * kBlock + 9] = 'y';
  b.add_file("./s", 0100600, sparse);  // type bits are dropped
  b.add_file("z", 0600, std::string(kWalSize, '\0'));
  EXPECT_THROW(b.add_file("a/../etc", 0600, ""), std::invalid_argument);
  EXPECT_THROW(b.add_file("a/b/c/d", 0600, ""), std::invalid_argument);  // c is a file
  EXPECT_THROW(b.add_dir("a/b/c", 0700), std::invalid_argument);
  EXPECT_THROW(b.add_file("a", 0600, ""), std::invalid_argument);
  EXPECT_THROW(b.add_file("/", 0600, ""), std::invalid_argument);
  auto img = b.finish();

  EXPECT_EQ(img->stored_bytes(), 3 * kBlock);  // "xyz", and two of the six sparse blocks
  EXPECT_EQ(img->node_count(), 6u);            // root, a, a/b, a/b/c, s, z
  const auto* s = find(img->root(), "s");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->mode, 0600u);
  EXPECT_EQ(s->size, sparse.size());
  ASSERT_EQ(s->blocks->size(), 6u);
  EXPECT_EQ((*s->blocks)[0], nullptr);
  EXPECT_NE((*s->blocks)[2], nullptr);
  const auto* z = find(img->root(), "z");
  EXPECT_EQ(z->size, kWalSize);
  EXPECT_EQ(z->blocks, nullptr);
  EXPECT_EQ(find(img->root(), "a/b")->mode, 0750u);
  EXPECT_TRUE(find(img->root(), "a")->is_dir);
  EXPECT_EQ(find(img->root(), "a")->mode, 0700u);  // implied parent
  // The builder is reusable after finish().
  b.add_file("n", 0600, "1");
  EXPECT_EQ(b.finish()->node_count(), 2u);
}

TEST_F(MemoryDirTest, ImageContentsAreVisible) {
  int32_t fd = open("/pglite/data/PG_VERSION", g::kO_RDONLY);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(pread(fd, 100), "17\n");
  EXPECT_EQ(pread(fd, 100), "");
  close(fd);
  fd = open("/pglite/data/base/1/1259", g::kO_RDONLY);
  EXPECT_EQ(pread(fd, 3 * kBlock), pattern(3 * kBlock, 'a'));
  EXPECT_EQ(pread(fd, 10, 2 * kBlock - 5), pattern(3 * kBlock, 'a').substr(2 * kBlock - 5, 10));
  close(fd);
  fd = open("/pglite/data/pg_wal/000000010000000000000001", g::kO_RDONLY);
  EXPECT_EQ(pread(fd, 9), "WALHEADER");
  EXPECT_EQ(pread(fd, 16, kWalSize - 8), std::string(8, '\0'));

  St st;
  ASSERT_EQ(stat("/pglite/data", &st), 0);
  EXPECT_EQ(st.mode, g::kS_IFDIR | 0700);
  EXPECT_EQ(st.nlink, 2u + 4u);  // base, global, pg_wal, pg_tblspc
  ASSERT_EQ(stat("/pglite/data/base/1/1259", &st), 0);
  EXPECT_EQ(st.mode, g::kS_IFREG | 0600);
  EXPECT_EQ(st.size, int64_t(3 * kBlock));
  EXPECT_EQ(st.blocks, int64_t(3 * kBlock / 512));
  EXPECT_EQ(st.uid, 0u);
  EXPECT_EQ(st.nlink, 1u);
  EXPECT_EQ(list("/pglite/data"),
            (std::set<std::string>{".", "..", "PG_VERSION", "base", "global", "pg_tblspc", "pg_wal"}));
  EXPECT_EQ(list("/pglite"), (std::set<std::string>{".", "..", "data"}));
  EXPECT_EQ(mem_->private_bytes(), 0u);
}

TEST_F(MemoryDirTest, CreateWriteReadStat) {
  int32_t fd = open("/pglite/data/f", g::kO_CREAT | g::kO_RDWR | g::kO_EXCL);
  ASSERT_GE(fd, 3);
  St st = fstat(fd);
  EXPECT_EQ(st.mode, g::kS_IFREG | 0600);
  EXPECT_EQ(st.size, 0);
  uint64_t ino = st.ino;
  EXPECT_EQ(write(fd, "hello world"), 11);
  EXPECT_EQ(pread(fd, 5, 6), "world");
  EXPECT_EQ(seek(fd, 0, 0), 0);
  EXPECT_EQ(pread(fd, 100), "hello world");
  EXPECT_EQ(seek(fd, -5, 2), 6);
  EXPECT_EQ(seek(fd, -50, 1), -w::kINVAL);
  EXPECT_EQ(pread(fd, 100), "world");
  st = fstat(fd);
  EXPECT_EQ(st.size, 11);
  EXPECT_EQ(st.blocks, int64_t(kBlock / 512));
  EXPECT_EQ(st.ino, ino);
  St by_path;
  ASSERT_EQ(stat("/pglite/data/f", &by_path), 0);
  EXPECT_EQ(by_path.ino, ino);
  EXPECT_EQ(by_path.dev, st.dev);
  EXPECT_EQ(mem_->private_bytes(), kBlock);

  // mtime moves on write.
  uint32_t times = alloc(32);
  int64_t sec = 1000000000;
  std::memset(&buf_[times], 0, 32);
  std::memcpy(&buf_[times], &sec, 8);
  std::memcpy(&buf_[times + 16], &sec, 8);
  ASSERT_EQ(S(Z_envZ___syscall_utimensat(&env_, kAtFdcwd, str("/pglite/data/f"), times, 0)), 0);
  EXPECT_EQ(fstat(fd).mtime_sec, sec);
  EXPECT_EQ(write(fd, "!", 11), 1);
  EXPECT_GT(fstat(fd).mtime_sec, sec);

  EXPECT_EQ(ftruncate(fd, 4), 0);
  EXPECT_EQ(S(Z_envZ___syscall_fallocate(&env_, fd, 0, 0, 3 * kBlock)), 0);
  EXPECT_EQ(fstat(fd).size, int64_t(3 * kBlock));
  EXPECT_EQ(pread(fd, 8, 0), std::string("hell") + std::string(4, '\0'));
  EXPECT_EQ(S(Z_envZ___syscall_fallocate(&env_, fd, 1, 0, 10)), -w::kNOTSUP);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_sync(&wasi_, fd), 0u);
  EXPECT_EQ(S(Z_envZ___syscall_fdatasync(&env_, fd)), 0);
  EXPECT_EQ(close(fd), 0u);
  EXPECT_EQ(close(fd), uint32_t(w::kBADF));

  EXPECT_EQ(S(Z_envZ___syscall_truncate64(&env_, str("/pglite/data/f"), 3)), 0);
  ASSERT_EQ(stat("/pglite/data/f", &st), 0);
  EXPECT_EQ(st.size, 3);
  EXPECT_EQ(S(Z_envZ___syscall_truncate64(&env_, str("/pglite/data/base"), 3)), -w::kISDIR);
  EXPECT_EQ(S(Z_envZ___syscall_truncate64(&env_, str("/pglite/data/nope"), 3)), -w::kNOENT);
}

TEST_F(MemoryDirTest, OpenFlags) {
  const std::string f = "/pglite/data/f";
  EXPECT_EQ(open(f, g::kO_RDONLY), -w::kNOENT);
  int32_t fd = open(f, g::kO_CREAT | g::kO_WRONLY);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(write(fd, "abcdef"), 6);
  EXPECT_EQ(pread(fd, 1), "E" + std::to_string(w::kBADF));
  close(fd);
  EXPECT_EQ(open(f, g::kO_CREAT | g::kO_EXCL | g::kO_RDWR), -w::kEXIST);
  EXPECT_EQ(open(f, g::kO_RDONLY | g::kO_DIRECTORY), -w::kNOTDIR);
  EXPECT_EQ(open(f + "/", g::kO_RDONLY), -w::kNOTDIR);
  EXPECT_EQ(open(f + "/x", g::kO_RDONLY), -w::kNOTDIR);
  EXPECT_EQ(open(f + "/x", g::kO_CREAT | g::kO_RDWR), -w::kNOTDIR);
  EXPECT_EQ(open("/pglite/data/new/", g::kO_CREAT | g::kO_RDWR), -w::kISDIR);
  EXPECT_EQ(open("/pglite/data/nodir/x", g::kO_CREAT | g::kO_RDWR), -w::kNOENT);
  EXPECT_EQ(open(f, 3), -w::kINVAL);
  EXPECT_EQ(open("/pglite/data/base", g::kO_RDWR), -w::kISDIR);
  EXPECT_EQ(open("/pglite/data/base", g::kO_CREAT | g::kO_RDONLY), -w::kISDIR);
  EXPECT_EQ(open("/pglite/data/base", g::kO_CREAT | g::kO_EXCL | g::kO_RDONLY), -w::kEXIST);
  EXPECT_EQ(open("/pglite/data/base", g::kO_RDONLY | g::kO_TRUNC), -w::kISDIR);
  int32_t d = open("/pglite/data/base/", g::kO_RDONLY);
  EXPECT_GE(d, 3);
  EXPECT_EQ(pread(d, 4), "E" + std::to_string(w::kISDIR));
  close(d);

  fd = open(f, g::kO_RDWR | g::kO_APPEND);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(S(Z_envZ___syscall_fcntl64(&env_, fd, 3 /*F_GETFL*/, 0)), int32_t(g::kO_RDWR | g::kO_APPEND));
  EXPECT_EQ(write(fd, "gh"), 2);
  EXPECT_EQ(write(fd, "ij", 0), 2);  // pwrite on O_APPEND appends, as on Linux
  EXPECT_EQ(pread(fd, 100, 0), "abcdefghij");
  EXPECT_EQ(S(Z_envZ___syscall_fcntl64(&env_, fd, 4 /*F_SETFL*/, u32(0))), 0);
  EXPECT_EQ(write(fd, "AB", 0), 2);
  EXPECT_EQ(pread(fd, 100, 0), "ABcdefghij");
  uint32_t fdstat = alloc(24);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_fdstat_get(&wasi_, fd, fdstat), 0u);
  EXPECT_EQ(buf_[fdstat], g::kWasiFiletypeRegular);
  close(fd);

  fd = open(f, g::kO_WRONLY | g::kO_TRUNC);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(fstat(fd).size, 0);
  close(fd);
}

TEST_F(MemoryDirTest, CopyOnWriteIsolation) {
  auto other = std::make_shared<sh::MemoryDir>(image_);
  fs_.mount_memory_dir("/other", other);
  const std::string orig = pattern(3 * kBlock, 'a');

  int32_t fd = open("/pglite/data/base/1/1259", g::kO_RDWR);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(write(fd, std::string(kBlock, 'Z'), kBlock), int32_t(kBlock));
  EXPECT_EQ(mem_->private_bytes(), kBlock);  // one block copied, not the file
  EXPECT_EQ(write(fd, "q", kBlock + 5), 1);  // same block again: already private
  EXPECT_EQ(mem_->private_bytes(), kBlock);
  close(fd);

  // A 100-byte write in the middle of the 16 MB WAL segment copies one block.
  fd = open("/pglite/data/pg_wal/000000010000000000000001", g::kO_RDWR);
  EXPECT_EQ(write(fd, std::string(100, 'W'), 8 * 1024 * 1024 + 50), 100);
  EXPECT_EQ(mem_->private_bytes(), 2 * kBlock);
  EXPECT_EQ(pread(fd, 9, 0), "WALHEADER");
  close(fd);

  int32_t ofd = open("/other/base/1/1259", g::kO_RDONLY);
  EXPECT_EQ(pread(ofd, 3 * kBlock), orig);
  close(ofd);
  fd = open("/pglite/data/base/1/1259", g::kO_RDONLY);
  std::string mine = orig;
  mine.replace(kBlock, kBlock, std::string(kBlock, 'Z'));
  mine[kBlock + 5] = 'q';
  EXPECT_EQ(pread(fd, 3 * kBlock), mine);
  close(fd);
  const auto* img = find(image_->root(), "base/1/1259");
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>((*img->blocks)[1]->bytes.data()), kBlock),
            orig.substr(kBlock, kBlock));
  ofd = open("/other/pg_wal/000000010000000000000001", g::kO_RDONLY);
  EXPECT_EQ(pread(ofd, 100, 8 * 1024 * 1024 + 50), std::string(100, '\0'));
  close(ofd);

  // Namespace changes stay private too.
  EXPECT_EQ(unlink("/pglite/data/PG_VERSION"), 0);
  EXPECT_EQ(mkdir("/pglite/data/newdir"), 0);
  EXPECT_EQ(stat("/other/PG_VERSION"), 0);
  EXPECT_EQ(stat("/other/newdir"), -w::kNOENT);
  EXPECT_EQ(other->private_bytes(), 0u);
  // A MemoryDir made now still sees the pristine image.
  auto third = std::make_shared<sh::MemoryDir>(image_);
  fs_.mount_memory_dir("/third", third);
  EXPECT_EQ(stat("/third/PG_VERSION"), 0);

  // Dropping a tree returns nothing to the image and frees its blocks.
  fs_.mount_memory_dir("/pglite/data", std::make_shared<sh::MemoryDir>(image_));
  mem_.reset();
  fd = open("/pglite/data/base/1/1259", g::kO_RDONLY);
  EXPECT_EQ(pread(fd, 3 * kBlock), orig);
  close(fd);
}

TEST_F(MemoryDirTest, ZeroBlocksAreSparse) {
  St st;
  ASSERT_EQ(stat("/pglite/data/pg_wal/zeros", &st), 0);
  EXPECT_EQ(st.size, int64_t(kWalSize));
  EXPECT_EQ(st.blocks, 0);
  int32_t fd = open("/pglite/data/pg_wal/zeros", g::kO_RDWR);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(pread(fd, 100, 5 * 1024 * 1024), std::string(100, '\0'));
  // Zero-filling whole blocks (WAL segment initialisation) stores nothing.
  EXPECT_EQ(write(fd, std::string(4 * kBlock, '\0'), 0), int32_t(4 * kBlock));
  EXPECT_EQ(mem_->private_bytes(), 0u);
  EXPECT_EQ(fstat(fd).blocks, 0);
  // Growing is a hole.
  EXPECT_EQ(ftruncate(fd, uint64_t(1) << 30), 0);
  EXPECT_EQ(mem_->private_bytes(), 0u);
  EXPECT_EQ(pread(fd, 64, (uint64_t(1) << 30) - 32), std::string(32, '\0'));
  // One byte far out costs one block; the gap reads as zeros.
  EXPECT_EQ(write(fd, "x", 700 * 1024 * 1024 + 3), 1);
  EXPECT_EQ(mem_->private_bytes(), kBlock);
  EXPECT_EQ(fstat(fd).blocks, int64_t(kBlock / 512));
  EXPECT_EQ(pread(fd, 6, 700 * 1024 * 1024), std::string(3, '\0') + "x" + std::string(2, '\0'));
  // Overwriting that block with zeros frees it again.
  EXPECT_EQ(write(fd, std::string(kBlock, '\0'), 700 * 1024 * 1024), int32_t(kBlock));
  EXPECT_EQ(mem_->private_bytes(), 0u);
  // Shrinking frees blocks.
  EXPECT_EQ(write(fd, pattern(10 * kBlock, 'p'), 0), int32_t(10 * kBlock));
  EXPECT_EQ(mem_->private_bytes(), 10 * kBlock);
  EXPECT_EQ(ftruncate(fd, 2 * kBlock + 100), 0);
  EXPECT_EQ(mem_->private_bytes(), 3 * kBlock);
  // Shrink into a block then grow: the cut-off tail reads as zeros.
  EXPECT_EQ(ftruncate(fd, 2 * kBlock + 10), 0);
  EXPECT_EQ(ftruncate(fd, 4 * kBlock), 0);
  EXPECT_EQ(pread(fd, 20, 2 * kBlock),
            pattern(10 * kBlock, 'p').substr(2 * kBlock, 10) + std::string(10, '\0'));
  EXPECT_EQ(ftruncate(fd, 0), 0);
  EXPECT_EQ(mem_->private_bytes(), 0u);
  close(fd);

  // The same on a block still shared with the image: the image is untouched.
  fd = open("/pglite/data/base/1/1259", g::kO_RDWR);
  EXPECT_EQ(ftruncate(fd, 10), 0);
  EXPECT_EQ(ftruncate(fd, kBlock), 0);
  EXPECT_EQ(pread(fd, 20, 0), pattern(10, 'a') + std::string(10, '\0'));
  EXPECT_EQ(mem_->private_bytes(), kBlock);
  const auto* img = find(image_->root(), "base/1/1259");
  EXPECT_EQ((*img->blocks)[0]->bytes[15], static_cast<uint8_t>(pattern(16, 'a')[15]));
  close(fd);
}

TEST_F(MemoryDirTest, UnlinkWhileOpen) {
  int32_t fd = open("/pglite/data/t", g::kO_CREAT | g::kO_RDWR);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(write(fd, pattern(2 * kBlock, 't')), int32_t(2 * kBlock));
  EXPECT_EQ(unlink("/pglite/data/t"), 0);
  EXPECT_EQ(stat("/pglite/data/t"), -w::kNOENT);
  EXPECT_EQ(unlink("/pglite/data/t"), -w::kNOENT);
  EXPECT_EQ(write(fd, "more"), 4);
  EXPECT_EQ(pread(fd, 4, 2 * kBlock), "more");
  St st = fstat(fd);
  EXPECT_EQ(st.nlink, 0u);
  EXPECT_EQ(st.size, int64_t(2 * kBlock + 4));
  EXPECT_EQ(mem_->private_bytes(), 3 * kBlock);
  // A new file of the same name is a different file.
  int32_t fd2 = open("/pglite/data/t", g::kO_CREAT | g::kO_RDWR | g::kO_EXCL);
  ASSERT_GE(fd2, 3);
  EXPECT_NE(fstat(fd2).ino, st.ino);
  EXPECT_EQ(pread(fd2, 10, 0), "");
  close(fd2);
  close(fd);
  EXPECT_EQ(mem_->private_bytes(), 0u);

  // Unlinking an image file while open: still readable, then gone.
  fd = open("/pglite/data/global/pg_control", g::kO_RDONLY);
  EXPECT_EQ(unlink("/pglite/data/global/pg_control"), 0);
  EXPECT_EQ(pread(fd, 4, 0), pattern(4, 'c'));
  close(fd);
  EXPECT_EQ(list("/pglite/data/global"), (std::set<std::string>{".", ".."}));
}

TEST_F(MemoryDirTest, RenameCases) {
  auto make = [&](const std::string& p, const std::string& data) {
    int32_t fd = open(p, g::kO_CREAT | g::kO_WRONLY | g::kO_TRUNC);
    ASSERT_GE(fd, 3) << p;
    EXPECT_EQ(write(fd, data), int32_t(data.size()));
    close(fd);
  };
  auto slurp = [&](const std::string& p) {
    int32_t fd = open(p, g::kO_RDONLY);
    std::string s = fd < 0 ? "E" : pread(fd, 1000);
    close(fd);
    return s;
  };
  make("/pglite/data/a", "AAA");
  make("/pglite/data/b", "BBB");
  // File over file; an fd on the replaced file keeps its contents.
  int32_t old_b = open("/pglite/data/b", g::kO_RDONLY);
  EXPECT_EQ(rename("/pglite/data/a", "/pglite/data/b"), 0);
  EXPECT_EQ(slurp("/pglite/data/b"), "AAA");
  EXPECT_EQ(stat("/pglite/data/a"), -w::kNOENT);
  EXPECT_EQ(pread(old_b, 10, 0), "BBB");
  EXPECT_EQ(fstat(old_b).nlink, 0u);
  close(old_b);
  EXPECT_EQ(rename("/pglite/data/b", "/pglite/data/b"), 0);
  EXPECT_EQ(rename("/pglite/data/missing", "/pglite/data/x"), -w::kNOENT);
  EXPECT_EQ(rename("/pglite/data/b", "/pglite/data/nodir/x"), -w::kNOENT);
  EXPECT_EQ(rename("/pglite/data/b", "/pglite/data/b/x"), -w::kNOTDIR);
  EXPECT_EQ(rename("/pglite/data/b", "/pglite/data/c/"), -w::kNOTDIR);

  // Directory to a new name, with its contents; an open fd follows it.
  ASSERT_EQ(mkdir("/pglite/data/d"), 0);
  make("/pglite/data/d/f", "F");
  int32_t in_d = open("/pglite/data/d/f", g::kO_RDWR);
  EXPECT_EQ(rename("/pglite/data/d", "/pglite/data/e"), 0);
  EXPECT_EQ(write(in_d, "G", 1), 1);
  close(in_d);
  EXPECT_EQ(slurp("/pglite/data/e/f"), "FG");
  EXPECT_EQ(stat("/pglite/data/d"), -w::kNOENT);
  // Directory over an empty directory, not over a non-empty one.
  ASSERT_EQ(mkdir("/pglite/data/empty"), 0);
  ASSERT_EQ(mkdir("/pglite/data/full"), 0);
  make("/pglite/data/full/x", "x");
  EXPECT_EQ(rename("/pglite/data/e", "/pglite/data/full"), -w::kNOTEMPTY);
  EXPECT_EQ(rename("/pglite/data/e", "/pglite/data/empty/"), 0);
  EXPECT_EQ(slurp("/pglite/data/empty/f"), "FG");
  // Type mismatches and cycles.
  EXPECT_EQ(rename("/pglite/data/b", "/pglite/data/empty"), -w::kISDIR);
  EXPECT_EQ(rename("/pglite/data/empty", "/pglite/data/b"), -w::kNOTDIR);
  EXPECT_EQ(rename("/pglite/data/empty", "/pglite/data/empty/sub"), -w::kINVAL);
  EXPECT_EQ(rename("/pglite/data/empty/f", "/pglite/data/empty"), -w::kNOTEMPTY);
  EXPECT_EQ(rename("/pglite/data", "/pglite/data/x"), -w::kBUSY);
  // Across mounts.
  auto other = std::make_shared<sh::MemoryDir>();
  fs_.mount_memory_dir("/other", other);
  EXPECT_EQ(rename("/pglite/data/b", "/host/b"), -w::kXDEV);
  EXPECT_EQ(rename("/pglite/data/b", "/other/b"), -w::kXDEV);
  EXPECT_EQ(rename("/pglite/data/b", "/etc/b"), -w::kXDEV);
  EXPECT_EQ(rename("/other", "/pglite/data/o"), -w::kXDEV);
  EXPECT_EQ(slurp("/pglite/data/b"), "AAA");
  // Relative to directory fds.
  int32_t dfd = open("/pglite/data/empty", g::kO_RDONLY | g::kO_DIRECTORY);
  EXPECT_EQ(S(Z_envZ___syscall_renameat(&env_, dfd, str("f"), dfd, str("g"))), 0);
  EXPECT_EQ(slurp("/pglite/data/empty/g"), "FG");
  close(dfd);
}

TEST_F(MemoryDirTest, DirectoriesMkdirRmdirUnlink) {
  EXPECT_EQ(mkdir("/pglite/data/d"), 0);
  EXPECT_EQ(mkdir("/pglite/data/d"), -w::kEXIST);
  EXPECT_EQ(mkdir("/pglite/data/PG_VERSION"), -w::kEXIST);
  EXPECT_EQ(mkdir("/pglite/data"), -w::kEXIST);
  EXPECT_EQ(mkdir("/pglite/data/x/y"), -w::kNOENT);
  EXPECT_EQ(mkdir("/pglite/data/PG_VERSION/y"), -w::kNOTDIR);
  EXPECT_EQ(mkdir("/pglite/data/d/sub/"), 0);
  St st;
  ASSERT_EQ(stat("/pglite/data/d", &st), 0);
  EXPECT_EQ(st.mode, g::kS_IFDIR | 0700);
  EXPECT_EQ(st.nlink, 3u);
  EXPECT_EQ(stat("/pglite/data/PG_VERSION/"), -w::kNOTDIR);
  EXPECT_EQ(stat("/pglite/data/d/"), 0);
  EXPECT_EQ(rmdir("/pglite/data/d"), -w::kNOTEMPTY);
  EXPECT_EQ(rmdir("/pglite/data/PG_VERSION"), -w::kNOTDIR);
  EXPECT_EQ(unlink("/pglite/data/d"), -w::kISDIR);
  EXPECT_EQ(unlink("/pglite/data/PG_VERSION/"), -w::kNOTDIR);
  EXPECT_EQ(rmdir("/pglite/data"), -w::kBUSY);
  EXPECT_EQ(rmdir("/pglite/data/nope"), -w::kNOENT);
  // An open directory that is removed lists nothing new and stats nlink 0.
  int32_t dfd = open("/pglite/data/d/sub", g::kO_RDONLY | g::kO_DIRECTORY);
  EXPECT_EQ(rmdir("/pglite/data/d/sub/"), 0);
  EXPECT_EQ(fstat(dfd).nlink, 0u);
  close(dfd);
  EXPECT_EQ(rmdir("/pglite/data/d"), 0);
  EXPECT_EQ(stat("/pglite/data/d"), -w::kNOENT);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_sync(&wasi_, open("/pglite/data/base", g::kO_RDONLY)), 0u);
}

TEST_F(MemoryDirTest, GetdentsListing) {
  ASSERT_EQ(mkdir("/pglite/data/many"), 0);
  std::set<std::string> want{".", ".."};
  for (int i = 0; i < 40; ++i) {
    std::string name = "file" + std::to_string(i);
    close(open("/pglite/data/many/" + name, g::kO_CREAT | g::kO_WRONLY));
    want.insert(name);
  }
  ASSERT_EQ(mkdir("/pglite/data/many/sub"), 0);
  want.insert("sub");
  int32_t dfd = open("/pglite/data/many", g::kO_RDONLY | g::kO_DIRECTORY);
  ASSERT_GE(dfd, 3);
  auto entries = list_fd(dfd);
  std::set<std::string> got;
  for (const auto& [name, type] : entries) {
    got.insert(name);
    bool dir = name == "." || name == ".." || name == "sub";
    EXPECT_EQ(type, dir ? g::kDT_DIR : g::kDT_REG) << name;
  }
  EXPECT_EQ(got, want);
  // d_ino matches st_ino.
  uint32_t buf = alloc(g::kDirentSize);
  EXPECT_EQ(seek(dfd, 0, 0), 0);
  EXPECT_EQ(S(Z_envZ___syscall_getdents64(&env_, dfd, buf, g::kDirentSize)), int32_t(g::kDirentSize));
  EXPECT_STREQ(reinterpret_cast<char*>(&buf_[buf + 19]), ".");
  EXPECT_EQ(at<uint64_t>(buf), fstat(dfd).ino);
  // rewinddir() takes a fresh snapshot; entries added meanwhile show up.
  close(open("/pglite/data/many/late", g::kO_CREAT | g::kO_WRONLY));
  EXPECT_EQ(seek(dfd, 0, 0), 0);
  EXPECT_EQ(list_fd(dfd).count("late"), 1u);
  // Relative lookups against the directory fd.
  uint32_t st = alloc(g::kStatSize);
  EXPECT_EQ(S(Z_envZ___syscall_newfstatat(&env_, dfd, str("file3"), st, 0)), 0);
  EXPECT_EQ(at<uint32_t>(st + 4), g::kS_IFREG | 0600);
  EXPECT_EQ(S(Z_envZ___syscall_newfstatat(&env_, dfd, str(""), st, g::kAtEmptyPath)), 0);
  EXPECT_EQ(at<uint32_t>(st + 4), g::kS_IFDIR | 0700);
  int32_t f = openat(dfd, "sub/../file4", g::kO_RDONLY);
  EXPECT_GE(f, 3);
  close(f);
  EXPECT_EQ(Z_wasi_snapshot_preview1Z_fd_sync(&wasi_, dfd), 0u);  // Postgres fsyncs directories
  close(dfd);
}

TEST_F(MemoryDirTest, LimitGivesEnospc) {
  mem_->set_limit_bytes(4 * kBlock);
  EXPECT_EQ(mem_->limit_bytes(), 4 * kBlock);
  uint32_t sfs = alloc(64);
  ASSERT_EQ(S(Z_envZ___syscall_statfs64(&env_, str("/pglite/data"), 64, sfs)), 0);
  EXPECT_EQ(at<uint32_t>(sfs + 4), 4096u);                         // f_bsize
  EXPECT_EQ(at<uint32_t>(sfs + 8), uint32_t(4 * kBlock / 4096));   // f_blocks
  EXPECT_EQ(at<uint32_t>(sfs + 16), uint32_t(4 * kBlock / 4096));  // f_bavail

  int32_t fd = open("/pglite/data/big", g::kO_CREAT | g::kO_RDWR);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(write(fd, pattern(3 * kBlock, 'x')), int32_t(3 * kBlock));
  // Nothing is written when the new blocks do not fit.
  EXPECT_EQ(write(fd, pattern(2 * kBlock, 'y')), -w::kNOSPC);
  EXPECT_EQ(fstat(fd).size, int64_t(3 * kBlock));
  EXPECT_EQ(S(Z_envZ___syscall_fallocate(&env_, fd, 0, 3 * kBlock, 2 * kBlock)), -w::kNOSPC);
  EXPECT_EQ(S(Z_envZ___syscall_fallocate(&env_, fd, 0, 3 * kBlock, kBlock)), 0);
  EXPECT_EQ(write(fd, pattern(kBlock, 'y')), int32_t(kBlock));
  EXPECT_EQ(mem_->private_bytes(), 4 * kBlock);
  ASSERT_EQ(S(Z_envZ___syscall_statfs64(&env_, str("/pglite/data"), 64, sfs)), 0);
  EXPECT_EQ(at<uint32_t>(sfs + 16), 0u);
  // Full: rewriting private blocks and writing zeros still work; copying
  // an image block or extending does not.
  EXPECT_EQ(write(fd, "rewrite", 5), 7);
  EXPECT_EQ(write(fd, std::string(kBlock, '\0'), 5 * kBlock), int32_t(kBlock));
  EXPECT_EQ(write(fd, "x"), -w::kNOSPC);
  int32_t img = open("/pglite/data/PG_VERSION", g::kO_WRONLY);
  EXPECT_EQ(write(img, "18\n"), -w::kNOSPC);
  EXPECT_EQ(write(open("/pglite/data/new", g::kO_CREAT | g::kO_WRONLY), "x"), -w::kNOSPC);
  // Unlinking an open file frees its blocks only when the last fd closes.
  EXPECT_EQ(unlink("/pglite/data/big"), 0);
  EXPECT_EQ(write(img, "18\n"), -w::kNOSPC);
  close(fd);
  EXPECT_EQ(mem_->private_bytes(), 0u);
  EXPECT_EQ(write(img, "18\n"), 3);
  mem_->set_limit_bytes(0);
  EXPECT_EQ(write(img, pattern(100 * kBlock, 'u')), int32_t(100 * kBlock));
}

TEST_F(MemoryDirTest, StatfsUtimensAccessChmod) {
  uint32_t sfs = alloc(64);
  EXPECT_EQ(S(Z_envZ___syscall_statfs64(&env_, str("/pglite/data/base"), 64, sfs)), 0);
  EXPECT_EQ(at<uint32_t>(sfs + 4), 4096u);
  EXPECT_GT(at<uint32_t>(sfs + 16), 1000000u);  // f_bavail: plenty
  EXPECT_EQ(at<uint32_t>(sfs + 36), 255u);
  EXPECT_EQ(at<uint32_t>(sfs + 44), 0u);  // not read-only
  EXPECT_EQ(S(Z_envZ___syscall_statfs64(&env_, str("/pglite/data/nope"), 64, sfs)), -w::kNOENT);

  const std::string f = "/pglite/data/PG_VERSION";
  uint32_t times = alloc(32);
  int64_t a = 1000000000, m = 1100000000;
  std::memset(&buf_[times], 0, 32);
  std::memcpy(&buf_[times], &a, 8);
  std::memcpy(&buf_[times + 16], &m, 8);
  EXPECT_EQ(S(Z_envZ___syscall_utimensat(&env_, kAtFdcwd, str(f), times, 0)), 0);
  St st;
  ASSERT_EQ(stat(f, &st), 0);
  EXPECT_EQ(st.mtime_sec, m);
  uint32_t omit = UTIME_OMIT;
  std::memcpy(&buf_[times + 24], &omit, 4);  // keep mtime, set atime
  EXPECT_EQ(S(Z_envZ___syscall_utimensat(&env_, kAtFdcwd, str(f), times, 0)), 0);
  ASSERT_EQ(stat(f, &st), 0);
  EXPECT_EQ(st.mtime_sec, m);
  uint32_t bad = 2000000000;
  std::memcpy(&buf_[times + 8], &bad, 4);
  EXPECT_EQ(S(Z_envZ___syscall_utimensat(&env_, kAtFdcwd, str(f), times, 0)), -w::kINVAL);
  int32_t fd = open(f, g::kO_RDONLY);
  EXPECT_EQ(S(Z_envZ___syscall_utimensat(&env_, fd, 0, 0, 0)), 0);  // futimens(fd, NULL)
  EXPECT_GT(fstat(fd).mtime_sec, m);
  EXPECT_EQ(S(Z_envZ___syscall_utimensat(&env_, kAtFdcwd, str("/pglite/data/nope"), 0, 0)), -w::kNOENT);

  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str(f), 0, 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str(f), 6, 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str(f), 1, 0)), -w::kACCES);
  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str("/pglite/data/base"), 7, 0)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_faccessat(&env_, kAtFdcwd, str("/pglite/data/zz"), 0, 0)), -w::kNOENT);

  EXPECT_EQ(S(Z_envZ___syscall_chmod(&env_, str(f), 0640)), 0);
  ASSERT_EQ(stat(f, &st), 0);
  EXPECT_EQ(st.mode, g::kS_IFREG | 0600);  // group/other bits never shown, as for host mounts
  EXPECT_EQ(S(Z_envZ___syscall_chmod(&env_, str(f), 0400)), 0);
  ASSERT_EQ(stat(f, &st), 0);
  EXPECT_EQ(st.mode, g::kS_IFREG | 0400);
  EXPECT_EQ(S(Z_envZ___syscall_fchmod(&env_, fd, 0600)), 0);
  EXPECT_EQ(fstat(fd).mode, g::kS_IFREG | 0600);
  EXPECT_EQ(S(Z_envZ___syscall_chmod(&env_, str("/pglite/data"), 0700)), 0);
  EXPECT_EQ(S(Z_envZ___syscall_fchownat(&env_, kAtFdcwd, str(f), 0, 0, 0)), 0);
  close(fd);
}

TEST_F(MemoryDirTest, PathsStayInsideTheMount) {
  // ".." is resolved lexically before the mount sees the path.
  EXPECT_EQ(open("/pglite/data/../../../../etc/passwd", g::kO_RDONLY), -w::kNOENT);
  EXPECT_EQ(open("/pglite/data/base/../../data/PG_VERSION", g::kO_RDONLY) >= 3, true);
  EXPECT_EQ(S(Z_envZ___syscall_chdir(&env_, str("/pglite/data/base"))), 0);
  int32_t fd = open("../PG_VERSION", g::kO_RDONLY);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(pread(fd, 3), "17\n");
  EXPECT_EQ(open("../../../etc/passwd", g::kO_RDONLY), -w::kNOENT);
  EXPECT_EQ(open("newfile", g::kO_CREAT | g::kO_WRONLY) >= 3, true);
  EXPECT_EQ(stat("/pglite/data/base/newfile"), 0);
  // Nothing reached the host.
  EXPECT_TRUE(std::filesystem::is_empty(root_));
  EXPECT_EQ(S(Z_envZ___syscall_symlinkat(&env_, str("/etc"), kAtFdcwd, str("/pglite/data/l"))), -w::kPERM);
  EXPECT_EQ(S(Z_envZ___syscall_readlinkat(&env_, kAtFdcwd, str("/pglite/data/PG_VERSION"), alloc(64), 64)),
            -w::kINVAL);
}

TEST_F(MemoryDirTest, MountValidation) {
  EXPECT_THROW(fs_.mount_memory_dir("relative", std::make_shared<sh::MemoryDir>()), std::invalid_argument);
  EXPECT_THROW(fs_.mount_memory_dir("/x", nullptr), std::invalid_argument);
  // Remounting a prefix replaces what was there, host or memory.
  fs_.mount_memory_dir("/host", std::make_shared<sh::MemoryDir>());
  EXPECT_EQ(list("/host"), (std::set<std::string>{".", ".."}));
  int32_t fd = open("/host/f", g::kO_CREAT | g::kO_WRONLY);
  EXPECT_GE(fd, 3);
  EXPECT_TRUE(std::filesystem::is_empty(root_));
  St st;
  ASSERT_EQ(stat("/host", &st), 0);
  EXPECT_EQ(st.mode, g::kS_IFDIR | 0700);
}

TEST(MemoryDirPerfTest, CreatingFromATemplateIsCheap) {
  // Roughly the shape of a fresh PGDATA: ~1000 files, mostly one to a few
  // blocks, plus a 16 MB WAL segment.
  sh::MemoryImageBuilder b;
  for (int i = 0; i < 1000; ++i) {
    b.add_file("base/" + std::to_string(i % 4) + "/" + std::to_string(10000 + i), 0600,
               pattern(kBlock * (1 + i % 3), static_cast<char>(i)));
  }
  std::string wal(kWalSize, '\0');
  wal[0] = 1;
  b.add_file("pg_wal/000000010000000000000001", 0600, wal);
  auto img = b.finish();
  constexpr int kDirs = 200;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<sh::MemoryDir>> dirs;
  for (int i = 0; i < kDirs; ++i) dirs.push_back(std::make_shared<sh::MemoryDir>(img));
  auto per_dir = (std::chrono::steady_clock::now() - t0) / kDirs;
  std::printf("MemoryDir from a %zu-node image: %.1f us\n", img->node_count(),
              std::chrono::duration<double, std::micro>(per_dir).count());
  EXPECT_LT(per_dir, std::chrono::milliseconds(5));  // generous: ~0.1-0.3 ms expected
  for (const auto& d : dirs) EXPECT_EQ(d->private_bytes(), 0u);
}

// Runs one random sequence of operations against a memory mount and a host
// mount and requires identical results and identical final trees.
class DifferentialTest : public ::testing::TestWithParam<uint32_t> {
 protected:
  static constexpr int32_t kAt = g::kAtFdcwd;

  void SetUp() override {
    char tmpl[] = "/tmp/memory_dir_diff_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    fs_.mount_memory_dir("/m", std::make_shared<sh::MemoryDir>());
    fs_.mount_host_dir("/h", root_.string());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // Reads a whole file by fd through the FileSystem.
  std::string contents(int fd) {
    std::string out;
    std::vector<char> buf(1 << 16);
    for (uint64_t off = 0;; off += buf.size()) {
      int64_t n = fs_.pread_fd(fd, buf.data(), buf.size(), off);
      EXPECT_GE(n, 0);
      if (n <= 0) break;
      out.append(buf.data(), static_cast<size_t>(n));
    }
    return out;
  }
  // Names in directory `dir`; 0 or -errno.
  int list(const std::string& dir, std::set<std::string>* out) {
    int dfd = fs_.open(kAt, dir, g::kO_RDONLY | g::kO_DIRECTORY, 0);
    if (dfd < 0) return dfd;
    std::vector<sh::DirEntry> batch;
    while (fs_.read_dir(dfd, 5, &batch) == 0 && !batch.empty()) {
      for (const sh::DirEntry& e : batch) out->insert(e.name);
    }
    fs_.close(dfd);
    return 0;
  }
  // "name/" for directories, "name=<contents>" for files, recursively.
  void dump(const std::string& dir, const std::string& rel, std::map<std::string, std::string>* out) {
    int dfd = fs_.open(kAt, dir, g::kO_RDONLY | g::kO_DIRECTORY, 0);
    ASSERT_GE(dfd, 0) << dir;
    std::vector<sh::DirEntry> entries, batch;
    while (fs_.read_dir(dfd, 16, &batch) == 0 && !batch.empty())
      entries.insert(entries.end(), batch.begin(), batch.end());
    fs_.close(dfd);
    for (const sh::DirEntry& e : entries) {
      if (e.name == "." || e.name == "..") continue;
      std::string p = dir + "/" + e.name, r = rel + e.name;
      if (e.type == g::kDT_DIR) {
        (*out)[r + "/"] = "";
        dump(p, r + "/", out);
      } else {
        int fd = fs_.open(kAt, p, g::kO_RDONLY, 0);
        ASSERT_GE(fd, 0) << p;
        (*out)[r] = contents(fd);
        fs_.close(fd);
      }
    }
  }

  std::filesystem::path root_;
  sh::FileSystem fs_;
};

TEST_P(DifferentialTest, MatchesHostMount) {
  std::mt19937 rng(GetParam());
  auto pick = [&](size_t n) {
    return static_cast<size_t>(std::uniform_int_distribution<size_t>(0, n - 1)(rng));
  };
  auto num = [&](uint64_t lo, uint64_t hi) { return std::uniform_int_distribution<uint64_t>(lo, hi)(rng); };
  const std::vector<std::string> names = {"a", "b", "c", "d", "e", "d/x", "d/y", "e/z", "d/f/g", "d/f"};
  const std::vector<uint32_t> open_flags = {
      g::kO_RDWR,
      g::kO_RDWR | g::kO_CREAT,
      g::kO_RDWR | g::kO_CREAT | g::kO_EXCL,
      g::kO_RDWR | g::kO_CREAT | g::kO_TRUNC,
      g::kO_RDONLY,
      g::kO_RDONLY | g::kO_TRUNC,
      g::kO_WRONLY | g::kO_CREAT | g::kO_APPEND,
      g::kO_RDWR | g::kO_APPEND,
      g::kO_RDONLY | g::kO_DIRECTORY,
      g::kO_WRONLY | g::kO_CREAT,
  };
  struct Pair {
    int m, h;
  };
  std::vector<Pair> fds;
  ASSERT_EQ(fs_.mkdir(kAt, "/m/d", 0700), 0);
  ASSERT_EQ(fs_.mkdir(kAt, "/h/d", 0700), 0);
  auto random_data = [&](size_t n) {
    std::string s(n, '\0');
    if (num(0, 3) != 0) {  // a quarter of the writes are zeros
      for (char& c : s) c = static_cast<char>(num(1, 255));
    }
    return s;
  };
  std::vector<char> bm(70000), bh(70000);

  constexpr int kOps = 3000;
  for (int step = 0; step < kOps; ++step) {
    int op = static_cast<int>(num(0, 15));
    std::string n1 = names[pick(names.size())], n2 = names[pick(names.size())];
    std::string m1 = "/m/" + n1, h1 = "/h/" + n1, m2 = "/m/" + n2, h2 = "/h/" + n2;
    // The host mount drops trailing slashes for unlink and rename, so only
    // lookups (open, stat, mkdir) get them.
    std::string slash = num(0, 4) == 0 ? "/" : "";
    Pair p = fds.empty() ? Pair{-1, -1} : fds[pick(fds.size())];
    if (std::getenv("MEMORY_DIR_TEST_TRACE") != nullptr) {
      std::printf("step %d op %d %s %s fd %d\n", step, op, n1.c_str(), n2.c_str(), p.m);
    }
    SCOPED_TRACE("seed " + std::to_string(GetParam()) + " step " + std::to_string(step) + " op " +
                 std::to_string(op) + " " + n1 + " " + n2);
    switch (op) {
      case 0:
      case 1: {
        uint32_t fl = open_flags[pick(open_flags.size())];
        int a = fs_.open(kAt, m1 + slash, fl, 0600), b = fs_.open(kAt, h1 + slash, fl, 0600);
        ASSERT_EQ(a < 0 ? a : 0, b < 0 ? b : 0) << "open flags " << fl;
        if (a >= 0) fds.push_back({a, b});
        break;
      }
      case 2:
        if (!fds.empty() && num(0, 2) == 0) {
          size_t i = pick(fds.size());
          ASSERT_EQ(fs_.close(fds[i].m), 0);
          ASSERT_EQ(fs_.close(fds[i].h), 0);
          fds.erase(fds.begin() + static_cast<ptrdiff_t>(i));
        }
        break;
      case 3:
      case 4: {
        std::string d = random_data(num(0, 20000));
        uint64_t off = num(0, 50000);
        ASSERT_EQ(fs_.pwrite_fd(p.m, d.data(), d.size(), off), fs_.pwrite_fd(p.h, d.data(), d.size(), off));
        break;
      }
      case 5: {
        size_t len = num(0, 20000);
        uint64_t off = num(0, 70000);
        int64_t a = fs_.pread_fd(p.m, bm.data(), len, off), b = fs_.pread_fd(p.h, bh.data(), len, off);
        ASSERT_EQ(a, b);
        if (a > 0) {
          ASSERT_EQ(std::memcmp(bm.data(), bh.data(), static_cast<size_t>(a)), 0);
        }
        break;
      }
      case 6: {
        std::string d = random_data(num(0, 10000));
        ASSERT_EQ(fs_.write(p.m, d.data(), d.size()), fs_.write(p.h, d.data(), d.size()));
        break;
      }
      case 7: {
        size_t len = num(0, 20000);
        int64_t a = fs_.read(p.m, bm.data(), len), b = fs_.read(p.h, bh.data(), len);
        ASSERT_EQ(a, b);
        if (a > 0) {
          ASSERT_EQ(std::memcmp(bm.data(), bh.data(), static_cast<size_t>(a)), 0);
        }
        break;
      }
      case 8: {
        int whence = static_cast<int>(num(0, 2));
        int64_t off = static_cast<int64_t>(num(0, 30000)) - (whence == 0 ? 0 : 10000);
        if (whence == 0 || num(0, 1) == 0) off = off / g::kDirentSize * g::kDirentSize;
        ASSERT_EQ(fs_.seek(p.m, off, whence), fs_.seek(p.h, off, whence));
        break;
      }
      case 9: {
        uint64_t len = num(0, 60000);
        ASSERT_EQ(fs_.ftruncate(p.m, len), fs_.ftruncate(p.h, len));
        break;
      }
      case 10:
        ASSERT_EQ(fs_.rename(kAt, m1, kAt, m2), fs_.rename(kAt, h1, kAt, h2));
        break;
      case 11: {
        uint32_t fl = num(0, 2) == 0 ? g::kAtRemoveDir : 0;
        ASSERT_EQ(fs_.unlink(kAt, m1, fl), fs_.unlink(kAt, h1, fl));
        break;
      }
      case 12:
        ASSERT_EQ(fs_.mkdir(kAt, m1 + slash, 0700), fs_.mkdir(kAt, h1 + slash, 0700));
        break;
      case 13: {
        sh::FileStat a, b;
        bool by_path = p.m < 0 || num(0, 1) == 0;
        int ra = by_path ? fs_.stat(kAt, m1 + slash, 0, &a) : fs_.fstat(p.m, &a);
        int rb = by_path ? fs_.stat(kAt, h1 + slash, 0, &b) : fs_.fstat(p.h, &b);
        ASSERT_EQ(ra, rb);
        if (ra == 0) {
          ASSERT_EQ(a.mode, b.mode);
          ASSERT_EQ(a.nlink, b.nlink);
          if ((a.mode & g::kS_IFMT) == g::kS_IFREG) {
            ASSERT_EQ(a.size, b.size);
          }
        }
        break;
      }
      case 14: {
        uint64_t off = num(0, 40000), len = num(1, 40000);
        ASSERT_EQ(fs_.fallocate(p.m, off, len), fs_.fallocate(p.h, off, len));
        break;
      }
      case 15: {
        std::set<std::string> a, b;
        ASSERT_EQ(list(m1, &a), list(h1, &b));
        ASSERT_EQ(a, b);
        break;
      }
    }
  }
  for (const Pair& p : fds) {
    sh::FileStat a, b;
    ASSERT_EQ(fs_.fstat(p.m, &a), 0);
    ASSERT_EQ(fs_.fstat(p.h, &b), 0);
    EXPECT_EQ(a.nlink, b.nlink);
    bool readable = (fs_.get_status_flags(p.m) & g::kO_ACCMODE) != g::kO_WRONLY;
    if ((a.mode & g::kS_IFMT) == g::kS_IFREG && readable) {
      EXPECT_EQ(contents(p.m), contents(p.h));
    }
    fs_.close(p.m);
    fs_.close(p.h);
  }
  std::map<std::string, std::string> tm, th;
  dump("/m", "", &tm);
  dump("/h", "", &th);
  EXPECT_EQ(tm.size(), th.size());
  for (const auto& [k, v] : th) {
    auto it = tm.find(k);
    ASSERT_NE(it, tm.end()) << k;
    EXPECT_EQ(it->second.size(), v.size()) << k;
    EXPECT_TRUE(it->second == v) << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, DifferentialTest, ::testing::Range(1u, 13u));

}  // namespace
