#include "fs/memory_image.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace pglite::shim {
namespace {

using Node = MemoryImage::Node;

bool all_zero(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// Child `name` of `dir`, created with the given kind if absent.
Node* child(Node* dir, std::string_view name, bool is_dir, const std::string& rel) {
  auto it = std::lower_bound(dir->children.begin(), dir->children.end(), name,
                             [](const Node& n, std::string_view s) { return n.name < s; });
  if (it != dir->children.end() && it->name == name) {
    if (it->is_dir != is_dir) {
      throw std::invalid_argument("memory image: " + rel +
                                  (is_dir ? " is not a directory" : " is a directory"));
    }
    return &*it;
  }
  Node n;
  n.name = std::string(name);
  n.is_dir = is_dir;
  n.mode = 0700;
  return &*dir->children.insert(it, std::move(n));
}

uint64_t number(Node* n, uint64_t next) {
  n->ino = next++;
  for (Node& c : n->children) next = number(&c, next);
  return next;
}

}  // namespace

MemoryImageBuilder::MemoryImageBuilder() { reset(); }

void MemoryImageBuilder::reset() {
  image_.reset(new MemoryImage);
  image_->root_.is_dir = true;
  image_->root_.mode = 0700;
}

Node* MemoryImageBuilder::walk(std::string_view rel, bool want_dir, uint32_t mode) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= rel.size()) {
    size_t j = std::min(rel.find('/', i), rel.size());
    std::string_view c = rel.substr(i, j - i);
    i = j + 1;
    if (c.empty() || c == ".") continue;
    if (c == "..") throw std::invalid_argument("memory image: '..' in " + std::string(rel));
    parts.push_back(c);
  }
  if (parts.empty() && !want_dir) throw std::invalid_argument("memory image: file at the root");
  Node* n = &image_->root_;
  for (size_t k = 0; k < parts.size(); ++k) {
    bool last = k + 1 == parts.size();
    n = child(n, parts[k], last ? want_dir : true, std::string(rel));
  }
  n->mode = mode & 07777;
  return n;
}

void MemoryImageBuilder::add_dir(std::string rel, uint32_t mode) { walk(rel, true, mode); }

void MemoryImageBuilder::add_file(std::string rel, uint32_t mode, std::string_view data) {
  Node* n = walk(rel, false, mode);
  auto blocks = std::make_shared<MemoryBlockList>();
  size_t nblocks = (data.size() + kMemoryBlockSize - 1) / kMemoryBlockSize;
  blocks->resize(nblocks);
  for (size_t b = 0; b < nblocks; ++b) {
    size_t off = b * kMemoryBlockSize;
    size_t len = std::min(kMemoryBlockSize, data.size() - off);
    if (all_zero(data.data() + off, len)) continue;
    auto blk = std::make_shared<MemoryBlock>();  // zero tail past the end of data
    std::memcpy(blk->bytes.data(), data.data() + off, len);
    (*blocks)[b] = std::move(blk);
  }
  while (!blocks->empty() && blocks->back() == nullptr) blocks->pop_back();
  n->size = data.size();
  n->blocks = blocks->empty() ? nullptr : std::move(blocks);
}

void MemoryImageBuilder::add_file(std::string rel, uint32_t mode,
                                  std::shared_ptr<const MemoryBlockList> blocks, uint64_t size) {
  Node* n = walk(rel, false, mode);
  n->size = size;
  n->blocks = blocks != nullptr && !blocks->empty() ? std::move(blocks) : nullptr;
}

std::shared_ptr<const MemoryImage> MemoryImageBuilder::finish() {
  std::shared_ptr<MemoryImage> img = std::move(image_);
  reset();

  img->max_ino_ = number(&img->root_, 1) - 1;
  clock_gettime(CLOCK_REALTIME, &img->mtime_);
  // Count stored blocks once, here, rather than tracking replaced files.
  std::vector<const Node*> stack{&img->root_};
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (n->blocks != nullptr) {
      for (const MemoryBlockPtr& b : *n->blocks) img->stored_blocks_ += b != nullptr;
    }
    for (const Node& c : n->children) stack.push_back(&c);
  }
  return img;
}

}  // namespace pglite::shim
