#include "fs/bundle.h"

#include <algorithm>
#include <stdexcept>

#include "fs/path.h"

namespace pglite::shim {

Bundle::Bundle(const std::vector<Part>& parts) {
  clock_gettime(CLOCK_REALTIME, &mtime_);
  dir_at("/");
  for (const Part& part : parts) {
    for (size_t i = 0; i < part.count; ++i) add(part.data, part.entries[i]);
  }
  uint64_t ino = 1;
  for (auto& [p, node] : nodes_) {
    node.ino = ino++;
    std::sort(node.children.begin(), node.children.end());
    node.children.erase(std::unique(node.children.begin(), node.children.end()), node.children.end());
  }
}

void Bundle::add(const uint8_t* data, const BundleEntry& e) {
  std::string p;
  if (e.path == nullptr || e.path[0] != '/' || e.end < e.start || path::normalize("/", e.path, &p) < 0 ||
      p == "/") {
    throw std::invalid_argument("bad bundle entry");
  }
  std::string_view parent, name;
  path::split(p, &parent, &name);
  dir_at(std::string(parent)).children.emplace_back(name);
  auto [it, inserted] = nodes_.try_emplace(p);
  if (!inserted) throw std::invalid_argument("duplicate bundle path: " + p);
  it->second.data = data + e.start;
  it->second.size = e.end - e.start;
}

// Creates `path` and its ancestors as directories as needed.
Bundle::Node& Bundle::dir_at(const std::string& p) {
  auto it = nodes_.find(p);
  if (it != nodes_.end()) {
    if (!it->second.is_dir) throw std::invalid_argument("bundle path is both file and dir: " + p);
    return it->second;
  }
  if (p != "/") {
    std::string_view parent, name;
    path::split(p, &parent, &name);
    dir_at(std::string(parent)).children.emplace_back(name);
  }
  Node& node = nodes_[p];
  node.is_dir = true;
  return node;
}

const Bundle::Node* Bundle::find(std::string_view p) const {
  auto it = nodes_.find(p);
  return it == nodes_.end() ? nullptr : &it->second;
}

}  // namespace pglite::shim
