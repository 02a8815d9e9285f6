// One file or directory of a MemoryDir (its inode). Directories own their
// children; open fds hold nodes by shared_ptr, so an unlinked file keeps
// working until its last fd closes, as POSIX requires.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <string>

#include "fs/guest_abi.h"
#include "fs/memory_file_data.h"

namespace pglite::shim {

class MemoryNode {
 public:
  using Ptr = std::shared_ptr<MemoryNode>;

  static Ptr make_dir(uint32_t mode, uint64_t ino, timespec t);
  static Ptr make_file(uint32_t mode, uint64_t ino, timespec t, std::shared_ptr<MemoryUsage> usage,
                       std::shared_ptr<const MemoryBlockList> blocks = nullptr, uint64_t size = 0);

  /// Use make_dir / make_file.
  MemoryNode(bool is_dir, uint32_t mode, uint64_t ino, timespec t, std::shared_ptr<MemoryUsage> usage,
             std::shared_ptr<const MemoryBlockList> blocks, uint64_t size);

  bool is_dir() const { return is_dir_; }
  uint64_t ino() const { return ino_; }
  uint32_t mode() const { return mode_; }
  /// Stat as a host mount reports it (group/other bits cleared, uid 0).
  FileStat stat(uint32_t dev) const;

  /// mtime and ctime = now (contents changed).
  void modified();
  /// ctime = now (metadata changed).
  void changed();
  void chmod(uint32_t mode);
  /// utimensat semantics: nullptr = now; UTIME_NOW / UTIME_OMIT honoured.
  int set_times(const timespec* times);
  /// A copy of this node without its children: same inode number, mode,
  /// times and link state; a file shares its blocks copy-on-write and
  /// accounts new private blocks to `usage`.
  Ptr copy(std::shared_ptr<MemoryUsage> usage);
  /// Marks the node removed from the tree (nlink 0).
  void unlinked();

  /// Directories: name -> child.
  std::map<std::string, Ptr, std::less<>> children;
  /// Regular files: contents.
  MemoryFileData data;

 private:
  const bool is_dir_;
  bool linked_ = true;
  uint32_t mode_;
  const uint64_t ino_;
  timespec atime_, mtime_, ctime_;
};

/// CLOCK_REALTIME now.
timespec memory_now();

}  // namespace pglite::shim
