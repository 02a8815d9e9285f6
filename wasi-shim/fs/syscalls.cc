// Emscripten __syscall_* imports that take a path.
#include <cstring>

#include "fs/import_util.h"
#include "fs/imports.h"

using namespace pglite::shim;
using namespace pglite::shim::imports;
namespace w = pglite::shim::wasi_errno;

namespace {

// Runs f(fs, mem) for the env's process, guarded; returns the syscall value.
template <typename F>
uint32_t sys(struct Z_env_instance_t* env, F&& f) {
  return sys_ret(guarded([&]() -> int64_t { return f(process_fs(env->proc), process_memory(env->proc)); }));
}

int do_stat(FileSystem& fs, const GuestMemory& mem, int dirfd, uint32_t path, uint32_t buf,
            uint32_t at_flags) {
  std::string_view p;
  if (int e = read_str(mem, path, &p); e < 0) return e;
  if (!mem.valid(buf, guest::kStatSize)) return -w::kFAULT;
  FileStat st;
  if (int e = fs.stat(dirfd, p, at_flags, &st); e < 0) return e;
  write_guest_stat(mem, buf, st);
  return 0;
}

}  // namespace

extern "C" {

uint32_t Z_envZ___syscall_openat(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path, uint32_t flags,
                                 uint32_t varargs) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    uint32_t mode = 0;
    bool creates = (flags & guest::kO_CREAT) || (flags & guest::kO_TMPFILE) == guest::kO_TMPFILE;
    if (creates && varargs != 0) {
      if (!mem.valid(varargs, 4)) return -w::kFAULT;
      mode = mem.load_u32(varargs);
    }
    return fs.open(as_fd(dirfd), p, flags, mode);
  });
}

uint32_t Z_envZ___syscall_stat64(struct Z_env_instance_t* env, uint32_t path, uint32_t buf) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    return do_stat(fs, mem, guest::kAtFdcwd, path, buf, 0);
  });
}

uint32_t Z_envZ___syscall_lstat64(struct Z_env_instance_t* env, uint32_t path, uint32_t buf) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    return do_stat(fs, mem, guest::kAtFdcwd, path, buf, guest::kAtSymlinkNofollow);
  });
}

uint32_t Z_envZ___syscall_newfstatat(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path,
                                     uint32_t buf, uint32_t flags) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    if (flags & ~(guest::kAtSymlinkNofollow | guest::kAtEmptyPath | 0x800u /*NO_AUTOMOUNT*/)) {
      return -w::kINVAL;
    }
    return do_stat(fs, mem, as_fd(dirfd), path, buf, flags);
  });
}

uint32_t Z_envZ___syscall_statfs64(struct Z_env_instance_t* env, uint32_t path, uint32_t size, uint32_t buf) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    if (size < guest::kStatfsWritten || !mem.valid(buf, size)) return -w::kFAULT;
    FsStat st;
    if (int e = fs.statfs(p, &st); e < 0) return e;
    std::memset(mem.ptr(buf), 0, size);
    write_guest_statfs(mem, buf, st);
    return 0;
  });
}

uint32_t Z_envZ___syscall_truncate64(struct Z_env_instance_t* env, uint32_t path, uint64_t length) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    if (static_cast<int64_t>(length) < 0) return -w::kINVAL;
    return fs.truncate(p, length);
  });
}

uint32_t Z_envZ___syscall_getcwd(struct Z_env_instance_t* env, uint32_t buf, uint32_t size) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    if (size == 0) return -w::kINVAL;
    const std::string& cwd = fs.cwd();
    uint64_t len = cwd.size() + 1;
    if (size < len) return -w::kRANGE;
    if (!mem.valid(buf, len)) return -w::kFAULT;
    std::memcpy(mem.ptr(buf), cwd.c_str(), len);
    return static_cast<int64_t>(len);
  });
}

uint32_t Z_envZ___syscall_chdir(struct Z_env_instance_t* env, uint32_t path) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    return fs.chdir(p);
  });
}

uint32_t Z_envZ___syscall_mkdirat(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path,
                                  uint32_t mode) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    return fs.mkdir(as_fd(dirfd), p, mode);
  });
}

uint32_t Z_envZ___syscall_unlinkat(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path,
                                   uint32_t flags) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    if (flags & ~guest::kAtRemoveDir) return -w::kINVAL;
    return fs.unlink(as_fd(dirfd), p, flags);
  });
}

uint32_t Z_envZ___syscall_rmdir(struct Z_env_instance_t* env, uint32_t path) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    return fs.unlink(guest::kAtFdcwd, p, guest::kAtRemoveDir);
  });
}

uint32_t Z_envZ___syscall_renameat(struct Z_env_instance_t* env, uint32_t olddirfd, uint32_t oldpath,
                                   uint32_t newdirfd, uint32_t newpath) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view a, b;
    if (int e = read_str(mem, oldpath, &a); e < 0) return e;
    if (int e = read_str(mem, newpath, &b); e < 0) return e;
    return fs.rename(as_fd(olddirfd), a, as_fd(newdirfd), b);
  });
}

uint32_t Z_envZ___syscall_readlinkat(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path,
                                     uint32_t buf, uint32_t bufsize) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    if (static_cast<int32_t>(bufsize) <= 0) return -w::kINVAL;
    if (!mem.valid(buf, bufsize)) return -w::kFAULT;
    return fs.readlink(as_fd(dirfd), p);
  });
}

// Symlinks could point a later lookup anywhere; they are never created.
uint32_t Z_envZ___syscall_symlinkat(struct Z_env_instance_t* env, uint32_t target, uint32_t /*newdirfd*/,
                                    uint32_t linkpath) {
  return sys(env, [&](FileSystem&, const GuestMemory& mem) -> int64_t {
    std::string_view t, l;
    if (int e = read_str(mem, target, &t); e < 0) return e;
    if (int e = read_str(mem, linkpath, &l); e < 0) return e;
    return -w::kPERM;
  });
}

uint32_t Z_envZ___syscall_faccessat(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path,
                                    uint32_t amode, uint32_t flags) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    if (flags & ~(0x200u /*AT_EACCESS*/ | guest::kAtSymlinkNofollow)) return -w::kINVAL;
    return fs.access(as_fd(dirfd), p, amode);
  });
}

uint32_t Z_envZ___syscall_chmod(struct Z_env_instance_t* env, uint32_t path, uint32_t mode) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    return fs.chmod(guest::kAtFdcwd, p, mode);
  });
}

uint32_t Z_envZ___syscall_fchmodat2(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path,
                                    uint32_t mode, uint32_t flags) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    if (flags & ~guest::kAtSymlinkNofollow) return -w::kINVAL;
    return fs.chmod(as_fd(dirfd), p, mode);
  });
}

uint32_t Z_envZ___syscall_fchownat(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path,
                                   uint32_t /*owner*/, uint32_t /*group*/, uint32_t flags) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    std::string_view p;
    if (int e = read_str(mem, path, &p); e < 0) return e;
    if (p.empty() && (flags & guest::kAtEmptyPath)) {
      return fs.is_valid_fd(as_fd(dirfd)) ? 0 : -w::kBADF;
    }
    return fs.chown(as_fd(dirfd), p);
  });
}

uint32_t Z_envZ___syscall_utimensat(struct Z_env_instance_t* env, uint32_t dirfd, uint32_t path,
                                    uint32_t times, uint32_t /*flags: never follows anyway*/) {
  return sys(env, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    // musl's futimens() passes a NULL path: operate on dirfd itself.
    std::string_view p;
    if (path != 0) {
      if (int e = read_str(mem, path, &p); e < 0) return e;
      if (p.empty()) return -w::kNOENT;
    }
    timespec ts[2];
    if (times != 0) {
      // Guest timespec: i64 tv_sec @0, i32 tv_nsec @8, 16 bytes each.
      if (!mem.valid(times, 32)) return -w::kFAULT;
      for (int i = 0; i < 2; ++i) {
        ts[i].tv_sec = static_cast<time_t>(mem.load_u64(times + 16 * i));
        ts[i].tv_nsec = static_cast<int32_t>(mem.load_u32(times + 16 * i + 8));
      }
    }
    return fs.utimens(as_fd(dirfd), p, times != 0 ? ts : nullptr);
  });
}

}  // extern "C"
