// The read-only tree (bundle, /dev devices, mount-point directories) as the
// mount at "/". It is keyed by whole guest paths, so it uses MountPath::guest.
// Mutations fail as on a read-only Linux mount: EROFS if the path exists,
// ENOENT if it (or, when creating, its parent directory) does not; devices
// accept writes, truncation and timestamps.
#pragma once

#include <string_view>

#include "fs/mount.h"
#include "fs/ro_tree.h"

namespace pglite::shim {

class BundleMount final : public Mount {
 public:
  ReadOnlyTree& tree() { return tree_; }

  int open(const MountPath& p, const OpenRequest& req, OpenFilePtr* out) override;
  int stat(const MountPath& p, bool follow, FileStat* st) const override;
  int statfs(const MountPath& p, FsStat* out) const override;
  int mkdir(const MountPath& p, uint32_t mode) override;
  int unlink(const MountPath& p, bool remove_dir) override;
  int rename(const MountPath& from, const MountPath& to) override;
  int rename_to_other_mount(const MountPath& from) const override;
  int access(const MountPath& p, uint32_t amode) const override;
  int chmod(const MountPath& p, uint32_t mode) override;
  int truncate(const MountPath& p, uint64_t length) override;
  int utimens(const MountPath& p, const timespec* times) override;

 private:
  /// EROFS, or ENOENT if `path` (or, when `creating`, its parent) is missing.
  int mutation_error(std::string_view path, bool creating) const;

  ReadOnlyTree tree_;
};

}  // namespace pglite::shim
