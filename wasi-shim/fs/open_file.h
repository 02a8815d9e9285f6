// Open file descriptions: what a guest fd refers to. dup()ed fds share one
// object (shared_ptr), so they share offset and status flags as in POSIX.
// All methods return >= 0 on success or -guest errno; none throw except
// std::bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fs/bundle.h"
#include "fs/errno_wasi.h"
#include "fs/guest_abi.h"

namespace pglite::shim {

struct FsClone;

class OpenFile {
 public:
  OpenFile(uint32_t flags, std::string path) : flags_(flags), path_(std::move(path)) {}
  virtual ~OpenFile() = default;
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;

  /// Guest open flags: access mode plus status flags (O_APPEND, ...).
  uint32_t flags() const { return flags_; }
  /// Normalised guest path it was opened by (for *at() relative lookups).
  const std::string& path() const { return path_; }
  bool readable() const { return (flags_ & guest::kO_ACCMODE) != guest::kO_WRONLY; }
  bool writable() const { return (flags_ & guest::kO_ACCMODE) != guest::kO_RDONLY; }

  virtual int64_t read(void*, size_t) { return -wasi_errno::kINVAL; }
  virtual int64_t write(const void*, size_t) { return -wasi_errno::kINVAL; }
  virtual int64_t pread(void*, size_t, uint64_t) { return -wasi_errno::kSPIPE; }
  virtual int64_t pwrite(const void*, size_t, uint64_t) { return -wasi_errno::kSPIPE; }
  virtual int64_t seek(int64_t, int /*whence*/) { return -wasi_errno::kSPIPE; }
  virtual int stat(FileStat* st) = 0;
  virtual int sync(bool /*data_only*/) { return 0; }
  virtual int truncate(uint64_t) { return -wasi_errno::kINVAL; }
  virtual int allocate(uint64_t, uint64_t) { return -wasi_errno::kNODEV; }
  virtual int chmod(uint32_t) { return -wasi_errno::kPERM; }
  virtual int utimens(const timespec* /*times or nullptr*/) { return -wasi_errno::kPERM; }
  /// Up to `max` entries from the current position, advancing it.
  virtual int read_dir(size_t /*max*/, std::vector<DirEntry>*) { return -wasi_errno::kNOTDIR; }
  virtual bool is_dir() const { return false; }
  virtual bool is_tty() const { return false; }
  virtual uint8_t wasi_filetype() const { return guest::kWasiFiletypeUnknown; }

  /// This description in a copy of its file system (FileSystem::clone):
  /// same file, offset and flags, independent from then on. Null if it
  /// cannot be copied (host files: the offset would be shared).
  virtual std::shared_ptr<OpenFile> clone(FsClone& /*c*/) const { return nullptr; }

  /// F_SETFL: only O_APPEND and O_NONBLOCK may change.
  virtual int set_status_flags(uint32_t f) {
    constexpr uint32_t kMutable = guest::kO_APPEND | guest::kO_NONBLOCK;
    flags_ = (flags_ & ~kMutable) | (f & kMutable);
    return 0;
  }

 protected:
  uint32_t flags_;
  std::string path_;
};

using OpenFilePtr = std::shared_ptr<OpenFile>;

enum class Device { kNull, kZero, kRandom };

/// Embedder stdio. stdin returns bytes read, 0 at EOF or -guest errno.
struct StdioHooks {
  std::function<int64_t(uint8_t*, size_t)> read_stdin;
  std::function<void(std::string_view)> write_stdout;
  std::function<void(std::string_view)> write_stderr;
};

/// Takes ownership of `host_fd` (a regular file or other non-directory).
OpenFilePtr make_host_file(int host_fd, uint32_t flags, std::string path);
/// Directory stream; `host_fd` (owned, O_RDONLY|O_DIRECTORY) or -1 for a
/// read-only directory whose `entries` and `st` are given up front.
OpenFilePtr make_dir_file(int host_fd, uint32_t flags, std::string path, std::vector<DirEntry> entries,
                          const FileStat& st);
/// Bundle file; `bundle` keeps `node`'s memory alive.
OpenFilePtr make_bundle_file(std::shared_ptr<const Bundle> bundle, const Bundle::Node* node, uint32_t flags,
                             std::string path, const FileStat& st);
OpenFilePtr make_device_file(Device dev, uint32_t flags, std::string path, const FileStat& st);
/// fd 0, 1 or 2 bound to the (replaceable) hooks.
OpenFilePtr make_stdio_file(int fd, std::shared_ptr<const StdioHooks> hooks);
/// In-process pipe; reads never block (EAGAIN when empty, 0 once the write
/// end is closed) since the single-threaded guest could never be woken.
void make_pipe(OpenFilePtr* read_end, OpenFilePtr* write_end);

/// lseek arithmetic for byte-addressed files: moves *pos and returns the new
/// offset, or -EINVAL for a bad whence or a result outside [0, INT64_MAX].
inline int64_t seek_position(uint64_t* pos, int64_t off, int whence, uint64_t size) {
  int64_t base = whence == 0   ? 0
                 : whence == 1 ? static_cast<int64_t>(*pos)
                 : whence == 2 ? static_cast<int64_t>(size)
                               : -1;
  if (base < 0) return -wasi_errno::kINVAL;
  if ((off > 0 && base > INT64_MAX - off) || base + off < 0) return -wasi_errno::kINVAL;
  *pos = static_cast<uint64_t>(base + off);
  return base + off;
}

/// A directory fd. The listing is snapshotted on first read (and again after
/// a rewind, when reloadable), so entries removed while iterating do not
/// confuse the position. Positions are entry indices; the guest sees them
/// scaled by the dirent record size, matching getdents64's d_off.
class DirStream : public OpenFile {
 public:
  using OpenFile::OpenFile;

  int64_t read(void*, size_t) override { return -wasi_errno::kISDIR; }
  int64_t write(const void*, size_t) override { return -wasi_errno::kISDIR; }
  int64_t pread(void*, size_t, uint64_t) override { return -wasi_errno::kISDIR; }
  int64_t pwrite(const void*, size_t, uint64_t) override { return -wasi_errno::kISDIR; }

  int64_t seek(int64_t off, int whence) override {
    constexpr int64_t kRec = guest::kDirentSize;
    if (whence == 1 && off == 0) return static_cast<int64_t>(pos_) * kRec;
    if (whence != 0 || off < 0 || off % kRec != 0) return -wasi_errno::kINVAL;
    pos_ = static_cast<size_t>(off / kRec);
    if (pos_ == 0 && reloadable()) loaded_ = false;  // rewinddir(): fresh listing
    return off;
  }

  int read_dir(size_t max, std::vector<DirEntry>* out) override {
    if (!loaded_) {
      if (int r = load(&entries_); r < 0) return r;
      loaded_ = true;
    }
    out->clear();
    while (pos_ < entries_.size() && out->size() < max) out->push_back(entries_[pos_++]);
    return 0;
  }

  bool is_dir() const override { return true; }
  uint8_t wasi_filetype() const override { return guest::kWasiFiletypeDirectory; }

 protected:
  /// Replaces *entries with a fresh listing; 0 or -errno.
  virtual int load(std::vector<DirEntry>* entries) = 0;
  /// false for listings given up front, which a rewind must keep.
  virtual bool reloadable() const { return true; }

  std::vector<DirEntry> entries_;
  size_t pos_ = 0;
  bool loaded_ = false;
};

}  // namespace pglite::shim
