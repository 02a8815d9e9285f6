#include "fs/host_dir.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <system_error>

namespace pglite::shim {
namespace {

// -1 unknown, 0 unavailable (ENOSYS or blocked by seccomp), 1 available.
std::atomic<int> g_have_openat2{-1};

long sys_openat2(int dirfd, const char* p, int flags, mode_t mode) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags);
  how.mode = (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long r;
  // EAGAIN: a concurrent rename raced the lookup; the kernel asks to retry.
  for (int tries = 0; tries < 8; ++tries) {
    r = syscall(SYS_openat2, dirfd, p, &how, sizeof how);
    if (r >= 0 || (errno != EAGAIN && errno != EINTR)) break;
  }
  return r;
}

bool have_openat2(int root) {
  int v = g_have_openat2.load(std::memory_order_relaxed);
  if (v >= 0) return v == 1;
  long fd = sys_openat2(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0) close(static_cast<int>(fd));
  v = fd >= 0 || (errno != ENOSYS && errno != EPERM) ? 1 : 0;
  g_have_openat2.store(v, std::memory_order_relaxed);
  return v == 1;
}

int neg_errno() { return errno != 0 ? -errno : -EIO; }

}  // namespace

void HostDir::use_openat2_for_testing(bool use) { g_have_openat2.store(use ? -1 : 0); }

HostDir::HostDir(const std::string& host_path) {
  root_ = ::open(host_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_ < 0) throw std::system_error(errno, std::generic_category(), "mount " + host_path);
}

HostDir::~HostDir() {
  if (root_ >= 0) close(root_);
}

int HostDir::open(std::string_view rel, int flags, mode_t mode) const {
  flags |= O_CLOEXEC | O_NOFOLLOW;
  int fd;
  if (have_openat2(root_)) {
    std::string p = rel.empty() ? std::string(".") : std::string(rel);
    long r = sys_openat2(root_, p.c_str(), flags, mode);
    fd = r >= 0 ? static_cast<int>(r) : neg_errno();
  } else {
    fd = open_walk(rel, flags, mode);
  }
  // O_PATH|O_NOFOLLOW yields an fd for a trailing symlink itself; refuse it
  // so callers only ever hold real files and directories.
  struct stat st;
  if (fd >= 0 && (flags & O_PATH) != 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
    close(fd);
    return -ELOOP;
  }
  return fd;
}

// Fallback for kernels without openat2: open each directory component as
// O_PATH|O_NOFOLLOW and check it really is a directory before descending.
int HostDir::open_walk(std::string_view rel, int flags, mode_t mode) const {
  int dir = openat(root_, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return neg_errno();
  size_t i = 0;
  while (true) {
    size_t j = rel.find('/', i);
    bool last = j == std::string_view::npos;
    std::string comp(rel.substr(i, last ? rel.size() - i : j - i));
    if (comp.empty()) comp = ".";
    if (last) {
      int fd = openat(dir, comp.c_str(), flags, mode);
      int r = fd >= 0 ? fd : neg_errno();
      close(dir);
      return r;
    }
    int next = openat(dir, comp.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    int err = next < 0 ? neg_errno() : 0;
    close(dir);
    if (next < 0) return err;
    struct stat st;
    bool ok = fstat(next, &st) == 0;
    if (!ok || !S_ISDIR(st.st_mode)) {
      int r = !ok ? -EIO : S_ISLNK(st.st_mode) ? -ELOOP : -ENOTDIR;
      close(next);
      return r;
    }
    dir = next;
    i = j + 1;
  }
}

int HostDir::open_parent(std::string_view rel, std::string* name) const {
  size_t slash = rel.rfind('/');
  std::string_view parent = slash == std::string_view::npos ? std::string_view() : rel.substr(0, slash);
  *name = std::string(slash == std::string_view::npos ? rel : rel.substr(slash + 1));
  if (name->empty()) return -EINVAL;
  return open(parent, O_PATH | O_DIRECTORY, 0);
}

}  // namespace pglite::shim
