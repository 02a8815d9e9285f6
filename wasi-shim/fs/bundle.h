// Read-only in-memory file tree served straight from a data blob (the
// Emscripten package data). Built once, shared by every process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pglite::shim {

/// One file of the blob: bytes [start, end) at absolute guest `path`.
struct BundleEntry {
  const char* path;
  uint32_t start;
  uint32_t end;
};

class Bundle {
 public:
  struct Node {
    bool is_dir = false;
    uint64_t ino = 0;
    const uint8_t* data = nullptr;  // files only; points into the blob
    uint64_t size = 0;
    std::vector<std::string> children;  // dirs only; sorted names
  };

  /// One blob and its file table.
  struct Part {
    const uint8_t* data;
    const BundleEntry* entries;
    size_t count;
  };

  /// Indexes the parts' entries into one tree; parent directories are
  /// implied. The blobs must outlive the Bundle. Throws
  /// std::invalid_argument for a relative or conflicting path.
  explicit Bundle(const std::vector<Part>& parts);
  Bundle(const uint8_t* data, const BundleEntry* entries, size_t n) : Bundle({Part{data, entries, n}}) {}

  /// Node at a normalised absolute path, or nullptr.
  const Node* find(std::string_view path) const;
  size_t node_count() const { return nodes_.size(); }
  /// Timestamp reported for every node (construction time).
  timespec mtime() const { return mtime_; }

 private:
  Node& dir_at(const std::string& path);
  void add(const uint8_t* data, const BundleEntry& entry);

  std::map<std::string, Node, std::less<>> nodes_;
  timespec mtime_{};
};

}  // namespace pglite::shim
