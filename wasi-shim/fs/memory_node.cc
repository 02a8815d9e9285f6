#include "fs/memory_node.h"

#include <sys/stat.h>

#include "fs/errno_wasi.h"

namespace pglite::shim {

timespec memory_now() {
  timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return t;
}

MemoryNode::Ptr MemoryNode::make_dir(uint32_t mode, uint64_t ino, timespec t) {
  return std::make_shared<MemoryNode>(true, mode, ino, t, nullptr, nullptr, 0);
}

MemoryNode::Ptr MemoryNode::make_file(uint32_t mode, uint64_t ino, timespec t,
                                      std::shared_ptr<MemoryUsage> usage,
                                      std::shared_ptr<const MemoryBlockList> blocks, uint64_t size) {
  return std::make_shared<MemoryNode>(false, mode, ino, t, std::move(usage), std::move(blocks), size);
}

MemoryNode::MemoryNode(bool is_dir, uint32_t mode, uint64_t ino, timespec t,
                       std::shared_ptr<MemoryUsage> usage, std::shared_ptr<const MemoryBlockList> blocks,
                       uint64_t size)
    : data(std::move(usage), std::move(blocks), size),
      is_dir_(is_dir),
      mode_(mode & 07777),
      ino_(ino),
      atime_(t),
      mtime_(t),
      ctime_(t) {}

FileStat MemoryNode::stat(uint32_t dev) const {
  FileStat st;
  st.dev = dev;
  st.ino = ino_;
  st.atime = atime_;
  st.mtime = mtime_;
  st.ctime = ctime_;
  if (is_dir_) {
    uint32_t subdirs = 0;
    for (const auto& [name, c] : children) subdirs += c->is_dir_;
    st.mode = guest::kS_IFDIR | (mode_ & 07700);
    st.nlink = linked_ ? 2 + subdirs : 0;
    st.size = 4096;
    st.blocks = 8;
  } else {
    st.mode = guest::kS_IFREG | (mode_ & 07700);
    st.nlink = linked_ ? 1 : 0;
    st.size = static_cast<int64_t>(data.size());
    st.blocks = static_cast<int64_t>(data.stored_blocks() * (kMemoryBlockSize / 512));
  }
  return st;
}

MemoryNode::Ptr MemoryNode::copy(std::shared_ptr<MemoryUsage> usage) {
  Ptr n = is_dir_ ? make_dir(mode_, ino_, mtime_)
                  : make_file(mode_, ino_, mtime_, std::move(usage), data.share(), data.size());
  n->atime_ = atime_;
  n->ctime_ = ctime_;
  n->linked_ = linked_;
  return n;
}

void MemoryNode::modified() { mtime_ = ctime_ = memory_now(); }

void MemoryNode::changed() { ctime_ = memory_now(); }

void MemoryNode::chmod(uint32_t mode) {
  mode_ = mode & 07777;
  changed();
}

void MemoryNode::unlinked() {
  linked_ = false;
  changed();
}

int MemoryNode::set_times(const timespec* times) {
  timespec now = memory_now();
  if (times == nullptr) {
    atime_ = mtime_ = ctime_ = now;
    return 0;
  }
  for (int i = 0; i < 2; ++i) {
    long ns = times[i].tv_nsec;
    if (ns != UTIME_NOW && ns != UTIME_OMIT && (ns < 0 || ns >= 1000000000)) return -wasi_errno::kINVAL;
  }
  if (times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT) return 0;
  timespec* dst[2] = {&atime_, &mtime_};
  for (int i = 0; i < 2; ++i) {
    if (times[i].tv_nsec == UTIME_OMIT) continue;
    *dst[i] = times[i].tv_nsec == UTIME_NOW ? now : times[i];
  }
  ctime_ = now;
  return 0;
}

}  // namespace pglite::shim
