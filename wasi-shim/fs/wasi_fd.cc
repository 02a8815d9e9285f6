// WASI preview1 fd_* imports (the guest libc's read/write/lseek/close path).
#include <cstring>

#include "fs/import_util.h"
#include "fs/imports.h"

using namespace pglite::shim;
using namespace pglite::shim::imports;
namespace w = pglite::shim::wasi_errno;

namespace {

template <typename F>
uint32_t wasi(struct Z_wasi_snapshot_preview1_instance_t* inst, F&& f) {
  return wasi_ret(
      guarded([&]() -> int64_t { return f(process_fs(inst->proc), process_memory(inst->proc)); }));
}

// Validates an iovec array ({u32 buf, u32 len} each) and every buffer in it.
int check_iovs(const GuestMemory& mem, uint32_t iovs, uint32_t n) {
  if (!mem.valid(iovs, uint64_t(n) * 8)) return -w::kFAULT;
  for (uint32_t i = 0; i < n; ++i) {
    if (!mem.valid(mem.load_u32(iovs + 8 * i), mem.load_u32(iovs + 8 * i + 4))) return -w::kFAULT;
  }
  return 0;
}

// Runs io(ptr, len, offset) per iovec until a short transfer; reports a
// partial count rather than a later error, as readv/writev do.
template <typename Io>
int64_t for_each_iov(const GuestMemory& mem, uint32_t iovs, uint32_t n, uint32_t result_ptr, uint64_t offset,
                     Io&& io) {
  if (!mem.valid(result_ptr, 4)) return -w::kFAULT;
  if (int e = check_iovs(mem, iovs, n); e < 0) return e;
  if (static_cast<int64_t>(offset) < 0) return -w::kINVAL;
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t buf = mem.load_u32(iovs + 8 * i);
    uint32_t len = mem.load_u32(iovs + 8 * i + 4);
    int64_t r = io(mem.ptr(buf), len, offset + total);
    if (r < 0) {
      if (total > 0) break;
      return r;
    }
    total += static_cast<uint64_t>(r);
    if (static_cast<uint64_t>(r) < len) break;
  }
  mem.store_u32(result_ptr, static_cast<uint32_t>(total));
  return 0;
}

}  // namespace

extern "C" {

uint32_t Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t* inst, uint32_t fd,
                                            uint32_t iovs, uint32_t iovs_len, uint32_t nwritten) {
  return wasi(inst, [&](FileSystem& fs, const GuestMemory& mem) {
    return for_each_iov(mem, iovs, iovs_len, nwritten, 0,
                        [&](uint8_t* p, uint32_t n, uint64_t) { return fs.write(as_fd(fd), p, n); });
  });
}

uint32_t Z_wasi_snapshot_preview1Z_fd_read(struct Z_wasi_snapshot_preview1_instance_t* inst, uint32_t fd,
                                           uint32_t iovs, uint32_t iovs_len, uint32_t nread) {
  return wasi(inst, [&](FileSystem& fs, const GuestMemory& mem) {
    return for_each_iov(mem, iovs, iovs_len, nread, 0,
                        [&](uint8_t* p, uint32_t n, uint64_t) { return fs.read(as_fd(fd), p, n); });
  });
}

uint32_t Z_wasi_snapshot_preview1Z_fd_pread(struct Z_wasi_snapshot_preview1_instance_t* inst, uint32_t fd,
                                            uint32_t iovs, uint32_t iovs_len, uint64_t offset,
                                            uint32_t nread) {
  return wasi(inst, [&](FileSystem& fs, const GuestMemory& mem) {
    return for_each_iov(mem, iovs, iovs_len, nread, offset, [&](uint8_t* p, uint32_t n, uint64_t off) {
      return fs.pread_fd(as_fd(fd), p, n, off);
    });
  });
}

uint32_t Z_wasi_snapshot_preview1Z_fd_pwrite(struct Z_wasi_snapshot_preview1_instance_t* inst, uint32_t fd,
                                             uint32_t iovs, uint32_t iovs_len, uint64_t offset,
                                             uint32_t nwritten) {
  return wasi(inst, [&](FileSystem& fs, const GuestMemory& mem) {
    return for_each_iov(mem, iovs, iovs_len, nwritten, offset, [&](uint8_t* p, uint32_t n, uint64_t off) {
      return fs.pwrite_fd(as_fd(fd), p, n, off);
    });
  });
}

uint32_t Z_wasi_snapshot_preview1Z_fd_seek(struct Z_wasi_snapshot_preview1_instance_t* inst, uint32_t fd,
                                           uint64_t offset, uint32_t whence, uint32_t newoffset) {
  return wasi(inst, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    if (!mem.valid(newoffset, 8)) return -w::kFAULT;
    if (whence > 2) return -w::kINVAL;  // WASI SET/CUR/END == Linux 0/1/2
    int64_t r = fs.seek(as_fd(fd), static_cast<int64_t>(offset), static_cast<int>(whence));
    if (r < 0) return r;
    mem.store_u64(newoffset, static_cast<uint64_t>(r));
    return 0;
  });
}

uint32_t Z_wasi_snapshot_preview1Z_fd_close(struct Z_wasi_snapshot_preview1_instance_t* inst, uint32_t fd) {
  return wasi(inst, [&](FileSystem& fs, const GuestMemory&) { return fs.close(as_fd(fd)); });
}

uint32_t Z_wasi_snapshot_preview1Z_fd_sync(struct Z_wasi_snapshot_preview1_instance_t* inst, uint32_t fd) {
  return wasi(inst, [&](FileSystem& fs, const GuestMemory&) { return fs.fsync(as_fd(fd), false); });
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_get(struct Z_wasi_snapshot_preview1_instance_t* inst,
                                                 uint32_t fd, uint32_t buf) {
  return wasi(inst, [&](FileSystem& fs, const GuestMemory& mem) -> int64_t {
    if (!mem.valid(buf, guest::kFdstatSize)) return -w::kFAULT;
    uint8_t type;
    uint16_t flags;
    if (int e = fs.fdstat(as_fd(fd), &type, &flags); e < 0) return e;
    std::memset(mem.ptr(buf), 0, guest::kFdstatSize);
    *mem.ptr(buf) = type;
    std::memcpy(mem.ptr(buf + 2), &flags, 2);
    return 0;  // rights stay 0, as Emscripten reports
  });
}

}  // extern "C"
