// Directory streams over host directories (and fixed listings).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/errno_map.h"
#include "fs/host_stat.h"
#include "fs/open_file.h"

namespace pglite::shim {
namespace {

namespace w = wasi_errno;

class DirFile final : public DirStream {
 public:
  DirFile(int fd, uint32_t flags, std::string path, std::vector<DirEntry> entries, const FileStat& st)
      : DirStream(flags, std::move(path)), fd_(fd), st_(st) {
    entries_ = std::move(entries);
    loaded_ = fd_ < 0;
  }
  ~DirFile() override {
    if (fd_ >= 0) close(fd_);
  }

  int stat(FileStat* out) override {
    if (fd_ < 0) {
      *out = st_;
      return 0;
    }
    struct stat st;
    if (fstat(fd_, &st) != 0) return neg_guest_errno_from_host();
    *out = guest_stat_from_host(st);
    return 0;
  }
  int sync(bool data_only) override {
    if (fd_ < 0) return 0;
    int r = data_only ? fdatasync(fd_) : fsync(fd_);
    return r == 0 ? 0 : neg_guest_errno_from_host();
  }
  int chmod(uint32_t mode) override {
    if (fd_ < 0) return -w::kROFS;
    return fchmod(fd_, mode & 07777) == 0 ? 0 : neg_guest_errno_from_host();
  }
  int utimens(const timespec* times) override {
    if (fd_ < 0) return -w::kROFS;
    return futimens(fd_, times) == 0 ? 0 : neg_guest_errno_from_host();
  }
  bool reloadable() const override { return fd_ >= 0; }

 private:
  int load(std::vector<DirEntry>* entries) override {
    // A separate description so the snapshot does not disturb fd_'s offset;
    // "." relative to a directory fd cannot leave it.
    int dfd = openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return neg_guest_errno_from_host();
    DIR* d = fdopendir(dfd);
    if (d == nullptr) {
      int r = neg_guest_errno_from_host();
      close(dfd);
      return r;
    }
    std::vector<DirEntry> list;
    try {
      while (dirent* e = readdir(d)) {
        DirEntry de{e->d_name, e->d_ino, guest_dtype_from_host_mode(DTTOIF(e->d_type))};
        struct stat st;
        if (e->d_type == DT_UNKNOWN && fstatat(fd_, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
          de.type = guest_dtype_from_host_mode(st.st_mode);
        }
        list.push_back(std::move(de));
      }
    } catch (...) {
      closedir(d);
      throw;
    }
    closedir(d);
    *entries = std::move(list);
    return 0;
  }

  int fd_;
  FileStat st_;
};

}  // namespace

OpenFilePtr make_dir_file(int host_fd, uint32_t flags, std::string path, std::vector<DirEntry> entries,
                          const FileStat& st) {
  try {
    return std::make_shared<DirFile>(host_fd, flags, std::move(path), std::move(entries), st);
  } catch (...) {
    if (host_fd >= 0) close(host_fd);
    throw;
  }
}

}  // namespace pglite::shim
