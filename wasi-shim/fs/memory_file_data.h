// Contents of one file in a MemoryDir: a list of 8 KiB blocks, copied on
// write at block granularity. Until the first write the list itself is the
// image's (shared, not copied); afterwards the file has its own list whose
// entries still point at image blocks it has not written. Missing or null
// blocks read as zeros, so holes and extensions cost nothing.
//
// Invariant: bytes at or past size() inside a stored block are zero, so a
// later extension exposes zeros as POSIX requires.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "fs/memory_image.h"

namespace pglite::shim {

/// Private-block accounting shared by one MemoryDir and all its files.
struct MemoryUsage {
  uint64_t used_bytes = 0;
  uint64_t limit_bytes = 0;  // 0: no limit

  bool fits(uint64_t more_blocks) const {
    if (limit_bytes == 0) return true;
    return used_bytes <= limit_bytes && more_blocks <= (limit_bytes - used_bytes) / kMemoryBlockSize;
  }
};

class MemoryFileData {
 public:
  /// Largest file size; keeps the block list of a sparse file bounded.
  static constexpr uint64_t kMaxSize = uint64_t{1} << 36;

  /// `usage` may be null only for directories (which never hold data).
  MemoryFileData(std::shared_ptr<MemoryUsage> usage, std::shared_ptr<const MemoryBlockList> base,
                 uint64_t size);
  ~MemoryFileData();
  MemoryFileData(const MemoryFileData&) = delete;
  MemoryFileData& operator=(const MemoryFileData&) = delete;

  uint64_t size() const { return size_; }
  /// The current blocks, shared (a copy of the pointer list): every shared
  /// block has use_count() >= 2 from then on, so later writes copy it.
  std::shared_ptr<const MemoryBlockList> snapshot() const {
    return std::make_shared<const MemoryBlockList>(blocks());
  }
  /// The current blocks for another file to start from, without copying
  /// the list: it becomes this file's base too, so both copy it (and then
  /// each block) on their first write. Its blocks stop counting as this
  /// tree's private bytes.
  std::shared_ptr<const MemoryBlockList> share();
  /// Blocks holding data (shared or private), for st_blocks.
  uint64_t stored_blocks() const;

  /// All return bytes transferred / 0, or -guest errno.
  int64_t read(void* dst, size_t n, uint64_t off) const;
  /// ENOSPC (nothing written) if the new private blocks exceed the limit.
  int64_t write(const void* src, size_t n, uint64_t off);
  /// Shrinking frees blocks; growing leaves a hole. Never ENOSPC, though
  /// zeroing the tail of a shared block may take one block past the limit.
  int truncate(uint64_t len);
  /// Extends the size to off + len (sparse); ENOSPC if filling the holes in
  /// the range would exceed the limit, so a full "disk" shows up early.
  int allocate(uint64_t off, uint64_t len);

 private:
  const MemoryBlockList& blocks() const { return own_ || base_ == nullptr ? list_ : *base_; }
  /// The file's own list, copied (pointers only) from the image on first use.
  MemoryBlockList& own();
  /// Drops `b`, returning its bytes to the accounting if it was private.
  void release(MemoryBlockPtr& b);
  /// Makes `b` a private, writable block (new or copied).
  void make_private(MemoryBlockPtr& b);
  void trim();

  std::shared_ptr<MemoryUsage> usage_;
  // Kept for the file's lifetime: while it holds the image's blocks, any
  // block we share has use_count() >= 2, so use_count() == 1 means private.
  std::shared_ptr<const MemoryBlockList> base_;
  MemoryBlockList list_;
  bool own_ = false;
  uint64_t size_ = 0;
};

}  // namespace pglite::shim
