#include "fs/guest_abi.h"

#include <algorithm>
#include <cstring>

namespace pglite::shim {
namespace {

template <typename T>
void put(const GuestMemory& mem, uint32_t addr, T v) {
  std::memcpy(mem.ptr(addr), &v, sizeof v);
}

// Guest statfs fields are 32-bit; saturate rather than wrap.
uint32_t sat32(uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)); }

}  // namespace

void write_guest_stat(const GuestMemory& mem, uint32_t a, const FileStat& st) {
  std::memset(mem.ptr(a), 0, guest::kStatSize);
  put<uint32_t>(mem, a + 0, st.dev);
  put<uint32_t>(mem, a + 4, st.mode);
  put<uint32_t>(mem, a + 8, st.nlink);
  put<uint32_t>(mem, a + 12, st.uid);
  put<uint32_t>(mem, a + 16, st.gid);
  put<uint32_t>(mem, a + 20, st.rdev);
  put<int64_t>(mem, a + 24, st.size);
  put<int32_t>(mem, a + 32, 4096);
  put<int32_t>(mem, a + 36, static_cast<int32_t>(std::min<int64_t>(st.blocks, INT32_MAX)));
  put<int64_t>(mem, a + 40, st.atime.tv_sec);
  put<uint32_t>(mem, a + 48, static_cast<uint32_t>(st.atime.tv_nsec));
  put<int64_t>(mem, a + 56, st.mtime.tv_sec);
  put<uint32_t>(mem, a + 64, static_cast<uint32_t>(st.mtime.tv_nsec));
  put<int64_t>(mem, a + 72, st.ctime.tv_sec);
  put<uint32_t>(mem, a + 80, static_cast<uint32_t>(st.ctime.tv_nsec));
  put<uint64_t>(mem, a + 88, st.ino);
}

void write_guest_dirent(const GuestMemory& mem, uint32_t a, const DirEntry& e, int64_t next_off) {
  std::memset(mem.ptr(a), 0, guest::kDirentSize);
  put<uint64_t>(mem, a + 0, e.ino);
  put<int64_t>(mem, a + 8, next_off);
  put<uint16_t>(mem, a + 16, static_cast<uint16_t>(guest::kDirentSize));
  put<uint8_t>(mem, a + 18, e.type);
  size_t n = std::min<size_t>(e.name.size(), guest::kDirentNameMax);
  std::memcpy(mem.ptr(a + 19), e.name.data(), n);  // NUL comes from the memset
}

void write_guest_statfs(const GuestMemory& mem, uint32_t a, const FsStat& st) {
  std::memset(mem.ptr(a), 0, guest::kStatfsWritten);
  put<uint32_t>(mem, a + 4, st.bsize);
  put<uint32_t>(mem, a + 8, sat32(st.blocks));
  put<uint32_t>(mem, a + 12, sat32(st.bfree));
  put<uint32_t>(mem, a + 16, sat32(st.bavail));
  put<uint32_t>(mem, a + 20, sat32(st.files));
  put<uint32_t>(mem, a + 24, sat32(st.ffree));
  put<uint32_t>(mem, a + 28, st.fsid);
  put<uint32_t>(mem, a + 36, st.namelen);
  put<uint32_t>(mem, a + 40, st.bsize);  // f_frsize
  put<uint32_t>(mem, a + 44, st.flags);
}

}  // namespace pglite::shim
