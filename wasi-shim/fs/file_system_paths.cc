// FileSystem path operations: each resolves the guest path once to the mount
// holding it (mount.h) and calls the mount. What is common to every kind of
// mount (fd slots, empty paths, existence checks before access and chmod,
// renames across mounts) is decided here.
#include <utility>

#include "fs/file_system.h"

namespace pglite::shim {
namespace {

namespace w = wasi_errno;

// Open flags an open file description remembers (F_GETFL reports them).
constexpr uint32_t kKeptFlags =
    guest::kO_ACCMODE | guest::kO_APPEND | guest::kO_NONBLOCK | guest::kO_SYNC | guest::kO_DSYNC;

}  // namespace

int FileSystem::open(int dirfd, std::string_view p, uint32_t flags, uint32_t mode) {
  if ((flags & guest::kO_TMPFILE) == guest::kO_TMPFILE) return -w::kNOTSUP;
  Resolved r;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  // Check for a free slot first so a failed install never leaves a new file.
  if (int fd = alloc_fd(kFirstFreeFd); fd < 0) return fd;
  OpenRequest req{flags, mode & 07777, flags & kKeptFlags, fsync_enabled_};
  OpenFilePtr file;
  if (int e = r.mount->open(r.at(), req, &file); e < 0) return e;
  return install(kFirstFreeFd, std::move(file));
}

int FileSystem::stat_resolved(const Resolved& r, bool follow, FileStat* st) const {
  return r.mount->stat(r.at(), follow, st);
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
  return r.mount->statfs(r.at(), out);
}

int FileSystem::mkdir(int dirfd, std::string_view p, uint32_t mode) {
  Resolved r;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  return r.mount->mkdir(r.at(), mode);
}

int FileSystem::unlink(int dirfd, std::string_view p, uint32_t at_flags) {
  Resolved r;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  return r.mount->unlink(r.at(), (at_flags & guest::kAtRemoveDir) != 0);
}

int FileSystem::rename(int olddirfd, std::string_view oldpath, int newdirfd, std::string_view newpath) {
  Resolved a, b;
  if (int e = resolve(olddirfd, oldpath, &a); e < 0) return e;
  if (int e = resolve(newdirfd, newpath, &b); e < 0) return e;
  if (a.mount != b.mount) return a.mount->rename_to_other_mount(a.at());
  return a.mount->rename(a.at(), b.at());
}

int FileSystem::access(int dirfd, std::string_view p, uint32_t amode) {
  if (amode & ~7u) return -w::kINVAL;
  Resolved r;
  FileStat st;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  if (int e = stat_resolved(r, true, &st); e < 0) return e;
  return r.mount->access(r.at(), amode);
}

int FileSystem::chmod(int dirfd, std::string_view p, uint32_t mode) {
  Resolved r;
  FileStat st;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  if (int e = stat_resolved(r, true, &st); e < 0) return e;
  return r.mount->chmod(r.at(), mode);
}

int FileSystem::chown(int dirfd, std::string_view p) {
  FileStat st;
  int e = stat(dirfd, p, guest::kAtSymlinkNofollow, &st);
  return e < 0 ? e : 0;
}

int FileSystem::truncate(std::string_view p, uint64_t length) {
  Resolved r;
  if (int e = resolve(guest::kAtFdcwd, p, &r); e < 0) return e;
  return r.mount->truncate(r.at(), length);
}

int FileSystem::utimens(int dirfd, std::string_view p, const timespec* times) {
  if (p.empty()) {
    if (dirfd != guest::kAtFdcwd) return futimens(dirfd, times);
    p = ".";
  }
  Resolved r;
  if (int e = resolve(dirfd, p, &r); e < 0) return e;
  return r.mount->utimens(r.at(), times);
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
