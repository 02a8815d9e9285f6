#include "fs/memory_mount.h"

#include <string>

#include "fs/fs_clone.h"

namespace pglite::shim {

std::unique_ptr<Mount> MemoryMount::clone(FsClone& c) const {
  return std::make_unique<MemoryMount>(dir_->clone(&c));
}

int MemoryMount::open(const MountPath& p, const OpenRequest& req, OpenFilePtr* out) {
  return dir_->open(p.rel, p.trailing_slash, req.flags, req.mode, req.kept_flags, std::string(p.guest), out);
}

int MemoryMount::stat(const MountPath& p, bool, FileStat* st) const {
  return dir_->stat(p.rel, p.trailing_slash, st);
}

int MemoryMount::statfs(const MountPath&, FsStat* out) const {
  dir_->statfs(out);
  return 0;
}

int MemoryMount::mkdir(const MountPath& p, uint32_t mode) { return dir_->mkdir(p.rel, mode); }

int MemoryMount::unlink(const MountPath& p, bool remove_dir) {
  return dir_->unlink(p.rel, p.trailing_slash, remove_dir);
}

int MemoryMount::rename(const MountPath& from, const MountPath& to) {
  return dir_->rename(from.rel, from.trailing_slash, to.rel, to.trailing_slash);
}

int MemoryMount::access(const MountPath& p, uint32_t amode) const { return dir_->access(p.rel, amode); }

int MemoryMount::chmod(const MountPath& p, uint32_t mode) { return dir_->chmod(p.rel, mode); }

int MemoryMount::truncate(const MountPath& p, uint64_t length) { return dir_->truncate(p.rel, length); }

int MemoryMount::utimens(const MountPath& p, const timespec* times) { return dir_->utimens(p.rel, times); }

}  // namespace pglite::shim
