#include "fs/memory_dir.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "fs/errno_wasi.h"
#include "fs/fs_clone.h"
#include "fs/memory_open_file.h"
#include "fs/path.h"

namespace pglite::shim {
namespace {

namespace w = wasi_errno;

constexpr uint64_t kUnlimitedBytes = uint64_t{1} << 40;
constexpr uint32_t kFsBlock = 4096;

// Distinct st_dev per tree, clear of the read-only tree's dev 1.
uint32_t next_dev() {
  static std::atomic<uint32_t> n{0};
  return 0x4d000000u + n.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

// Files keep the image's block lists alive themselves, so the image need
// not outlive the tree.
MemoryDir::MemoryDir(const std::shared_ptr<const MemoryImage>& image)
    : usage_(std::make_shared<MemoryUsage>()), dev_(next_dev()) {
  if (image == nullptr) {
    root_ = MemoryNode::make_dir(0700, next_ino_++, memory_now());
    return;
  }
  root_ = copy(image->root(), image->mtime());
  next_ino_ = image->max_ino() + 1;
}

MemoryDir::~MemoryDir() = default;

std::shared_ptr<MemoryDir> MemoryDir::clone(FsClone* c) const {
  auto dir = std::make_shared<MemoryDir>();
  dir->usage_->limit_bytes = usage_->limit_bytes;
  dir->next_ino_ = next_ino_;
  dir->root_ = dir->copy_node(*root_, c);
  c->dirs[this] = dir;
  c->dirs_by_dev[dev_] = dir.get();
  return dir;
}

MemoryNode::Ptr MemoryDir::copy_node(MemoryNode& node, FsClone* c) {
  MemoryNode::Ptr n = node.copy(usage_);
  c->nodes[&node] = n;
  for (const auto& [name, child] : node.children) {
    n->children.emplace_hint(n->children.end(), name, copy_node(*child, c));
  }
  return n;
}

MemoryNode::Ptr FsClone::node(const MemoryNode::Ptr& node, uint32_t dev) {
  if (auto it = nodes.find(node.get()); it != nodes.end()) return it->second;
  auto dir = dirs_by_dev.find(dev);
  return dir == dirs_by_dev.end() ? nullptr : dir->second->copy_node(*node, this);
}

uint32_t FsClone::dev(uint32_t dev) const {
  auto dir = dirs_by_dev.find(dev);
  return dir == dirs_by_dev.end() ? 0 : dir->second->dev();
}

std::shared_ptr<const MemoryImage> MemoryDir::snapshot() const {
  MemoryImageBuilder builder;
  struct Frame {
    const MemoryNode* node;
    std::string rel;
  };
  std::vector<Frame> stack{{root_.get(), ""}};
  while (!stack.empty()) {
    Frame f = std::move(stack.back());
    stack.pop_back();
    if (!f.node->is_dir()) {
      builder.add_file(f.rel, f.node->mode(), f.node->data.snapshot(), f.node->data.size());
      continue;
    }
    builder.add_dir(f.rel, f.node->mode());
    for (const auto& [name, child] : f.node->children) {
      stack.push_back({child.get(), f.rel.empty() ? name : f.rel + "/" + name});
    }
  }
  return builder.finish();
}

MemoryNode::Ptr MemoryDir::copy(const MemoryImage::Node& n, timespec t) {
  if (!n.is_dir) return MemoryNode::make_file(n.mode, n.ino, t, usage_, n.blocks, n.size);
  MemoryNode::Ptr d = MemoryNode::make_dir(n.mode, n.ino, t);
  for (const MemoryImage::Node& c : n.children) {
    d->children.emplace_hint(d->children.end(), c.name, copy(c, t));  // already sorted
  }
  return d;
}

int MemoryDir::walk(std::string_view rel, Walk* out) const {
  *out = Walk{nullptr, {}, root_};
  if (rel.empty()) return 0;
  MemoryNode* dir = root_.get();
  size_t i = 0;
  while (true) {
    if (!dir->is_dir()) return -w::kNOTDIR;
    size_t j = rel.find('/', i);
    std::string_view name = rel.substr(i, j == std::string_view::npos ? j : j - i);
    auto it = dir->children.find(name);
    if (j == std::string_view::npos) {
      *out = Walk{dir, name, it == dir->children.end() ? nullptr : it->second};
      return 0;
    }
    if (it == dir->children.end()) return -w::kNOENT;
    dir = it->second.get();
    i = j + 1;
  }
}

int MemoryDir::open(std::string_view rel, bool trailing_slash, uint32_t flags, uint32_t mode,
                    uint32_t kept_flags, std::string guest_path, OpenFilePtr* out) {
  uint32_t acc = flags & guest::kO_ACCMODE;
  bool creat = flags & guest::kO_CREAT;
  if (acc == guest::kO_ACCMODE) return -w::kINVAL;
  if (creat && trailing_slash) return -w::kISDIR;
  if (creat && (flags & guest::kO_DIRECTORY)) return -w::kINVAL;  // as Linux >= 6.4
  Walk wk;
  if (int e = walk(rel, &wk); e < 0) return e;
  MemoryNode::Ptr node = wk.node;
  if (node != nullptr && creat && (flags & guest::kO_EXCL)) return -w::kEXIST;
  if (node == nullptr) {
    if (!creat) return -w::kNOENT;
    node = MemoryNode::make_file(mode, next_ino_, memory_now(), usage_);
    wk.parent->children.emplace(std::string(wk.name), node);
    ++next_ino_;
    wk.parent->modified();
  } else if (node->is_dir()) {
    // O_TRUNC asks for write access too.
    if (creat || acc != guest::kO_RDONLY || (flags & guest::kO_TRUNC)) return -w::kISDIR;
  } else {
    if ((flags & guest::kO_DIRECTORY) || trailing_slash) return -w::kNOTDIR;
    if (flags & guest::kO_TRUNC) {
      node->data.truncate(0);
      node->modified();
    }
  }
  if (!node->is_dir()) {
    *out = make_memory_file(std::move(node), dev_, kept_flags, std::move(guest_path));
    return 0;
  }
  uint64_t parent_ino = wk.parent != nullptr ? wk.parent->ino() : node->ino();
  *out = make_memory_dir_stream(std::move(node), parent_ino, dev_, kept_flags, std::move(guest_path));
  return 0;
}

int MemoryDir::stat(std::string_view rel, bool trailing_slash, FileStat* st) const {
  Walk wk;
  if (int e = walk(rel, &wk); e < 0) return e;
  if (wk.node == nullptr) return -w::kNOENT;
  if (trailing_slash && !wk.node->is_dir()) return -w::kNOTDIR;
  *st = wk.node->stat(dev_);
  return 0;
}

int MemoryDir::mkdir(std::string_view rel, uint32_t mode) {
  Walk wk;
  if (int e = walk(rel, &wk); e < 0) return e;
  if (wk.node != nullptr) return -w::kEXIST;
  wk.parent->children.emplace(std::string(wk.name), MemoryNode::make_dir(mode, next_ino_++, memory_now()));
  wk.parent->modified();
  return 0;
}

int MemoryDir::unlink(std::string_view rel, bool trailing_slash, bool remove_dir) {
  if (rel.empty()) return -w::kBUSY;
  Walk wk;
  if (int e = walk(rel, &wk); e < 0) return e;
  if (wk.node == nullptr) return -w::kNOENT;
  if (remove_dir) {
    if (!wk.node->is_dir()) return -w::kNOTDIR;
    if (!wk.node->children.empty()) return -w::kNOTEMPTY;
  } else if (wk.node->is_dir()) {
    return -w::kISDIR;
  } else if (trailing_slash) {
    return -w::kNOTDIR;
  }
  MemoryNode::Ptr node = std::move(wk.node);
  wk.parent->children.erase(wk.parent->children.find(wk.name));
  wk.parent->modified();
  node->unlinked();
  return 0;
}

// Checks in the order a host mount makes them (FileSystem opens the target's
// parent first, then Linux's renameat2 takes over), so errors match.
int MemoryDir::rename(std::string_view from, bool from_slash, std::string_view to, bool to_slash) {
  if (from.empty() || to.empty()) return -w::kBUSY;
  Walk a, b;
  if (int e = walk(to, &b); e < 0) return e;
  if (int e = walk(from, &a); e < 0) return e;
  if (a.node == nullptr) return -w::kNOENT;
  if (!a.node->is_dir() && (from_slash || to_slash)) return -w::kNOTDIR;
  if (from != to && path::is_under(to, from)) return -w::kINVAL;
  if (from != to && path::is_under(from, to)) return -w::kNOTEMPTY;
  if (a.node == b.node) return 0;
  if (b.node != nullptr) {
    if (a.node->is_dir() && !b.node->is_dir()) return -w::kNOTDIR;
    if (!a.node->is_dir() && b.node->is_dir()) return -w::kISDIR;
    if (b.node->is_dir() && !b.node->children.empty()) return -w::kNOTEMPTY;
  }
  MemoryNode::Ptr moving = a.node;
  a.parent->children.erase(a.parent->children.find(a.name));
  if (b.node != nullptr) b.node->unlinked();
  b.parent->children.insert_or_assign(std::string(b.name), moving);
  a.parent->modified();
  b.parent->modified();
  moving->changed();
  return 0;
}

int MemoryDir::access(std::string_view rel, uint32_t amode) const {
  Walk wk;
  if (int e = walk(rel, &wk); e < 0) return e;
  if (wk.node == nullptr) return -w::kNOENT;
  if (amode == 0) return 0;
  uint32_t mode = wk.node->mode();
  if (geteuid() == 0) {
    // root: read/write always; execute needs some x bit (or a directory).
    bool exec_ok = wk.node->is_dir() || (mode & 0111) != 0;
    return (amode & 1) && !exec_ok ? -w::kACCES : 0;
  }
  return ((mode >> 6) & amode) == amode ? 0 : -w::kACCES;
}

int MemoryDir::chmod(std::string_view rel, uint32_t mode) {
  Walk wk;
  if (int e = walk(rel, &wk); e < 0) return e;
  if (wk.node == nullptr) return -w::kNOENT;
  wk.node->chmod(mode);
  return 0;
}

int MemoryDir::truncate(std::string_view rel, uint64_t length) {
  Walk wk;
  if (int e = walk(rel, &wk); e < 0) return e;
  if (wk.node == nullptr) return -w::kNOENT;
  if (wk.node->is_dir()) return -w::kISDIR;
  int r = wk.node->data.truncate(length);
  if (r == 0) wk.node->modified();
  return r;
}

int MemoryDir::utimens(std::string_view rel, const timespec* times) {
  Walk wk;
  if (int e = walk(rel, &wk); e < 0) return e;
  if (wk.node == nullptr) return -w::kNOENT;
  return wk.node->set_times(times);
}

void MemoryDir::statfs(FsStat* out) const {
  uint64_t total = usage_->limit_bytes != 0 ? usage_->limit_bytes : kUnlimitedBytes;
  uint64_t used = std::min(usage_->used_bytes, total);
  *out = FsStat{};
  out->bsize = kFsBlock;
  out->blocks = total / kFsBlock;
  out->bfree = out->bavail = (total - used) / kFsBlock;
  out->files = out->ffree = uint64_t{1} << 24;
  out->fsid = dev_;
  out->namelen = guest::kDirentNameMax;
}

}  // namespace pglite::shim
