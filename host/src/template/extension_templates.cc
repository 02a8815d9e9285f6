#include "template/extension_templates.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "api/session.h"
#include "backend/backend.h"
#include "pglite/extensions.h"
#include "pglite/sql_quote.h"
#include "storage/data_dir.h"
#include "template/memory_template.h"

extern "C" const char* const pgl_extension_names[];  // generated (extension_gen.py)

namespace pglite {

std::vector<std::string> available_extensions() {
  std::vector<std::string> names;
  for (const char* const* n = pgl_extension_names; *n; n++) names.emplace_back(*n);
  return names;
}

namespace internal {
namespace {

// Runs a backend on a copy of the plain template, creates the extensions,
// shuts it down cleanly (shutdown checkpoint: the image needs no recovery)
// and keeps the result.
std::shared_ptr<const shim::MemoryImage> build_image(const std::vector<std::string>& extensions) {
  std::shared_ptr<shim::MemoryDir> dir = new_memory_data_dir();
  BackendConfig config;
  config.memory_data_dir = dir;
  Session session(nullptr, Backend::start(config));
  create_extensions(session, extensions);
  session.close_cleanly();
  return snapshot(*dir);
}

}  // namespace

void create_extensions(Session& session, const std::vector<std::string>& extensions) {
  for (const std::string& name : extensions) {
    Reply reply =
        session.simple_query("CREATE EXTENSION IF NOT EXISTS " + quote_identifier(name) + " CASCADE");
    reply.throw_if_error();
  }
}

std::shared_ptr<shim::MemoryDir> memory_data_dir_with(const std::vector<std::string>& extensions) {
  if (extensions.empty()) return new_memory_data_dir();
  std::vector<std::string> set = extensions;
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  std::string key;
  for (const std::string& name : set) key += name + '\n';

  // One image per set; a set that failed is tried again next time.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const shim::MemoryImage>> images;
  std::shared_ptr<const shim::MemoryImage> image;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = images.find(key); it != images.end()) image = it->second;
  }
  if (!image) {
    image = build_image(extensions);  // in the caller's order: CASCADE and dependencies
    std::lock_guard<std::mutex> lock(mutex);
    image = images.try_emplace(key, image).first->second;
  }
  return new_memory_data_dir(image);
}

}  // namespace internal
}  // namespace pglite
