// A MemoryDir as a mount. The tree has no symlinks, so stat ignores
// `follow`; everything else is MemoryDir's own operation on the path below
// the mount root.
#pragma once

#include <memory>

#include "fs/memory_dir.h"
#include "fs/mount.h"

namespace pglite::shim {

class MemoryMount final : public Mount {
 public:
  /// Shares ownership of `dir` with the embedder (it may read its usage).
  explicit MemoryMount(std::shared_ptr<MemoryDir> dir) : dir_(std::move(dir)) {}

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
  std::shared_ptr<MemoryDir> dir_;
};

}  // namespace pglite::shim
