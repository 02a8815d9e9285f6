// Guest (Emscripten 3.1.74 wasm32 musl) ABI: flag values, struct layouts and
// the host-side records that get serialised into them. Layouts match
// Emscripten's JS library (SYSCALLS.doStat, __syscall_getdents64,
// __syscall_statfs64), which is what the guest libc was built against.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

#include "process.h"

namespace pglite::shim::guest {

// open(2) flags (octal, musl generic).
constexpr uint32_t kO_ACCMODE = 03;
constexpr uint32_t kO_RDONLY = 0;
constexpr uint32_t kO_WRONLY = 01;
constexpr uint32_t kO_RDWR = 02;
constexpr uint32_t kO_CREAT = 0100;
constexpr uint32_t kO_EXCL = 0200;
constexpr uint32_t kO_TRUNC = 01000;
constexpr uint32_t kO_APPEND = 02000;
constexpr uint32_t kO_NONBLOCK = 04000;
constexpr uint32_t kO_DSYNC = 010000;
constexpr uint32_t kO_SYNC = 04010000;
constexpr uint32_t kO_DIRECTORY = 0200000;
constexpr uint32_t kO_NOFOLLOW = 0400000;
constexpr uint32_t kO_CLOEXEC = 02000000;
constexpr uint32_t kO_PATH = 010000000;
constexpr uint32_t kO_TMPFILE = 020200000;

constexpr int32_t kAtFdcwd = -100;
constexpr uint32_t kAtSymlinkNofollow = 0x100;
constexpr uint32_t kAtRemoveDir = 0x200;
constexpr uint32_t kAtEmptyPath = 0x1000;

constexpr uint32_t kS_IFMT = 0170000;
constexpr uint32_t kS_IFIFO = 0010000;
constexpr uint32_t kS_IFCHR = 0020000;
constexpr uint32_t kS_IFDIR = 0040000;
constexpr uint32_t kS_IFREG = 0100000;
constexpr uint32_t kS_IFLNK = 0120000;
constexpr uint32_t kS_IFSOCK = 0140000;

constexpr uint8_t kDT_UNKNOWN = 0;
constexpr uint8_t kDT_FIFO = 1;
constexpr uint8_t kDT_CHR = 2;
constexpr uint8_t kDT_DIR = 4;
constexpr uint8_t kDT_REG = 8;
constexpr uint8_t kDT_LNK = 10;

// WASI filetype / fdflags for fd_fdstat_get.
constexpr uint8_t kWasiFiletypeUnknown = 0;
constexpr uint8_t kWasiFiletypeCharDevice = 2;
constexpr uint8_t kWasiFiletypeDirectory = 3;
constexpr uint8_t kWasiFiletypeRegular = 4;
constexpr uint16_t kWasiFdflagAppend = 1;
constexpr uint16_t kWasiFdflagNonblock = 4;

constexpr uint32_t kStatSize = 96;
constexpr uint32_t kDirentSize = 280;
constexpr uint32_t kDirentNameMax = 255;
constexpr uint32_t kStatfsWritten = 48;  // bytes of struct statfs we fill
constexpr uint32_t kFdstatSize = 24;
constexpr uint32_t kPathMax = 4096;

}  // namespace pglite::shim::guest

namespace pglite::shim {

/// Host-side stat record in guest terms (guest mode bits, guest uid).
struct FileStat {
  uint32_t dev = 0;
  uint32_t mode = 0;
  uint32_t nlink = 1;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t rdev = 0;
  int64_t size = 0;
  int64_t blocks = 0;
  uint64_t ino = 0;
  timespec atime{};
  timespec mtime{};
  timespec ctime{};
};

struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  uint8_t type = guest::kDT_UNKNOWN;
};

struct FsStat {
  uint32_t bsize = 4096;
  uint64_t blocks = 0;
  uint64_t bfree = 0;
  uint64_t bavail = 0;
  uint64_t files = 0;
  uint64_t ffree = 0;
  uint32_t fsid = 0;
  uint32_t namelen = 255;
  uint32_t flags = 0;
};

/// Serialisers; the caller has validated [addr, addr + size) already.
void write_guest_stat(const GuestMemory& mem, uint32_t addr, const FileStat& st);
/// One getdents64 record at addr; `next_off` is the d_off cookie.
void write_guest_dirent(const GuestMemory& mem, uint32_t addr, const DirEntry& e, int64_t next_off);
void write_guest_statfs(const GuestMemory& mem, uint32_t addr, const FsStat& st);

}  // namespace pglite::shim
