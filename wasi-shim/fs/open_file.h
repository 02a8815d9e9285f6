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

}  // namespace pglite::shim
