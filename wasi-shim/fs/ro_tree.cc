#include "fs/ro_tree.h"

#include <functional>

#include "fs/path.h"

namespace pglite::shim {
namespace {

struct DeviceInfo {
  const char* path;
  Device dev;
  uint32_t minor;  // Linux numbering, major 1
};
constexpr DeviceInfo kDevices[] = {
    {"/dev/null", Device::kNull, 3},
    {"/dev/zero", Device::kZero, 5},
    {"/dev/random", Device::kRandom, 8},
    {"/dev/urandom", Device::kRandom, 9},
};

constexpr uint32_t kRoDev = 1;
constexpr uint64_t kSyntheticIno = 1ULL << 62;
constexpr uint64_t kDeviceIno = 1ULL << 61;

}  // namespace

ReadOnlyTree::ReadOnlyTree() {
  add_dir("/dev");
  for (const DeviceInfo& d : kDevices) {
    std::string_view p(d.path);
    dirs_["/dev"].emplace(p.substr(5));
  }
}

void ReadOnlyTree::add_dir(std::string_view p) {
  dirs_.try_emplace(std::string(p));
  while (p != "/") {
    std::string_view parent, name;
    path::split(p, &parent, &name);
    dirs_[std::string(parent)].emplace(name);
    p = parent;
  }
}

bool ReadOnlyTree::is_device(std::string_view p) {
  for (const DeviceInfo& d : kDevices) {
    if (p == d.path) return true;
  }
  return false;
}

ReadOnlyTree::Node ReadOnlyTree::lookup(std::string_view p) const {
  Node n;
  for (const DeviceInfo& d : kDevices) {
    if (p == d.path) {
      n.kind = Node::kDevice;
      n.device = d.dev;
      return n;
    }
  }
  if (bundle_ != nullptr) {
    if (const Bundle::Node* b = bundle_->find(p)) {
      n.kind = b->is_dir ? Node::kDir : Node::kFile;
      n.file = b->is_dir ? nullptr : b;
      return n;
    }
  }
  if (dirs_.find(p) != dirs_.end()) n.kind = Node::kDir;
  return n;
}

FileStat ReadOnlyTree::stat(std::string_view p, const Node& n) const {
  FileStat st;
  st.dev = kRoDev;
  if (bundle_ != nullptr) st.atime = st.mtime = st.ctime = bundle_->mtime();
  switch (n.kind) {
    case Node::kDevice:
      for (const DeviceInfo& d : kDevices) {
        if (p == d.path) {
          st.rdev = (1 << 8) | d.minor;
          st.ino = kDeviceIno + d.minor;
        }
      }
      st.mode = guest::kS_IFCHR | 0666;
      return st;
    case Node::kFile:
      st.mode = guest::kS_IFREG | 0555;
      st.size = static_cast<int64_t>(n.file->size);
      st.blocks = (st.size + 511) / 512;
      st.ino = n.file->ino;
      return st;
    case Node::kDir: {
      st.mode = guest::kS_IFDIR | 0555;
      st.nlink = 2;
      st.size = 4096;
      st.blocks = 8;
      const Bundle::Node* b = bundle_ != nullptr ? bundle_->find(p) : nullptr;
      st.ino = b != nullptr ? b->ino : kSyntheticIno | (std::hash<std::string_view>{}(p) >> 2);
      return st;
    }
    case Node::kNone:
      break;
  }
  return st;
}

std::vector<DirEntry> ReadOnlyTree::list(std::string_view p) const {
  std::set<std::string, std::less<>> names;
  if (bundle_ != nullptr) {
    if (const Bundle::Node* b = bundle_->find(p); b != nullptr && b->is_dir) {
      names.insert(b->children.begin(), b->children.end());
    }
  }
  if (auto it = dirs_.find(p); it != dirs_.end()) names.insert(it->second.begin(), it->second.end());

  std::vector<DirEntry> out;
  uint64_t self_ino = stat(p, Node{Node::kDir}).ino;
  out.push_back({".", self_ino, guest::kDT_DIR});
  out.push_back({"..", self_ino, guest::kDT_DIR});
  for (const std::string& name : names) {
    std::string child = p == "/" ? "/" + name : std::string(p) + "/" + name;
    Node n = lookup(child);
    uint8_t type = n.kind == Node::kDir      ? guest::kDT_DIR
                   : n.kind == Node::kDevice ? guest::kDT_CHR
                                             : guest::kDT_REG;
    out.push_back({name, stat(child, n).ino, type});
  }
  return out;
}

}  // namespace pglite::shim
