// An immutable directory tree held in memory, the template every in-memory
// mount (MemoryDir) starts from. File contents are fixed-size blocks that
// MemoryDirs share until they write to them; all-zero blocks are not stored
// (the template's 16 MB WAL segment is almost entirely zeros).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pglite::shim {

constexpr size_t kMemoryBlockSize = 8192;

struct MemoryBlock {
  std::array<uint8_t, kMemoryBlockSize> bytes{};
};
/// nullptr stands for a block of zeros. Non-const so a MemoryDir can write
/// in place to a block it owns alone; shared blocks are never modified.
using MemoryBlockPtr = std::shared_ptr<MemoryBlock>;
using MemoryBlockList = std::vector<MemoryBlockPtr>;

class MemoryImage {
 public:
  struct Node {
    std::string name;
    bool is_dir = false;
    uint32_t mode = 0;  // permission bits only
    uint64_t ino = 0;
    uint64_t size = 0;                              // files
    std::shared_ptr<const MemoryBlockList> blocks;  // files; may be shorter than size (zeros)
    std::vector<Node> children;                     // dirs; sorted by name
  };

  const Node& root() const { return root_; }
  /// Timestamp of every node (when the image was finished).
  timespec mtime() const { return mtime_; }
  /// Largest inode number used; MemoryDirs number new nodes above it.
  uint64_t max_ino() const { return max_ino_; }
  size_t node_count() const { return static_cast<size_t>(max_ino_); }
  /// Bytes of stored (non-zero) blocks.
  uint64_t stored_bytes() const { return stored_blocks_ * kMemoryBlockSize; }

 private:
  friend class MemoryImageBuilder;
  MemoryImage() = default;

  Node root_;
  timespec mtime_{};
  uint64_t max_ino_ = 0;
  uint64_t stored_blocks_ = 0;
};

/// Collects entries (e.g. from a tar) into a MemoryImage. Paths are relative
/// to the image root; "./" prefixes, leading and trailing slashes are
/// ignored, missing parent directories are created with mode 0700.
class MemoryImageBuilder {
 public:
  MemoryImageBuilder();

  /// Adds (or re-modes) a directory; "" or "." is the root. Throws
  /// std::invalid_argument for ".." components or if a file is in the way.
  void add_dir(std::string rel, uint32_t mode);
  /// Adds or replaces a file with a copy of `data`. Throws
  /// std::invalid_argument for "..", the root, or a directory in the way.
  void add_file(std::string rel, uint32_t mode, std::string_view data);
  /// Adds or replaces a file whose blocks are shared, not copied (a
  /// MemoryDir snapshot). The blocks must never be written again in place.
  void add_file(std::string rel, uint32_t mode, std::shared_ptr<const MemoryBlockList> blocks, uint64_t size);
  /// The finished image; the builder is left empty.
  std::shared_ptr<const MemoryImage> finish();

 private:
  void reset();
  MemoryImage::Node* walk(std::string_view rel, bool want_dir, uint32_t mode);

  std::shared_ptr<MemoryImage> image_;
};

}  // namespace pglite::shim
