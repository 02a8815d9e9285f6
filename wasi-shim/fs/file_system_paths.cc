// FileSystem path operations. Host-mount paths are only ever touched via
// HostDir (confined beneath the mount root) plus *at() calls on a single
// final component that do not follow a trailing symlink. Memory-mount
// operations go to the MemoryDir with the path below its root.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "fs/errno_map.h"
#include "fs/file_system.h"
#include "fs/host_stat.h"
#include "fs/path.h"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452  // same number on every Linux architecture
#endif

namespace pglite::shim {
namespace {

namespace w = wasi_errno;
using Node = ReadOnlyTree::Node;

constexpr uint32_t kW_OK = 2;
// Open flags an open file description remembers (F_GETFL reports them).
constexpr uint32_t kKeptFlags =
    guest::kO_ACCMODE | guest::kO_APPEND | guest::kO_NONBLOCK | guest::kO_SYNC | guest::kO_DSYNC;

int from_host(int neg_host_errno) { return -host_to_guest_errno(-neg_host_errno); }

// Runs f(parent_fd, name) in the parent directory of non-root `rel`; f is a
// libc call returning -1 with errno set on failure.
template <typename F>
int at_parent(const HostDir& dir, const std::string& rel, F f) {
  std::string name;
  int pfd = dir.open_parent(rel, &name);
  if (pfd < 0) return from_host(pfd);
  long r = f(pfd, name.c_str());
  int err = errno;
  ::close(pfd);
  return r < 0 ? -host_to_guest_errno(err) : 0;
}

// Runs f(fd) on the mount root opened as a real (non-O_PATH) directory.
template <typename F>
int on_root(const HostDir& dir, F f) {
  int fd = dir.open("", O_RDONLY | O_DIRECTORY, 0);
  if (fd < 0) return from_host(fd);
  int r = f(fd);
  int err = errno;
  ::close(fd);
  return r < 0 ? -host_to_guest_errno(err) : 0;
}

}  // namespace

int FileSystem::ro_mutation_error(const Resolved& r, bool creating) const {
  if (ro_.lookup(r.path).kind != Node::kNone) return -w::kROFS;
  if (!creating) return -w::kNOENT;
  std::string_view parent, name;
  path::split(r.path, &parent, &name);
  return ro_.lookup(parent).kind == Node::kDir ? -w::kROFS : -w::kNOENT;
}

int FileSystem::open(int dirfd, std::string_view p, uint32_t flags, uint32_t mode) {
  if ((flags & guest::kO_TMPFILE) == guest::kO_TMPFILE) return -w::kNOTSUP;
  Resolved r;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  // Check for a free slot first so a failed install never leaves a new file.
  if (int fd = alloc_fd(kFirstFreeFd); fd < 0) return fd;
  OpenFilePtr file;
  int e;
  if (r.loc.mem != nullptr) {
    e = r.loc.mem->open(r.loc.rel, r.trailing_slash, flags, mode & 07777, flags & kKeptFlags, r.path, &file);
  } else {
    e = r.loc.host != nullptr ? open_host(r, flags, mode, &file) : open_ro(r, flags, &file);
  }
  if (e < 0) return e;
  return install(kFirstFreeFd, std::move(file));
}

int FileSystem::open_ro(const Resolved& r, uint32_t flags, OpenFilePtr* out) const {
  Node n = ro_.lookup(r.path);
  if (n.kind == Node::kNone) {
    return (flags & guest::kO_CREAT) ? ro_mutation_error(r, true) : -w::kNOENT;
  }
  if ((flags & guest::kO_CREAT) && (flags & guest::kO_EXCL)) return -w::kEXIST;
  bool want_write = (flags & guest::kO_ACCMODE) != guest::kO_RDONLY || (flags & guest::kO_TRUNC);
  uint32_t keep = flags & kKeptFlags;
  FileStat st = ro_.stat(r.path, n);
  if (n.kind == Node::kDir) {
    if (want_write || (flags & guest::kO_CREAT)) return -w::kISDIR;
    *out = make_dir_file(-1, keep, r.path, ro_.list(r.path), st);
    return 0;
  }
  if ((flags & guest::kO_DIRECTORY) || r.trailing_slash) return -w::kNOTDIR;
  if (n.kind == Node::kDevice) {
    *out = make_device_file(n.device, keep, r.path, st);
    return 0;
  }
  if (want_write) return -w::kROFS;
  *out = make_bundle_file(ro_.bundle(), n.file, keep, r.path, st);
  return 0;
}

int FileSystem::open_host(const Resolved& r, uint32_t flags, uint32_t mode, OpenFilePtr* out) const {
  if (r.trailing_slash && (flags & guest::kO_CREAT)) return -w::kISDIR;
  int hf = 0;
  switch (flags & guest::kO_ACCMODE) {
    case guest::kO_WRONLY:
      hf = O_WRONLY;
      break;
    case guest::kO_RDWR:
      hf = O_RDWR;
      break;
    case guest::kO_RDONLY:
      hf = O_RDONLY;
      break;
    default:
      return -w::kINVAL;
  }
  if (flags & guest::kO_CREAT) hf |= O_CREAT;
  if (flags & guest::kO_EXCL) hf |= O_EXCL;
  if (flags & guest::kO_TRUNC) hf |= O_TRUNC;
  if (flags & guest::kO_APPEND) hf |= O_APPEND;
  if (flags & guest::kO_NONBLOCK) hf |= O_NONBLOCK;
  if ((flags & guest::kO_DIRECTORY) || r.trailing_slash) hf |= O_DIRECTORY;
  if (fsync_enabled_) {
    if ((flags & guest::kO_SYNC) == guest::kO_SYNC) {
      hf |= O_SYNC;
    } else if (flags & guest::kO_DSYNC) {
      hf |= O_DSYNC;
    }
  }
  int fd = r.loc.host->open(r.loc.rel, hf, mode & 07777);
  if (fd < 0) return from_host(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = neg_guest_errno_from_host();
    ::close(fd);
    return e;
  }
  uint32_t keep = flags & kKeptFlags;
  *out = S_ISDIR(st.st_mode) ? make_dir_file(fd, keep, r.path, {}, FileStat{})
                             : make_host_file(fd, keep, r.path);
  return 0;
}

int FileSystem::stat_resolved(const Resolved& r, bool follow, FileStat* st) const {
  if (r.loc.mem != nullptr) return r.loc.mem->stat(r.loc.rel, r.trailing_slash, st);
  if (r.loc.host == nullptr) {
    Node n = ro_.lookup(r.path);
    if (n.kind == Node::kNone) return -w::kNOENT;
    if (r.trailing_slash && n.kind != Node::kDir) return -w::kNOTDIR;
    *st = ro_.stat(r.path, n);
    return 0;
  }
  struct stat hs;
  if (r.loc.rel.empty()) {
    if (::fstat(r.loc.host->root_fd(), &hs) != 0) return neg_guest_errno_from_host();
  } else {
    int e = at_parent(*r.loc.host, r.loc.rel, [&](int pfd, const char* name) {
      return fstatat(pfd, name, &hs, AT_SYMLINK_NOFOLLOW);
    });
    if (e < 0) return e;
  }
  // Symlinks are visible to lstat but never followed.
  if (S_ISLNK(hs.st_mode) && (follow || r.trailing_slash)) return -w::kLOOP;
  if (r.trailing_slash && !S_ISDIR(hs.st_mode)) return -w::kNOTDIR;
  *st = guest_stat_from_host(hs);
  return 0;
}

int FileSystem::stat(int dirfd, std::string_view p, uint32_t at_flags, FileStat* st) {
  if (p.empty()) {
    if (!(at_flags & guest::kAtEmptyPath)) return -w::kNOENT;
    if (dirfd != guest::kAtFdcwd) return fstat(dirfd, st);
    p = ".";
  }
  Resolved r;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  return stat_resolved(r, !(at_flags & guest::kAtSymlinkNofollow), st);
}

int FileSystem::statfs(std::string_view p, FsStat* out) {
  Resolved r;
  FileStat st;
  if (int e = resolve(guest::kAtFdcwd, p, &r); e < 0) return e;
  if (int e = stat_resolved(r, true, &st); e < 0) return e;
  *out = FsStat{};
  if (r.loc.mem != nullptr) {
    r.loc.mem->statfs(out);
    return 0;
  }
  if (r.loc.host == nullptr) {
    size_t n = ro_.bundle() != nullptr ? ro_.bundle()->node_count() : 1;
    out->blocks = out->files = n;
    out->fsid = 1;
    out->flags = 1;  // ST_RDONLY
    return 0;
  }
  struct statfs hs;
  if (fstatfs(r.loc.host->root_fd(), &hs) != 0) return neg_guest_errno_from_host();
  out->bsize = static_cast<uint32_t>(hs.f_bsize);
  out->blocks = hs.f_blocks;
  out->bfree = hs.f_bfree;
  out->bavail = hs.f_bavail;
  out->files = hs.f_files;
  out->ffree = hs.f_ffree;
  out->fsid = static_cast<uint32_t>(hs.f_fsid.__val[0]);
  out->namelen = static_cast<uint32_t>(hs.f_namelen);
  return 0;
}

int FileSystem::mkdir(int dirfd, std::string_view p, uint32_t mode) {
  Resolved r;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  if (r.loc.mem != nullptr) return r.loc.mem->mkdir(r.loc.rel, mode);
  if (r.loc.host == nullptr) {
    return ro_.lookup(r.path).kind != Node::kNone ? -w::kEXIST : ro_mutation_error(r, true);
  }
  if (r.loc.rel.empty()) return -w::kEXIST;
  return at_parent(*r.loc.host, r.loc.rel,
                   [&](int pfd, const char* name) { return mkdirat(pfd, name, mode & 07777); });
}

int FileSystem::unlink(int dirfd, std::string_view p, uint32_t at_flags) {
  Resolved r;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  if (r.loc.mem != nullptr) {
    return r.loc.mem->unlink(r.loc.rel, r.trailing_slash, (at_flags & guest::kAtRemoveDir) != 0);
  }
  if (r.loc.host == nullptr) return ro_mutation_error(r, false);
  if (r.loc.rel.empty()) return -w::kBUSY;
  int host_flags = (at_flags & guest::kAtRemoveDir) ? AT_REMOVEDIR : 0;
  return at_parent(*r.loc.host, r.loc.rel,
                   [&](int pfd, const char* name) { return unlinkat(pfd, name, host_flags); });
}

int FileSystem::rename(int olddirfd, std::string_view oldpath, int newdirfd, std::string_view newpath) {
  Resolved a, b;
  if (int e = resolve(olddirfd, oldpath, &a); e < 0) return e;
  if (int e = resolve(newdirfd, newpath, &b); e < 0) return e;
  if (a.loc.read_only() && b.loc.read_only()) return ro_mutation_error(a, false);
  if (a.loc.host != b.loc.host || a.loc.mem != b.loc.mem) {
    return a.loc.read_only() && ro_.lookup(a.path).kind == Node::kNone ? -w::kNOENT : -w::kXDEV;
  }
  if (a.loc.mem != nullptr) {
    return a.loc.mem->rename(a.loc.rel, a.trailing_slash, b.loc.rel, b.trailing_slash);
  }
  if (a.loc.rel.empty() || b.loc.rel.empty()) return -w::kBUSY;
  std::string name_b;
  int pb = b.loc.host->open_parent(b.loc.rel, &name_b);
  if (pb < 0) return from_host(pb);
  int e = at_parent(*a.loc.host, a.loc.rel,
                    [&](int pa, const char* name_a) { return renameat(pa, name_a, pb, name_b.c_str()); });
  ::close(pb);
  return e;
}

int FileSystem::access(int dirfd, std::string_view p, uint32_t amode) {
  if (amode & ~7u) return -w::kINVAL;
  Resolved r;
  FileStat st;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  if (int e = stat_resolved(r, true, &st); e < 0) return e;
  if (r.loc.mem != nullptr) return r.loc.mem->access(r.loc.rel, amode);
  if (r.loc.host == nullptr) {
    bool device = (st.mode & guest::kS_IFMT) == guest::kS_IFCHR;
    return (amode & kW_OK) && !device ? -w::kROFS : 0;
  }
  if (amode == 0) return 0;
  if (r.loc.rel.empty()) {
    return faccessat(r.loc.host->root_fd(), ".", static_cast<int>(amode), 0) == 0
               ? 0
               : neg_guest_errno_from_host();
  }
  return at_parent(*r.loc.host, r.loc.rel, [&](int pfd, const char* name) {
    return faccessat(pfd, name, static_cast<int>(amode), AT_SYMLINK_NOFOLLOW);
  });
}

int FileSystem::chmod(int dirfd, std::string_view p, uint32_t mode) {
  Resolved r;
  FileStat st;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  if (int e = stat_resolved(r, true, &st); e < 0) return e;
  if (r.loc.mem != nullptr) return r.loc.mem->chmod(r.loc.rel, mode);
  if (r.loc.host == nullptr) return -w::kROFS;
  const HostDir& dir = *r.loc.host;
  mode &= 07777;
  if (r.loc.rel.empty()) return on_root(dir, [&](int fd) { return ::fchmod(fd, mode); });
  int e = at_parent(dir, r.loc.rel, [&](int pfd, const char* name) {
    return syscall(SYS_fchmodat2, pfd, name, mode, AT_SYMLINK_NOFOLLOW);
  });
  if (e != -w::kNOSYS && e != -w::kPERM) return e;
  // Kernel < 6.6 (or seccomp): chmod the exact inode through its O_PATH fd.
  int fd = dir.open(r.loc.rel, O_PATH, 0);
  if (fd < 0) return from_host(fd);
  char proc[64];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  e = ::chmod(proc, mode) == 0 ? 0 : neg_guest_errno_from_host();
  ::close(fd);
  return e;
}

int FileSystem::chown(int dirfd, std::string_view p) {
  FileStat st;
  int e = stat(dirfd, p, guest::kAtSymlinkNofollow, &st);
  return e < 0 ? e : 0;
}

int FileSystem::truncate(std::string_view p, uint64_t length) {
  Resolved r;
  FileStat st;
  if (int e = resolve(guest::kAtFdcwd, p, &r); e < 0) return e;
  if (r.loc.mem != nullptr) return r.loc.mem->truncate(r.loc.rel, length);
  if (r.loc.host == nullptr) {
    if (int e = stat_resolved(r, true, &st); e < 0) return e;
    if ((st.mode & guest::kS_IFMT) == guest::kS_IFDIR) return -w::kISDIR;
    return (st.mode & guest::kS_IFMT) == guest::kS_IFCHR ? 0 : -w::kROFS;
  }
  if (length > INT64_MAX) return -w::kFBIG;
  int fd = r.loc.host->open(r.loc.rel, O_WRONLY | O_NONBLOCK, 0);
  if (fd < 0) return from_host(fd);
  int e = ::ftruncate(fd, static_cast<off_t>(length)) == 0 ? 0 : neg_guest_errno_from_host();
  ::close(fd);
  return e;
}

int FileSystem::utimens(int dirfd, std::string_view p, const timespec* times) {
  if (p.empty()) {
    if (dirfd != guest::kAtFdcwd) return futimens(dirfd, times);
    p = ".";
  }
  Resolved r;
  FileStat st;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  if (r.loc.mem != nullptr) return r.loc.mem->utimens(r.loc.rel, times);
  if (r.loc.host == nullptr) {
    if (int e = stat_resolved(r, false, &st); e < 0) return e;
    return (st.mode & guest::kS_IFMT) == guest::kS_IFCHR ? 0 : -w::kROFS;
  }
  if (r.loc.rel.empty()) return on_root(*r.loc.host, [&](int fd) { return ::futimens(fd, times); });
  // Never follows: a symlink would get its own timestamps, still inside the mount.
  return at_parent(*r.loc.host, r.loc.rel, [&](int pfd, const char* name) {
    return utimensat(pfd, name, times, AT_SYMLINK_NOFOLLOW);
  });
}

int FileSystem::readlink(int dirfd, std::string_view p) {
  FileStat st;
  int e = stat(dirfd, p, guest::kAtSymlinkNofollow, &st);
  return e < 0 ? e : -w::kINVAL;
}

int FileSystem::set_cwd(std::string_view p) {
  Resolved r;
  FileStat st;
  if (int e = resolve(guest::kAtFdcwd, p, &r); e < 0) return e;
  if (int e = stat_resolved(r, true, &st); e < 0) return e;
  if ((st.mode & guest::kS_IFMT) != guest::kS_IFDIR) return -w::kNOTDIR;
  cwd_ = std::move(r.path);
  return 0;
}

}  // namespace pglite::shim
