// The guest file system of one wasm process: a mount table composing "/"
// (read-only bundle, devices, read-write host and in-memory directories),
// the cwd and the fd table. Paths are guest paths; results are >= 0 on
// success or -guest errno (WASI numbering, see errno_wasi.h). Methods may
// throw std::bad_alloc; the import wrappers turn that into ENOMEM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fs/bundle.h"
#include "fs/bundle_mount.h"
#include "fs/fs_clone.h"
#include "fs/guest_abi.h"
#include "fs/memory_dir.h"
#include "fs/mount.h"
#include "fs/open_file.h"

namespace pglite::shim {

class FileSystem {
 public:
  static constexpr int kMaxFds = 4096;
  /// New fds (open, dup, pipe) are the lowest free number >= this.
  static constexpr int kFirstFreeFd = 3;

  FileSystem();
  ~FileSystem();
  FileSystem(const FileSystem&) = delete;
  FileSystem& operator=(const FileSystem&) = delete;

  // ---- Setup (embedder) ----
  /// Read-only tree at "/" for every path not under a host mount.
  void mount_bundle(std::shared_ptr<const Bundle> bundle);
  /// Read-write host directory at `guest_prefix` (absolute; remounting a
  /// prefix replaces it). Throws std::system_error if `host_dir` cannot be
  /// opened as a directory, std::invalid_argument for a bad prefix.
  void mount_host_dir(std::string guest_prefix, std::string host_dir);
  /// Read-write in-memory tree at `guest_prefix`, same rules as
  /// mount_host_dir. The FileSystem shares ownership of `dir`; the embedder
  /// may keep a reference to read its usage. Throws std::invalid_argument
  /// for a bad prefix or a null `dir`.
  void mount_memory_dir(std::string guest_prefix, std::shared_ptr<MemoryDir> dir);
  /// Hooks behind fds 0-2; an empty stdin hook reads EOF, empty output hooks
  /// discard. May be called at any time.
  void set_stdio(std::function<int64_t(uint8_t*, size_t)> read_stdin,
                 std::function<void(std::string_view)> write_stdout,
                 std::function<void(std::string_view)> write_stderr);
  /// false: fsync/fdatasync/O_SYNC become no-ops (relaxed durability).
  void set_fsync_enabled(bool enabled) { fsync_enabled_ = enabled; }
  /// An independent copy: the same bundle and host directories, a copy of
  /// each in-memory tree (blocks shared copy-on-write, recorded in `c`),
  /// and every fd open on the same file at the same offset, stdio bound to
  /// new hooks (set_stdio). Null if an open fd cannot be copied (a host
  /// file). Not while the guest runs.
  std::unique_ptr<FileSystem> clone(FsClone* c) const;

  /// Sets the cwd (must be an existing directory). 0 or -errno.
  int set_cwd(std::string_view path);
  const std::string& cwd() const { return cwd_; }

  // ---- Path operations; dirfd may be guest::kAtFdcwd ----
  int open(int dirfd, std::string_view path, uint32_t flags, uint32_t mode);
  /// at_flags: guest::kAtSymlinkNofollow, guest::kAtEmptyPath.
  int stat(int dirfd, std::string_view path, uint32_t at_flags, FileStat* st);
  int statfs(std::string_view path, FsStat* out);
  int mkdir(int dirfd, std::string_view path, uint32_t mode);
  /// at_flags: guest::kAtRemoveDir.
  int unlink(int dirfd, std::string_view path, uint32_t at_flags);
  int rename(int olddirfd, std::string_view oldpath, int newdirfd, std::string_view newpath);
  /// amode: R_OK 4 | W_OK 2 | X_OK 1, or F_OK 0.
  int access(int dirfd, std::string_view path, uint32_t amode);
  int chmod(int dirfd, std::string_view path, uint32_t mode);
  /// Ownership is not modelled: succeeds if the path exists.
  int chown(int dirfd, std::string_view path);
  int truncate(std::string_view path, uint64_t length);
  /// times: {atime, mtime} (UTIME_NOW/UTIME_OMIT allowed) or nullptr for
  /// now. An empty path means dirfd itself.
  int utimens(int dirfd, std::string_view path, const timespec* times);
  /// Symlinks are never followed nor created: ENOENT or EINVAL.
  int readlink(int dirfd, std::string_view path);
  int chdir(std::string_view path) { return set_cwd(path); }

  // ---- fd operations ----
  bool is_valid_fd(int fd) const;
  int close(int fd);
  int64_t read(int fd, void* dst, size_t len);
  int64_t write(int fd, const void* src, size_t len);
  /// Positional read, e.g. for file-backed mmap.
  int64_t pread_fd(int guest_fd, void* dst, size_t len, uint64_t offset);
  int64_t pwrite_fd(int guest_fd, const void* src, size_t len, uint64_t offset);
  int64_t seek(int fd, int64_t offset, int whence);
  int fstat(int fd, FileStat* st);
  int ftruncate(int fd, uint64_t length);
  int fallocate(int fd, uint64_t offset, uint64_t length);
  int fsync(int fd, bool data_only);
  int fchmod(int fd, uint32_t mode);
  int futimens(int fd, const timespec* times);
  /// Lowest free fd >= max(min_fd, 0) sharing fd's open file description.
  int dup(int fd, int min_fd = kFirstFreeFd);
  /// Makes newfd refer to fd's description, closing newfd first.
  int dup3(int fd, int newfd);
  int get_status_flags(int fd);
  int set_status_flags(int fd, uint32_t flags);
  /// Up to `max` directory entries from the fd's position.
  int read_dir(int fd, size_t max, std::vector<DirEntry>* out);
  /// In-process pipe: fds[0] read end, fds[1] write end.
  int pipe(int fds[2]);
  /// An fd standing for a socket whose traffic the guest routes elsewhere
  /// (pg_dump's libpq sends through callbacks): reads EOF, discards writes.
  int socket_placeholder();
  /// WASI filetype and fdflags for fd_fdstat_get.
  int fdstat(int fd, uint8_t* filetype, uint16_t* fdflags);
  /// 1 if a terminal (stdio), 0 if not, or -EBADF.
  int is_tty(int fd);

 private:
  struct MountPoint {
    std::string prefix;
    std::unique_ptr<Mount> mount;
  };
  /// A normalised guest path and the mount holding it.
  struct Resolved {
    std::string path;
    bool trailing_slash = false;
    Mount* mount = nullptr;
    std::string rel;  // below the mount's root

    MountPath at() const { return {rel, path, trailing_slash}; }
  };

  OpenFile* get(int fd) const;
  int alloc_fd(int min_fd) const;
  int install(int min_fd, OpenFilePtr file);
  int resolve(int dirfd, std::string_view path, Resolved* out) const;
  /// Sets r->mount and r->rel for r->path.
  void locate(Resolved* r) const;
  int stat_resolved(const Resolved& r, bool follow, FileStat* st) const;
  /// Validated, normalised mount point (std::invalid_argument otherwise).
  static std::string mount_point(const std::string& guest_prefix);
  void add_mount(std::string prefix, std::unique_ptr<Mount> mount);

  // "/": every path under no other mount, and the devices. Held by pointer
  // so const lookups can hand out a mutable Mount*.
  std::unique_ptr<BundleMount> bundle_ = std::make_unique<BundleMount>();
  std::vector<MountPoint> mounts_;
  std::vector<OpenFilePtr> fds_;
  std::shared_ptr<StdioHooks> stdio_;
  std::string cwd_ = "/";
  bool fsync_enabled_ = true;
};

}  // namespace pglite::shim
