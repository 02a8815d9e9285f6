// Drives the file-system imports the way the translated code does: a fake
// wasm process whose linear memory is a plain buffer, plus a bump allocator
// for guest-side arguments. process.cc is not linked into these tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fs/file_system.h"
#include "fs/imports.h"
#include "process.h"

class GuestHarness {
 protected:
  explicit GuestHarness(size_t memory_bytes) : buf_(memory_bytes, 0) {
    proc_.memory.data = buf_.data();
    proc_.memory.size = static_cast<uint32_t>(buf_.size());
  }

  static int32_t S(uint32_t r) { return static_cast<int32_t>(r); }

  // Address 0 stays unused, like NULL; wraps around when the buffer is full
  // (earlier arguments are dead by then).
  uint32_t alloc(uint32_t n) {
    uint32_t a = (top_ + 7) & ~7u;
    if (a + n > buf_.size()) a = 64;
    top_ = a + n;
    return a;
  }
  uint32_t str(const std::string& s) {
    uint32_t a = alloc(static_cast<uint32_t>(s.size()) + 1);
    std::memcpy(&buf_[a], s.c_str(), s.size() + 1);
    return a;
  }
  uint32_t u32(uint32_t v) {
    uint32_t a = alloc(4);
    std::memcpy(&buf_[a], &v, 4);
    return a;
  }
  template <typename T>
  T at(uint32_t a) {
    T v;
    std::memcpy(&v, &buf_[a], sizeof v);
    return v;
  }
  int32_t open(const std::string& p, uint32_t flags, uint32_t mode = 0600) {
    return S(Z_envZ___syscall_openat(&env_, static_cast<uint32_t>(-100), str(p), flags, u32(mode)));
  }

  std::vector<uint8_t> buf_;
  pgl_process proc_;
  pglite::shim::FileSystem& fs_ = *(proc_.fs = std::make_unique<pglite::shim::FileSystem>());
  Z_env_instance_t env_{&proc_, nullptr, 0, 0};
  Z_wasi_snapshot_preview1_instance_t wasi_{&proc_};
  uint32_t top_ = 64;
};
