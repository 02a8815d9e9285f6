// Emscripten __syscall_* imports that operate on an fd.
#include <cstring>
#include <vector>

#include "fs/import_util.h"
#include "fs/imports.h"

using namespace pglite::shim;
using namespace pglite::shim::imports;
namespace w = pglite::shim::wasi_errno;

namespace {

template <typename F>
uint32_t sys(struct Z_env_instance_t* env, F&& f) {
  return sys_ret(guarded([&]() -> int64_t { return f(process_fs(env->proc), process_memory(env->proc)); }));
}

// fcntl commands (musl; the 64-bit lock variants are 12..14).
constexpr uint32_t kF_DUPFD = 0, kF_GETFD = 1, kF_SETFD = 2, kF_GETFL = 3, kF_SETFL = 4;
constexpr uint32_t kF_GETLK = 5, kF_SETLK = 6, kF_SETLKW = 7;
constexpr uint32_t kF_GETLK64 = 12, kF_SETLK64 = 13, kF_SETLKW64 = 14;
constexpr uint32_t kF_DUPFD_CLOEXEC = 1030;
constexpr uint16_t kF_UNLCK = 2;

// ioctl requests (Linux generic numbering, as musl uses).
constexpr uint32_t kTCGETS = 0x5401, kTCSETS = 0x5402, kTCSETSW = 0x5403, kTCSETSF = 0x5404;
constexpr uint32_t kTCGETA = 0x5405, kTCSETAF = 0x5408, kTCSBRK = 0x5409, kTCFLSH = 0x540B;
constexpr uint32_t kTIOCGPGRP = 0x540F, kTIOCSPGRP = 0x5410, kTIOCGWINSZ = 0x5413;
constexpr uint32_t kTIOCSWINSZ = 0x5414, kFIONREAD = 0x541B, kFIONBIO = 0x5421;
constexpr uint32_t kTermiosSize = 60;

int read_i32(const GuestMemory& mem, uint32_t addr, int32_t* out) {
  if (!mem.valid(addr, 4)) return -w::kFAULT;
  *out = static_cast<int32_t>(mem.load_u32(addr));
  return 0;
}

// A cooked-mode terminal, as Emscripten's default tty reports it.
void write_termios(const GuestMemory& mem, uint32_t a) {
  static constexpr uint8_t kCc[] = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22};
  std::memset(mem.ptr(a), 0, kTermiosSize);
  mem.store_u32(a + 0, 0x6500);   // c_iflag: ICRNL IXON IXANY IMAXBEL IUTF8
  mem.store_u32(a + 4, 0x5);      // c_oflag: OPOST ONLCR
  mem.store_u32(a + 8, 0xbf);     // c_cflag: CS8 CREAD B38400
  mem.store_u32(a + 12, 0x8a3b);  // c_lflag: ISIG ICANON ECHO... IEXTEN
  std::memcpy(mem.ptr(a + 17), kCc, sizeof kCc);
}

// `varargs` points at the pointer-sized argument; only read when needed.
int64_t do_ioctl(FileSystem& fs, const GuestMemory& mem, int fd, uint32_t op, uint32_t varargs) {
  int tty = fs.is_tty(fd);
  if (tty < 0) return tty;
  uint32_t arg = 0;
  switch (op) {
    case kFIONBIO:
    case kTCGETS:
    case kTIOCGWINSZ:
    case kTIOCGPGRP:
    case kFIONREAD:
      if (!mem.valid(varargs, 4)) return -w::kFAULT;
      arg = mem.load_u32(varargs);
      break;
    default:
      break;
  }
  switch (op) {
    case kFIONBIO: {
      int32_t on;
      if (int e = read_i32(mem, arg, &on); e < 0) return e;
      int flags = fs.get_status_flags(fd);
      if (flags < 0) return flags;
      uint32_t f = on ? (flags | guest::kO_NONBLOCK) : (flags & ~guest::kO_NONBLOCK);
      return fs.set_status_flags(fd, f);
    }
    case kTCGETS:
      if (!tty) return -w::kNOTTY;
      if (!mem.valid(arg, kTermiosSize)) return -w::kFAULT;
      write_termios(mem, arg);
      return 0;
    case kTIOCGWINSZ:
      if (!tty) return -w::kNOTTY;
      if (!mem.valid(arg, 8)) return -w::kFAULT;
      std::memset(mem.ptr(arg), 0, 8);
      mem.store_u32(arg, 24 | (80u << 16));  // ws_row, ws_col
      return 0;
    case kTIOCGPGRP:
    case kFIONREAD:
      if (!tty) return -w::kNOTTY;
      if (!mem.valid(arg, 4)) return -w::kFAULT;
      mem.store_u32(arg, 0);
      return 0;
    case kTIOCSPGRP:
      return tty ? -w::kINVAL : -w::kNOTTY;
    case kTCSETS:
    case kTCSETSW:
    case kTCSETSF:
    case kTIOCSWINSZ:
    case kTCSBRK:
    case kTCFLSH:
      return tty ? 0 : -w::kNOTTY;
    default:
      if (op >= kTCGETA && op <= kTCSETAF) return tty ? 0 : -w::kNOTTY;
      return -w::kINVAL;
  }
}

int64_t do_fcntl(FileSystem& fs, const GuestMemory& mem, int fd, uint32_t cmd, uint32_t arg) {
  int flags = fs.get_status_flags(fd);
  if (flags < 0) return flags;
  int32_t v;
  switch (cmd) {
    case kF_DUPFD:
    case kF_DUPFD_CLOEXEC:
      if (int e = read_i32(mem, arg, &v); e < 0) return e;
      if (v < 0) return -w::kINVAL;
      return fs.dup(fd, v);
    case kF_GETFD:
    case kF_SETFD:
      return 0;  // no exec, so FD_CLOEXEC is irrelevant
    case kF_GETFL:
      return flags;
    case kF_SETFL:
      if (int e = read_i32(mem, arg, &v); e < 0) return e;
      return fs.set_status_flags(fd, static_cast<uint32_t>(v));
    case kF_GETLK:
    case kF_GETLK64: {
      // One process per file system: nothing else can hold a lock.
      uint32_t p;
      if (!mem.valid(arg, 4) || (p = mem.load_u32(arg), !mem.valid(p, 2))) return -w::kFAULT;
      std::memcpy(mem.ptr(p), &kF_UNLCK, 2);
      return 0;
    }
    case kF_SETLK:
    case kF_SETLKW:
    case kF_SETLK64:
    case kF_SETLKW64:
      return 0;
    default:
      return -w::kINVAL;
  }
}

}  // namespace

extern "C" {

uint32_t Z_envZ___syscall_fcntl64(struct Z_env_instance_t* env, uint32_t fd, uint32_t cmd, uint32_t varargs) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) {
    return do_fcntl(fs, mem, as_fd(fd), cmd, varargs);
  });
}

uint32_t Z_envZ___syscall_ioctl(struct Z_env_instance_t* env, uint32_t fd, uint32_t op, uint32_t varargs) {
  return sys(
      env, [&](FileSystem& fs, const GuestMemory& mem) { return do_ioctl(fs, mem, as_fd(fd), op, varargs); });
}

uint32_t Z_envZ___syscall_fstat64(struct Z_env_instance_t* env, uint32_t fd, uint32_t buf) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    if (!mem.valid(buf, guest::kStatSize)) return -w::kFAULT;
    FileStat st;
    if (int e = fs.fstat(as_fd(fd), &st); e < 0) return e;
    write_guest_stat(mem, buf, st);
    return 0;
  });
}

uint32_t Z_envZ___syscall_getdents64(struct Z_env_instance_t* env, uint32_t fd, uint32_t dirp,
                                     uint32_t count) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    size_t max = count / guest::kDirentSize;
    if (max == 0) return -w::kINVAL;
    if (!mem.valid(dirp, uint64_t(max) * guest::kDirentSize)) return -w::kFAULT;
    std::vector<DirEntry> entries;
    if (int e = fs.read_dir(as_fd(fd), max, &entries); e < 0) return e;
    // d_off cookies: position after each record, in the units seek() uses.
    int64_t end = fs.seek(as_fd(fd), 0, SEEK_CUR);
    if (end < 0) return end;
    int64_t off = end - static_cast<int64_t>(entries.size() * guest::kDirentSize);
    uint32_t at = dirp;
    for (const DirEntry& e : entries) {
      off += guest::kDirentSize;
      write_guest_dirent(mem, at, e, off);
      at += guest::kDirentSize;
    }
    return static_cast<int64_t>(at - dirp);
  });
}

uint32_t Z_envZ___syscall_ftruncate64(struct Z_env_instance_t* env, uint32_t fd, uint64_t length) {
  return sys(env, [&](FileSystem& fs, const GuestMemory&) -> int64_t {
    if (static_cast<int64_t>(length) < 0) return -w::kINVAL;
    return fs.ftruncate(as_fd(fd), length);
  });
}

uint32_t Z_envZ___syscall_fchmod(struct Z_env_instance_t* env, uint32_t fd, uint32_t mode) {
  return sys(env, [&](FileSystem& fs, const GuestMemory&) { return fs.fchmod(as_fd(fd), mode); });
}

uint32_t Z_envZ___syscall_fchown32(struct Z_env_instance_t* env, uint32_t fd, uint32_t, uint32_t) {
  return sys(env, [&](FileSystem& fs, const GuestMemory&) -> int64_t {
    return fs.is_valid_fd(as_fd(fd)) ? 0 : -w::kBADF;
  });
}

uint32_t Z_envZ___syscall_dup(struct Z_env_instance_t* env, uint32_t fd) {
  return sys(env, [&](FileSystem& fs, const GuestMemory&) { return fs.dup(as_fd(fd)); });
}

uint32_t Z_envZ___syscall_dup3(struct Z_env_instance_t* env, uint32_t fd, uint32_t newfd, uint32_t flags) {
  return sys(env, [&](FileSystem& fs, const GuestMemory&) -> int64_t {
    if (flags & ~guest::kO_CLOEXEC) return -w::kINVAL;
    return fs.dup3(as_fd(fd), as_fd(newfd));
  });
}

uint32_t Z_envZ___syscall_fdatasync(struct Z_env_instance_t* env, uint32_t fd) {
  return sys(env, [&](FileSystem& fs, const GuestMemory&) { return fs.fsync(as_fd(fd), true); });
}

// Advice only; nothing to do.
uint32_t Z_envZ___syscall_fadvise64(struct Z_env_instance_t* env, uint32_t fd, uint64_t, uint64_t, uint32_t) {
  return sys(env, [&](FileSystem& fs, const GuestMemory&) -> int64_t {
    return fs.is_valid_fd(as_fd(fd)) ? 0 : -w::kBADF;
  });
}

uint32_t Z_envZ___syscall_fallocate(struct Z_env_instance_t* env, uint32_t fd, uint32_t mode, uint64_t offset,
                                    uint64_t len) {
  return sys(env, [&](FileSystem& fs, const GuestMemory&) -> int64_t {
    if (mode != 0) return -w::kNOTSUP;  // musl's posix_fallocate passes 0
    if (static_cast<int64_t>(offset) < 0 || static_cast<int64_t>(len) <= 0) return -w::kINVAL;
    return fs.fallocate(as_fd(fd), offset, len);
  });
}

uint32_t Z_envZ___syscall_pipe(struct Z_env_instance_t* env, uint32_t fds) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    if (fds == 0 || !mem.valid(fds, 8)) return -w::kFAULT;
    int p[2];
    if (int e = fs.pipe(p); e < 0) return e;
    mem.store_u32(fds, static_cast<uint32_t>(p[0]));
    mem.store_u32(fds + 4, static_cast<uint32_t>(p[1]));
    return 0;
  });
}

}  // extern "C"
