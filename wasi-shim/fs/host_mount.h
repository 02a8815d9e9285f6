// A host directory as a mount. Paths are only ever touched through HostDir
// (confined beneath the mount root) plus *at() calls on a single final
// component that do not follow a trailing symlink.
#pragma once

#include <string>

#include "fs/host_dir.h"
#include "fs/mount.h"

namespace pglite::shim {

class HostMount final : public Mount {
 public:
  /// Throws std::system_error if `host_path` cannot be opened as a directory.
  explicit HostMount(const std::string& host_path) : host_path_(host_path), dir_(host_path) {}

  std::unique_ptr<Mount> clone(FsClone& c) const override;
  int open(const MountPath& p, const OpenRequest& req, OpenFilePtr* out) override;
  int stat(const MountPath& p, bool follow, FileStat* st) const override;
  int statfs(const MountPath& p, FsStat* out) const override;
  int mkdir(const MountPath& p, uint32_t mode) override;
  int unlink(const MountPath& p, bool remove_dir) override;
  int rename(const MountPath& from, const MountPath& to) override;
  int access(const MountPath& p, uint32_t amode) const override;
  int chmod(const MountPath& p, uint32_t mode) override;
  int truncate(const MountPath& p, uint64_t length) override;
  int utimens(const MountPath& p, const timespec* times) override;

 private:
  std::string host_path_;
  HostDir dir_;
};

}  // namespace pglite::shim
