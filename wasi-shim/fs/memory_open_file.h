// Guest fds on a MemoryDir node. They hold the node, not its path, so they
// keep working after the node is renamed or unlinked.
#pragma once

#include <cstdint>
#include <string>

#include "fs/memory_node.h"
#include "fs/open_file.h"

namespace pglite::shim {

OpenFilePtr make_memory_file(MemoryNode::Ptr node, uint32_t dev, uint32_t flags, std::string path);
/// Directory stream; `parent_ino` is reported for "..".
OpenFilePtr make_memory_dir_stream(MemoryNode::Ptr node, uint64_t parent_ino, uint32_t dev, uint32_t flags,
                                   std::string path);

}  // namespace pglite::shim
