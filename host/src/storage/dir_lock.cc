#include "dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "fs_util.h"
#include "pglite/error.h"
#include "protocol/sqlstate.h"

namespace pglite::internal {
namespace {

// The pid recorded in the lock file, or 0 if it is empty or garbled (the
// holder may not have written it yet).
long holder_pid(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return 0;
  char* end = nullptr;
  long pid = std::strtol(buf, &end, 10);
  return end != buf && pid > 0 ? pid : 0;
}

}  // namespace

DirLock::DirLock(const std::string& dir) : file_(dir + "/" + kLockFileName) {
  fd_ = ::open(file_.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_CREAT | O_EXCL, 0600);
  if (fd_ >= 0) {
    created_ = true;
  } else if (errno == EEXIST) {
    fd_ = ::open(file_.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  }
  if (fd_ < 0) throw_os_error("cannot open lock file \"" + file_ + "\"", errno);

  int rc;
  do {
    rc = ::flock(fd_, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int err = errno;
    long pid = err == EWOULDBLOCK ? holder_pid(fd_) : 0;
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) throw_os_error("cannot lock \"" + file_ + "\"", err);
    throw Error(
        sqlstate::kObjectInUse,
        "database at " + dir + " is already open (" +
            (pid ? "locked by pid " + std::to_string(pid) : std::string("locked by another process")) + ")");
  }

  const std::string content = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 ||
      ::pwrite(fd_, content.data(), content.size(), 0) != ssize_t(content.size())) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw_os_error("cannot write lock file \"" + file_ + "\"", err);
  }
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);
}

void DirLock::release_and_remove_if_created() noexcept {
  if (fd_ < 0) return;
  if (created_) ::unlink(file_.c_str());
  ::close(fd_);
  fd_ = -1;
}

}  // namespace pglite::internal
