#include "fs/memory_file_data.h"

#include <algorithm>
#include <cstring>

#include "fs/errno_wasi.h"

namespace pglite::shim {
namespace {

namespace w = wasi_errno;
constexpr uint64_t kBs = kMemoryBlockSize;

bool all_zero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

}  // namespace

MemoryFileData::MemoryFileData(std::shared_ptr<MemoryUsage> usage,
                               std::shared_ptr<const MemoryBlockList> base, uint64_t size)
    : usage_(std::move(usage)), base_(std::move(base)), size_(size) {}

MemoryFileData::~MemoryFileData() {
  for (MemoryBlockPtr& b : list_) release(b);
}

uint64_t MemoryFileData::stored_blocks() const {
  uint64_t n = 0;
  for (const MemoryBlockPtr& b : blocks()) n += b != nullptr;
  return n;
}

std::shared_ptr<const MemoryBlockList> MemoryFileData::share() {
  if (own_) {
    for (const MemoryBlockPtr& b : list_)
      if (b != nullptr && b.use_count() == 1) usage_->used_bytes -= kBs;
    base_ = std::make_shared<const MemoryBlockList>(std::move(list_));
    list_.clear();
    own_ = false;
  }
  return base_;
}

MemoryBlockList& MemoryFileData::own() {
  if (!own_) {
    if (base_ != nullptr) list_ = *base_;
    own_ = true;
  }
  return list_;
}

void MemoryFileData::release(MemoryBlockPtr& b) {
  if (b != nullptr && b.use_count() == 1) usage_->used_bytes -= kBs;
  b.reset();
}

void MemoryFileData::make_private(MemoryBlockPtr& b) {
  if (b != nullptr && b.use_count() == 1) return;
  b = b == nullptr ? std::make_shared<MemoryBlock>() : std::make_shared<MemoryBlock>(*b);
  usage_->used_bytes += kBs;
}

void MemoryFileData::trim() {
  while (!list_.empty() && list_.back() == nullptr) list_.pop_back();
}

int64_t MemoryFileData::read(void* dst, size_t n, uint64_t off) const {
  if (off >= size_) return 0;
  n = static_cast<size_t>(std::min<uint64_t>(n, size_ - off));
  const MemoryBlockList& bl = blocks();
  auto* out = static_cast<uint8_t*>(dst);
  for (size_t done = 0; done < n;) {
    uint64_t pos = off + done;
    uint64_t b = pos / kBs;
    size_t in = static_cast<size_t>(pos % kBs);
    size_t len = std::min<size_t>(kBs - in, n - done);
    if (b < bl.size() && bl[b] != nullptr) {
      std::memcpy(out + done, bl[b]->bytes.data() + in, len);
    } else {
      std::memset(out + done, 0, len);
    }
    done += len;
  }
  return static_cast<int64_t>(n);
}

int64_t MemoryFileData::write(const void* src, size_t n, uint64_t off) {
  if (n == 0) return 0;
  if (off >= kMaxSize || n > kMaxSize - off) return -w::kFBIG;
  const auto* in = static_cast<const uint8_t*>(src);
  const uint64_t end = off + n;
  const uint64_t first = off / kBs, last = (end - 1) / kBs;
  // A whole block of zeros becomes a hole: zero-filling writes (WAL segment
  // initialisation, relation extension) then cost nothing.
  auto zero_block = [&](uint64_t b) {
    return b * kBs >= off && (b + 1) * kBs <= end && all_zero(in + (b * kBs - off), kBs);
  };
  {
    const MemoryBlockList& bl = blocks();
    uint64_t needed = 0;
    for (uint64_t b = first; b <= last; ++b) {
      // Before own() the list is the image's, where use_count() says nothing.
      bool owned = own_ && b < bl.size() && bl[b] != nullptr && bl[b].use_count() == 1;
      if (!owned && !zero_block(b)) ++needed;
    }
    if (!usage_->fits(needed)) return -w::kNOSPC;
  }
  MemoryBlockList& bl = own();
  if (bl.size() <= last) bl.resize(last + 1);
  for (uint64_t b = first; b <= last; ++b) {
    if (zero_block(b)) {
      release(bl[b]);
      continue;
    }
    uint64_t from = std::max(off, b * kBs), to = std::min(end, (b + 1) * kBs);
    make_private(bl[b]);
    std::memcpy(bl[b]->bytes.data() + (from - b * kBs), in + (from - off), to - from);
  }
  trim();
  size_ = std::max(size_, end);
  return static_cast<int64_t>(n);
}

int MemoryFileData::truncate(uint64_t len) {
  if (len > kMaxSize) return -w::kFBIG;
  if (len < size_ && blocks().size() * kBs > len) {
    MemoryBlockList& bl = own();
    uint64_t keep = (len + kBs - 1) / kBs;
    for (uint64_t b = keep; b < bl.size(); ++b) release(bl[b]);
    bl.resize(keep);
    size_t tail = static_cast<size_t>(len % kBs);
    if (tail != 0 && bl[keep - 1] != nullptr) {
      MemoryBlockPtr& b = bl[keep - 1];
      if (!all_zero(b->bytes.data() + tail, kBs - tail)) {
        make_private(b);
        std::memset(b->bytes.data() + tail, 0, kBs - tail);
      }
    }
    trim();
  }
  size_ = len;
  return 0;
}

int MemoryFileData::allocate(uint64_t off, uint64_t len) {
  if (off > kMaxSize || len > kMaxSize - off) return -w::kFBIG;
  if (len > 0 && usage_->limit_bytes != 0) {
    const MemoryBlockList& bl = blocks();
    uint64_t holes = 0;
    for (uint64_t b = off / kBs; b <= (off + len - 1) / kBs; ++b) holes += b >= bl.size() || bl[b] == nullptr;
    if (!usage_->fits(holes)) return -w::kNOSPC;
  }
  size_ = std::max(size_, off + len);
  return 0;
}

}  // namespace pglite::shim
