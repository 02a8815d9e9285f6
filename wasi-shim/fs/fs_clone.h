// The bookkeeping of FileSystem::clone(): how the pieces of one file system
// find their counterparts in its copy, so that descriptions shared by
// several fds stay shared and an fd keeps pointing at the same file.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>

#include "fs/memory_node.h"
#include "fs/open_file.h"

namespace pglite::shim {

class MemoryDir;

struct FsClone {
  /// The copy's stdio hooks (fds 0-2).
  std::shared_ptr<const StdioHooks> stdio;
  /// Each in-memory tree of the origin and its copy.
  std::map<const MemoryDir*, std::shared_ptr<MemoryDir>> dirs;
  /// The copy of each tree by the origin tree's st_dev.
  std::map<uint32_t, MemoryDir*> dirs_by_dev;
  /// Node of an origin tree -> its copy (every node: a hash map).
  std::unordered_map<const MemoryNode*, MemoryNode::Ptr> nodes;
  /// In-process pipe buffer -> its copy (shared by the copies of both ends).
  std::map<const void*, std::shared_ptr<void>> pipes;

  /// The copy of `node` (a node of the origin tree with st_dev `dev`), made
  /// now if it is no longer in that tree (unlinked while open); null if
  /// `dev` names no copied tree.
  MemoryNode::Ptr node(const MemoryNode::Ptr& node, uint32_t dev);
  /// The copy's st_dev for the origin tree's `dev` (0 if unknown).
  uint32_t dev(uint32_t dev) const;
};

}  // namespace pglite::shim
