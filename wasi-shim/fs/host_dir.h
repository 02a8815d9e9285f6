// A host directory exposed to the guest. Every lookup is confined beneath
// the mount root: openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) where the
// kernel has it, otherwise a component walk with O_NOFOLLOW. Symlinks are
// never followed, so the guest cannot reach host paths outside the mount.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace pglite::shim {

class HostDir {
 public:
  /// Opens the mount root. Throws std::system_error if it is not a directory.
  explicit HostDir(const std::string& host_path);
  ~HostDir();
  HostDir(const HostDir&) = delete;
  HostDir& operator=(const HostDir&) = delete;

  /// Testing aid: false forces the component-walk fallback used on kernels
  /// without openat2; true re-probes the kernel.
  static void use_openat2_for_testing(bool use);

  /// O_PATH fd of the mount root (owned by this object).
  int root_fd() const { return root_; }

  /// Opens `rel` ("" = root; normalised, no "..") beneath the root.
  /// Returns a host fd (O_CLOEXEC) or -host errno; ELOOP for any symlink.
  int open(std::string_view rel, int flags, mode_t mode) const;

  /// Opens the parent directory of non-empty `rel` as O_PATH and sets
  /// `*name` to the last component, for use with the *at(2) calls that do
  /// not follow a trailing symlink. Returns a host fd or -host errno.
  int open_parent(std::string_view rel, std::string* name) const;

 private:
  int open_walk(std::string_view rel, int flags, mode_t mode) const;

  int root_ = -1;
};

}  // namespace pglite::shim
