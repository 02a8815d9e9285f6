// One kind of storage mounted into the guest namespace, after LevelDB's Env
// (env_posix.cc, memenv.cc): FileSystem resolves a guest path once to the
// mount holding it and calls the mount, which alone knows its kind. Results
// are >= 0 or -guest errno (errno_wasi.h), the errors a Linux mount gives.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <string_view>

#include "fs/errno_wasi.h"
#include "fs/guest_abi.h"
#include "fs/open_file.h"

namespace pglite::shim {

/// A normalised guest path as seen by the mount holding it.
struct MountPath {
  std::string_view rel;         // below the mount root ("" = the root itself)
  std::string_view guest;       // the whole guest path; open files keep it for *at() lookups
  bool trailing_slash = false;  // the guest wrote "name/", so it must be a directory
};

struct OpenRequest {
  uint32_t flags = 0;        // guest O_* flags
  uint32_t mode = 0;         // permission bits for a created file
  uint32_t kept_flags = 0;   // what the open file description reports to F_GETFL
  bool sync_enabled = true;  // false: O_SYNC / O_DSYNC are not honoured (relaxed durability)
};

struct FsClone;

class Mount {
 public:
  virtual ~Mount() = default;

  /// This mount in a copy of its file system (FileSystem::clone): an
  /// in-memory tree is copied (recorded in `c`), a host directory is the
  /// same directory. Null if it cannot be (FileSystem rebuilds the
  /// read-only tree itself).
  virtual std::unique_ptr<Mount> clone(FsClone& /*c*/) const { return nullptr; }

  virtual int open(const MountPath& p, const OpenRequest& req, OpenFilePtr* out) = 0;
  /// `follow`: stat rather than lstat. Symlinks are never followed, so a
  /// followed one is ELOOP.
  virtual int stat(const MountPath& p, bool follow, FileStat* st) const = 0;
  /// Capacity of the mount holding existing `p`; `*out` arrives zeroed.
  virtual int statfs(const MountPath& p, FsStat* out) const = 0;
  virtual int mkdir(const MountPath& p, uint32_t mode) = 0;
  /// unlink(2), or rmdir(2) if `remove_dir`.
  virtual int unlink(const MountPath& p, bool remove_dir) = 0;
  /// Both paths lie in this mount.
  virtual int rename(const MountPath& from, const MountPath& to) = 0;
  /// The error for renaming `from` out of this mount: renames never cross
  /// mounts (EXDEV), but a mount may know the source is missing first.
  virtual int rename_to_other_mount(const MountPath&) const { return -wasi_errno::kXDEV; }
  /// amode: R_OK 4 | W_OK 2 | X_OK 1, or F_OK 0. `p` is known to exist.
  virtual int access(const MountPath& p, uint32_t amode) const = 0;
  /// `p` is known to exist.
  virtual int chmod(const MountPath& p, uint32_t mode) = 0;
  virtual int truncate(const MountPath& p, uint64_t length) = 0;
  /// times: {atime, mtime} (UTIME_NOW / UTIME_OMIT allowed) or nullptr for now.
  virtual int utimens(const MountPath& p, const timespec* times) = 0;
};

}  // namespace pglite::shim
