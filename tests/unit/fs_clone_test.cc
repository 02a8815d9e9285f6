// FileSystem::clone: the copy's in-memory trees and open fds are its own
// (writes on either side are never seen by the other), shared descriptions
// stay shared, files unlinked while open and in-process pipes come along,
// and a host file open makes the process uncopyable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "fs/file_system.h"
#include "fs/memory_dir.h"

namespace sh = pglite::shim;
namespace g = pglite::shim::guest;

namespace {

class FsCloneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::make_shared<sh::MemoryDir>();
    fs_.mount_memory_dir("/data", dir_);
  }
  static int open(sh::FileSystem& fs, const char* path, uint32_t flags = g::kO_RDWR | g::kO_CREAT) {
    return fs.open(g::kAtFdcwd, path, flags, 0600);
  }
  static std::string read_at(sh::FileSystem& fs, int fd, size_t n, uint64_t off) {
    std::string s(n, '\0');
    int64_t r = fs.pread_fd(fd, s.data(), n, off);
    s.resize(r > 0 ? static_cast<size_t>(r) : 0);
    return s;
  }
  static void write(sh::FileSystem& fs, int fd, const std::string& s) {
    ASSERT_EQ(fs.write(fd, s.data(), s.size()), static_cast<int64_t>(s.size()));
  }

  std::shared_ptr<sh::MemoryDir> dir_;
  sh::FileSystem fs_;
};

TEST_F(FsCloneTest, WritesStayOnTheirSide) {
  int fd = open(fs_, "/data/f");
  std::string big(100 * 1024, 'a');  // several 8 KiB blocks
  write(fs_, fd, big);
  sh::FsClone c;
  std::unique_ptr<sh::FileSystem> copy = fs_.clone(&c);
  ASSERT_NE(copy, nullptr);
  ASSERT_EQ(c.dirs.count(dir_.get()), 1u);
  // Same fd, same offset (at the end), in the copy.
  write(*copy, fd, "COPY");
  write(fs_, fd, "ORIG");
  EXPECT_EQ(read_at(*copy, fd, 4, big.size()), "COPY");
  EXPECT_EQ(read_at(fs_, fd, 4, big.size()), "ORIG");
  ASSERT_EQ(copy->pwrite_fd(fd, "x", 1, 5), 1);
  EXPECT_EQ(read_at(fs_, fd, 1, 5), "a");
  EXPECT_EQ(read_at(*copy, fd, 1, 5), "x");
  // New files and unlinks are private too.
  ASSERT_GE(open(*copy, "/data/only-in-copy"), 0);
  sh::FileStat st;
  EXPECT_LT(fs_.stat(g::kAtFdcwd, "/data/only-in-copy", 0, &st), 0);
  ASSERT_EQ(fs_.unlink(g::kAtFdcwd, "/data/f", 0), 0);
  EXPECT_EQ(copy->stat(g::kAtFdcwd, "/data/f", 0, &st), 0);
  // The copy's tree accounts only what it wrote itself.
  EXPECT_EQ(c.dirs[dir_.get()]->private_bytes(), 2u * sh::kMemoryBlockSize);
}

TEST_F(FsCloneTest, DescriptionsAndOrphansComeAlong) {
  int fd = open(fs_, "/data/gone");
  write(fs_, fd, "still here");
  ASSERT_EQ(fs_.unlink(g::kAtFdcwd, "/data/gone", 0), 0);  // open but unlinked
  int dup = fs_.dup(fd);
  ASSERT_GE(dup, 0);
  int pipe[2];
  ASSERT_EQ(fs_.pipe(pipe), 0);
  ASSERT_EQ(fs_.write(pipe[1], "ping", 4), 4);
  sh::FsClone c;
  std::unique_ptr<sh::FileSystem> copy = fs_.clone(&c);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(read_at(*copy, fd, 10, 0), "still here");
  ASSERT_EQ(copy->seek(fd, 2, 0), 2);  // dup()ed fds share the offset in the copy too
  EXPECT_EQ(copy->seek(dup, 0, 1), 2);
  EXPECT_EQ(fs_.seek(dup, 0, 1), 10);
  char buf[8] = {};
  ASSERT_EQ(copy->read(pipe[0], buf, sizeof buf), 4);
  EXPECT_EQ(std::string(buf, 4), "ping");
  ASSERT_EQ(fs_.read(pipe[0], buf, sizeof buf), 4);  // the origin's buffer is untouched
}

TEST_F(FsCloneTest, AnOpenHostFileCannotBeCopied) {
  std::filesystem::path host =
      std::filesystem::temp_directory_path() / ("fs_clone_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(host);
  fs_.mount_host_dir("/host", host.string());
  int fd = open(fs_, "/host/f");
  ASSERT_GE(fd, 0);
  sh::FsClone c;
  EXPECT_EQ(fs_.clone(&c), nullptr);
  ASSERT_EQ(fs_.close(fd), 0);
  EXPECT_NE(fs_.clone(&c), nullptr);  // the mount itself is shared
  std::filesystem::remove_all(host);
}

}  // namespace
