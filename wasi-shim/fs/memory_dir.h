// A read-write directory tree held entirely in memory, mounted into the
// guest with FileSystem::mount_memory_dir (e.g. the PGDATA of a temporary
// database). It starts as a copy-on-write view of a shared MemoryImage:
// creating one copies only the node tree, and file blocks are copied one
// 8 KiB block at a time when first written.
//
// Path arguments are normalised paths below the mount root ("" = root, no
// ".", ".." or empty components); FileSystem resolves guest paths before
// calling in, so nothing outside the tree is reachable. Results are >= 0 or
// -guest errno, with the errors a Linux host mount would give. One tree is
// used by one thread at a time; trees sharing an image may run in parallel
// (the image is immutable and blocks are shared through atomic refcounts).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fs/guest_abi.h"
#include "fs/memory_file_data.h"
#include "fs/memory_image.h"
#include "fs/memory_node.h"
#include "fs/open_file.h"

namespace pglite::shim {

struct FsClone;

class MemoryDir {
 public:
  /// A tree with the contents of `image` (an empty root with mode 0700 if
  /// null). O(number of nodes) pointer copies; no file data is copied.
  explicit MemoryDir(const std::shared_ptr<const MemoryImage>& image = nullptr);
  ~MemoryDir();
  MemoryDir(const MemoryDir&) = delete;
  MemoryDir& operator=(const MemoryDir&) = delete;

  /// Bytes of blocks this tree owns privately (written since creation and
  /// still referenced, including by unlinked but open files).
  uint64_t private_bytes() const { return usage_->used_bytes; }
  /// Writes needing new private blocks beyond `limit` bytes fail with
  /// ENOSPC (0 = unlimited, the default).
  void set_limit_bytes(uint64_t limit) { usage_->limit_bytes = limit; }
  uint64_t limit_bytes() const { return usage_->limit_bytes; }

  // ---- Guest operations (FileSystem calls them through MemoryMount) ----
  /// `kept_flags` are the flags the description remembers (F_GETFL);
  /// `guest_path` is the normalised guest path, for *at() lookups.
  int open(std::string_view rel, bool trailing_slash, uint32_t flags, uint32_t mode, uint32_t kept_flags,
           std::string guest_path, OpenFilePtr* out);
  int stat(std::string_view rel, bool trailing_slash, FileStat* st) const;
  int mkdir(std::string_view rel, uint32_t mode);
  /// unlink(2), or rmdir(2) if `remove_dir`.
  int unlink(std::string_view rel, bool trailing_slash, bool remove_dir);
  int rename(std::string_view from, bool from_slash, std::string_view to, bool to_slash);
  int access(std::string_view rel, uint32_t amode) const;
  int chmod(std::string_view rel, uint32_t mode);
  int truncate(std::string_view rel, uint64_t length);
  int utimens(std::string_view rel, const timespec* times);
  /// Capacity: the limit, or a generous 1 TiB when unlimited.
  void statfs(FsStat* out) const;

  /// An independent tree with the same contents, sharing every block
  /// copy-on-write (O(number of nodes), no file data copied); records each
  /// node's copy in `c`. Same limit; the copy's private bytes start at 0.
  std::shared_ptr<MemoryDir> clone(FsClone* c) const;
  /// Copies `node` (and its children) into this tree's accounting,
  /// recording the copies in `c`; for files unlinked but still open.
  MemoryNode::Ptr copy_node(MemoryNode& node, FsClone* c);
  uint32_t dev() const { return dev_; }

  /// The tree as it is now, as an image other MemoryDirs can start from.
  /// Shares the file blocks (copy-on-write from then on), copies nothing.
  std::shared_ptr<const MemoryImage> snapshot() const;

 private:
  struct Walk {
    MemoryNode* parent = nullptr;  // nullptr for the root
    std::string_view name;         // last component
    MemoryNode::Ptr node;          // nullptr if absent (parent exists)
  };
  /// Looks `rel` up; ENOENT / ENOTDIR if a directory on the way is missing.
  int walk(std::string_view rel, Walk* out) const;
  MemoryNode::Ptr copy(const MemoryImage::Node& n, timespec t);

  std::shared_ptr<MemoryUsage> usage_;
  MemoryNode::Ptr root_;
  uint64_t next_ino_ = 1;
  uint32_t dev_;
};

}  // namespace pglite::shim
