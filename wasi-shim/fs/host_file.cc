// A guest fd backed by a host fd (regular files in host mounts).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "fs/errno_map.h"
#include "fs/host_stat.h"
#include "fs/open_file.h"

namespace pglite::shim {
namespace {

namespace w = wasi_errno;

// Retries EINTR; maps failures to -guest errno.
template <typename F>
int64_t retry(F f) {
  while (true) {
    auto r = f();
    if (r >= 0) return static_cast<int64_t>(r);
    if (errno != EINTR) return neg_guest_errno_from_host();
  }
}

size_t clamp_len(size_t n) { return n > SSIZE_MAX ? SSIZE_MAX : n; }

class HostFile final : public OpenFile {
 public:
  HostFile(int fd, uint32_t flags, std::string path) : OpenFile(flags, std::move(path)), fd_(fd) {
    struct stat st;
    if (fstat(fd_, &st) == 0) mode_ = st.st_mode;
  }
  ~HostFile() override { close(fd_); }

  int64_t read(void* dst, size_t n) override {
    return retry([&] { return ::read(fd_, dst, clamp_len(n)); });
  }
  int64_t write(const void* src, size_t n) override {
    return retry([&] { return ::write(fd_, src, clamp_len(n)); });
  }
  int64_t pread(void* dst, size_t n, uint64_t off) override {
    if (off > INT64_MAX) return -w::kINVAL;
    return retry([&] { return ::pread(fd_, dst, clamp_len(n), static_cast<off_t>(off)); });
  }
  int64_t pwrite(const void* src, size_t n, uint64_t off) override {
    if (off > INT64_MAX) return -w::kINVAL;
    return retry([&] { return ::pwrite(fd_, src, clamp_len(n), static_cast<off_t>(off)); });
  }
  int64_t seek(int64_t off, int whence) override {
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) return -w::kINVAL;
    off_t r = lseek(fd_, off, whence);
    return r < 0 ? neg_guest_errno_from_host() : r;
  }
  int stat(FileStat* out) override {
    struct stat st;
    if (fstat(fd_, &st) != 0) return neg_guest_errno_from_host();
    *out = guest_stat_from_host(st);
    return 0;
  }
  int sync(bool data_only) override {
    return static_cast<int>(retry([&] { return data_only ? fdatasync(fd_) : fsync(fd_); }));
  }
  int truncate(uint64_t len) override {
    if (len > INT64_MAX) return -w::kFBIG;
    return static_cast<int>(retry([&] { return ftruncate(fd_, static_cast<off_t>(len)); }));
  }
  int allocate(uint64_t off, uint64_t len) override {
    if (off > INT64_MAX || len > INT64_MAX - off) return -w::kFBIG;
    int r = posix_fallocate(fd_, static_cast<off_t>(off), static_cast<off_t>(len));
    return r == 0 ? 0 : -host_to_guest_errno(r);
  }
  int chmod(uint32_t mode) override {
    return fchmod(fd_, mode & 07777) == 0 ? 0 : neg_guest_errno_from_host();
  }
  int utimens(const timespec* times) override {
    return futimens(fd_, times) == 0 ? 0 : neg_guest_errno_from_host();
  }
  int set_status_flags(uint32_t f) override {
    int host = fcntl(fd_, F_GETFL);
    if (host < 0) return neg_guest_errno_from_host();
    host &= ~(O_APPEND | O_NONBLOCK);
    if (f & guest::kO_APPEND) host |= O_APPEND;
    if (f & guest::kO_NONBLOCK) host |= O_NONBLOCK;
    if (fcntl(fd_, F_SETFL, host) != 0) return neg_guest_errno_from_host();
    return OpenFile::set_status_flags(f);
  }
  uint8_t wasi_filetype() const override {
    // Emscripten's isatty() treats every character device as a terminal,
    // so only plain files report a type here.
    return S_ISREG(mode_) ? guest::kWasiFiletypeRegular : guest::kWasiFiletypeUnknown;
  }

 private:
  int fd_;
  mode_t mode_ = S_IFREG;
};

}  // namespace

OpenFilePtr make_host_file(int host_fd, uint32_t flags, std::string path) {
  try {
    return std::make_shared<HostFile>(host_fd, flags, std::move(path));
  } catch (...) {
    close(host_fd);
    throw;
  }
}

}  // namespace pglite::shim
