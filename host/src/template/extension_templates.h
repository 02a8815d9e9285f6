// Extensions at open: created in persistent databases, and for temporary
// ones baked into a template image per extension set (made once per process)
// so that opening does not pay CREATE EXTENSION every time.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace pglite::shim {
class MemoryDir;
}

namespace pglite::internal {

class Session;

/// A fresh in-memory PGDATA with `extensions` created (the plain template
/// when empty). Throws pglite::Error if an extension cannot be created.
std::shared_ptr<shim::MemoryDir> memory_data_dir_with(const std::vector<std::string>& extensions);

/// CREATE EXTENSION IF NOT EXISTS ... CASCADE for each; throws the first error.
void create_extensions(Session& session, const std::vector<std::string>& extensions);

}  // namespace pglite::internal
