#include "fs/host_mount.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>

#include "fs/errno_map.h"
#include "fs/host_stat.h"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452  // same number on every Linux architecture
#endif

namespace pglite::shim {
namespace {

namespace w = wasi_errno;

int from_host(int neg_host_errno) { return -host_to_guest_errno(-neg_host_errno); }

// Runs f(parent_fd, name) in the parent directory of non-root `rel`; f is a
// libc call returning -1 with errno set on failure.
template <typename F>
int at_parent(const HostDir& dir, std::string_view rel, F f) {
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

// Host open(2) flags for guest `flags`, or -1 for an invalid access mode.
int host_open_flags(uint32_t flags, bool trailing_slash, bool sync_enabled) {
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
      return -1;
  }
  if (flags & guest::kO_CREAT) hf |= O_CREAT;
  if (flags & guest::kO_EXCL) hf |= O_EXCL;
  if (flags & guest::kO_TRUNC) hf |= O_TRUNC;
  if (flags & guest::kO_APPEND) hf |= O_APPEND;
  if (flags & guest::kO_NONBLOCK) hf |= O_NONBLOCK;
  if ((flags & guest::kO_DIRECTORY) || trailing_slash) hf |= O_DIRECTORY;
  if (sync_enabled) {
    if ((flags & guest::kO_SYNC) == guest::kO_SYNC) {
      hf |= O_SYNC;
    } else if (flags & guest::kO_DSYNC) {
      hf |= O_DSYNC;
    }
  }
  return hf;
}

}  // namespace

// The same host directory: two databases see one host directory as two
// native servers would.
std::unique_ptr<Mount> HostMount::clone(FsClone&) const { return std::make_unique<HostMount>(host_path_); }

int HostMount::open(const MountPath& p, const OpenRequest& req, OpenFilePtr* out) {
  if (p.trailing_slash && (req.flags & guest::kO_CREAT)) return -w::kISDIR;
  int hf = host_open_flags(req.flags, p.trailing_slash, req.sync_enabled);
  if (hf < 0) return -w::kINVAL;
  int fd = dir_.open(p.rel, hf, req.mode);
  if (fd < 0) return from_host(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = neg_guest_errno_from_host();
    ::close(fd);
    return e;
  }
  std::string guest_path(p.guest);
  *out = S_ISDIR(st.st_mode) ? make_dir_file(fd, req.kept_flags, guest_path, {}, FileStat{})
                             : make_host_file(fd, req.kept_flags, guest_path);
  return 0;
}

int HostMount::stat(const MountPath& p, bool follow, FileStat* st) const {
  struct stat hs;
  if (p.rel.empty()) {
    if (::fstat(dir_.root_fd(), &hs) != 0) return neg_guest_errno_from_host();
  } else {
    int e = at_parent(
        dir_, p.rel, [&](int pfd, const char* name) { return fstatat(pfd, name, &hs, AT_SYMLINK_NOFOLLOW); });
    if (e < 0) return e;
  }
  // Symlinks are visible to lstat but never followed.
  if (S_ISLNK(hs.st_mode) && (follow || p.trailing_slash)) return -w::kLOOP;
  if (p.trailing_slash && !S_ISDIR(hs.st_mode)) return -w::kNOTDIR;
  *st = guest_stat_from_host(hs);
  return 0;
}

int HostMount::statfs(const MountPath&, FsStat* out) const {
  struct statfs hs;
  if (fstatfs(dir_.root_fd(), &hs) != 0) return neg_guest_errno_from_host();
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

int HostMount::mkdir(const MountPath& p, uint32_t mode) {
  if (p.rel.empty()) return -w::kEXIST;
  return at_parent(dir_, p.rel, [&](int pfd, const char* name) { return mkdirat(pfd, name, mode & 07777); });
}

int HostMount::unlink(const MountPath& p, bool remove_dir) {
  if (p.rel.empty()) return -w::kBUSY;
  int host_flags = remove_dir ? AT_REMOVEDIR : 0;
  return at_parent(dir_, p.rel, [&](int pfd, const char* name) { return unlinkat(pfd, name, host_flags); });
}

int HostMount::rename(const MountPath& from, const MountPath& to) {
  if (from.rel.empty() || to.rel.empty()) return -w::kBUSY;
  std::string name_to;
  int pto = dir_.open_parent(to.rel, &name_to);
  if (pto < 0) return from_host(pto);
  int e = at_parent(dir_, from.rel, [&](int pfrom, const char* name_from) {
    return renameat(pfrom, name_from, pto, name_to.c_str());
  });
  ::close(pto);
  return e;
}

int HostMount::access(const MountPath& p, uint32_t amode) const {
  if (amode == 0) return 0;
  if (p.rel.empty()) {
    return faccessat(dir_.root_fd(), ".", static_cast<int>(amode), 0) == 0 ? 0 : neg_guest_errno_from_host();
  }
  return at_parent(dir_, p.rel, [&](int pfd, const char* name) {
    return faccessat(pfd, name, static_cast<int>(amode), AT_SYMLINK_NOFOLLOW);
  });
}

int HostMount::chmod(const MountPath& p, uint32_t mode) {
  mode &= 07777;
  if (p.rel.empty()) return on_root(dir_, [&](int fd) { return ::fchmod(fd, mode); });
  int e = at_parent(dir_, p.rel, [&](int pfd, const char* name) {
    return syscall(SYS_fchmodat2, pfd, name, mode, AT_SYMLINK_NOFOLLOW);
  });
  if (e != -w::kNOSYS && e != -w::kPERM) return e;
  // Kernel < 6.6 (or seccomp): chmod the exact inode through its O_PATH fd.
  int fd = dir_.open(p.rel, O_PATH, 0);
  if (fd < 0) return from_host(fd);
  char proc[64];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  e = ::chmod(proc, mode) == 0 ? 0 : neg_guest_errno_from_host();
  ::close(fd);
  return e;
}

int HostMount::truncate(const MountPath& p, uint64_t length) {
  if (length > INT64_MAX) return -w::kFBIG;
  int fd = dir_.open(p.rel, O_WRONLY | O_NONBLOCK, 0);
  if (fd < 0) return from_host(fd);
  int e = ::ftruncate(fd, static_cast<off_t>(length)) == 0 ? 0 : neg_guest_errno_from_host();
  ::close(fd);
  return e;
}

int HostMount::utimens(const MountPath& p, const timespec* times) {
  if (p.rel.empty()) return on_root(dir_, [&](int fd) { return ::futimens(fd, times); });
  // Never follows: a symlink would get its own timestamps, still inside the mount.
  return at_parent(dir_, p.rel, [&](int pfd, const char* name) {
    return utimensat(pfd, name, times, AT_SYMLINK_NOFOLLOW);
  });
}

}  // namespace pglite::shim
