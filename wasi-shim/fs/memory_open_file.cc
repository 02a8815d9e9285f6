#include "fs/memory_open_file.h"

#include <cstdio>

#include "fs/fs_clone.h"

namespace pglite::shim {
namespace {

namespace w = wasi_errno;

class MemoryFile final : public OpenFile {
 public:
  MemoryFile(MemoryNode::Ptr node, uint32_t dev, uint32_t flags, std::string path)
      : OpenFile(flags, std::move(path)), node_(std::move(node)), dev_(dev) {}

  int64_t read(void* dst, size_t n) override {
    int64_t r = node_->data.read(dst, n, pos_);
    if (r > 0) pos_ += static_cast<uint64_t>(r);
    return r;
  }
  int64_t write(const void* src, size_t n) override {
    if (flags_ & guest::kO_APPEND) pos_ = node_->data.size();
    int64_t r = write_at(src, n, pos_);
    if (r > 0) pos_ += static_cast<uint64_t>(r);
    return r;
  }
  int64_t pread(void* dst, size_t n, uint64_t off) override {
    if (off > INT64_MAX) return -w::kINVAL;
    return node_->data.read(dst, n, off);
  }
  int64_t pwrite(const void* src, size_t n, uint64_t off) override {
    if (off > INT64_MAX) return -w::kINVAL;
    // Linux appends even for pwrite on an O_APPEND description.
    if (flags_ & guest::kO_APPEND) off = node_->data.size();
    return write_at(src, n, off);
  }
  int64_t seek(int64_t off, int whence) override {
    return seek_position(&pos_, off, whence, node_->data.size());
  }
  int stat(FileStat* out) override {
    *out = node_->stat(dev_);
    return 0;
  }
  int truncate(uint64_t len) override {
    int r = node_->data.truncate(len);
    if (r == 0) node_->modified();
    return r;
  }
  int allocate(uint64_t off, uint64_t len) override {
    uint64_t before = node_->data.size();
    int r = node_->data.allocate(off, len);
    if (r == 0 && node_->data.size() != before) node_->modified();
    return r;
  }
  int chmod(uint32_t mode) override {
    node_->chmod(mode);
    return 0;
  }
  int utimens(const timespec* times) override { return node_->set_times(times); }
  uint8_t wasi_filetype() const override { return guest::kWasiFiletypeRegular; }

  OpenFilePtr clone(FsClone& c) const override {
    MemoryNode::Ptr node = c.node(node_, dev_);
    if (!node) return nullptr;
    auto f = std::make_shared<MemoryFile>(std::move(node), c.dev(dev_), flags_, path_);
    f->pos_ = pos_;
    return f;
  }

 private:
  int64_t write_at(const void* src, size_t n, uint64_t off) {
    int64_t r = node_->data.write(src, n, off);
    if (r > 0) node_->modified();
    return r;
  }

  MemoryNode::Ptr node_;
  uint32_t dev_;
  uint64_t pos_ = 0;
};

// Same stream semantics as the host DirFile (dir_file.cc): the listing is
// snapshotted on first read and after a rewind; positions are entry indices
// scaled by the dirent record size.
class MemoryDirStream final : public DirStream {
 public:
  MemoryDirStream(MemoryNode::Ptr node, uint64_t parent_ino, uint32_t dev, uint32_t flags, std::string path)
      : DirStream(flags, std::move(path)), node_(std::move(node)), parent_ino_(parent_ino), dev_(dev) {}

  int stat(FileStat* out) override {
    *out = node_->stat(dev_);
    return 0;
  }
  int chmod(uint32_t mode) override {
    node_->chmod(mode);
    return 0;
  }
  int utimens(const timespec* times) override { return node_->set_times(times); }

  OpenFilePtr clone(FsClone& c) const override {
    MemoryNode::Ptr node = c.node(node_, dev_);
    if (!node) return nullptr;
    auto f = std::make_shared<MemoryDirStream>(std::move(node), parent_ino_, c.dev(dev_), flags_, path_);
    f->entries_ = entries_;
    f->pos_ = pos_;
    f->loaded_ = loaded_;
    return f;
  }

 private:
  int load(std::vector<DirEntry>* entries) override {
    std::vector<DirEntry> list;
    list.reserve(node_->children.size() + 2);
    list.push_back({".", node_->ino(), guest::kDT_DIR});
    list.push_back({"..", parent_ino_, guest::kDT_DIR});
    for (const auto& [name, c] : node_->children) {
      list.push_back({name, c->ino(), c->is_dir() ? guest::kDT_DIR : guest::kDT_REG});
    }
    *entries = std::move(list);
    return 0;
  }

  MemoryNode::Ptr node_;
  uint64_t parent_ino_;
  uint32_t dev_;
};

}  // namespace

OpenFilePtr make_memory_file(MemoryNode::Ptr node, uint32_t dev, uint32_t flags, std::string path) {
  return std::make_shared<MemoryFile>(std::move(node), dev, flags, std::move(path));
}

OpenFilePtr make_memory_dir_stream(MemoryNode::Ptr node, uint64_t parent_ino, uint32_t dev, uint32_t flags,
                                   std::string path) {
  return std::make_shared<MemoryDirStream>(std::move(node), parent_ino, dev, flags, std::move(path));
}

}  // namespace pglite::shim
