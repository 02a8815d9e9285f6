// Directory streams. The listing is snapshotted on first read (and again
// after a rewind), like Emscripten, so entries removed while iterating do
// not confuse the position. Positions are entry indices; the guest sees
// them scaled by the dirent record size, matching getdents64's d_off.
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

class DirFile final : public OpenFile {
 public:
  DirFile(int fd, uint32_t flags, std::string path, std::vector<DirEntry> entries, const FileStat& st)
      : OpenFile(flags, std::move(path)), fd_(fd), entries_(std::move(entries)), st_(st) {
    loaded_ = fd_ < 0;
  }
  ~DirFile() override {
    if (fd_ >= 0) close(fd_);
  }

  int64_t read(void*, size_t) override { return -w::kISDIR; }
  int64_t write(const void*, size_t) override { return -w::kISDIR; }
  int64_t pread(void*, size_t, uint64_t) override { return -w::kISDIR; }
  int64_t pwrite(const void*, size_t, uint64_t) override { return -w::kISDIR; }

  int64_t seek(int64_t off, int whence) override {
    constexpr int64_t kRec = guest::kDirentSize;
    if (whence == SEEK_CUR && off == 0) return static_cast<int64_t>(pos_) * kRec;
    if (whence != SEEK_SET || off < 0 || off % kRec != 0) return -w::kINVAL;
    pos_ = static_cast<size_t>(off / kRec);
    if (pos_ == 0 && fd_ >= 0) loaded_ = false;  // rewinddir(): fresh listing
    return off;
  }

  int read_dir(size_t max, std::vector<DirEntry>* out) override {
    if (!loaded_) {
      if (int r = load(); r < 0) return r;
    }
    out->clear();
    while (pos_ < entries_.size() && out->size() < max) out->push_back(entries_[pos_++]);
    return 0;
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
  bool is_dir() const override { return true; }
  uint8_t wasi_filetype() const override { return guest::kWasiFiletypeDirectory; }

 private:
  int load() {
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
    entries_ = std::move(list);
    loaded_ = true;
    return 0;
  }

  int fd_;
  std::vector<DirEntry> entries_;
  FileStat st_;
  size_t pos_ = 0;
  bool loaded_;
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
