// Drives the file-system imports the way the translated code does: a fake
// wasm process whose linear memory is a plain buffer, plus a bump allocator
// for guest-side arguments. process.cc is not linked into these tests.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
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

  /// A fresh host directory /tmp/<prefix>XXXXXX for host mounts.
  static std::filesystem::path make_temp_dir(const std::string& prefix) {
    std::string tmpl = "/tmp/" + prefix + "XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    return tmpl;
  }

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

  // Bytes written or -errno; off < 0 writes at the fd's position.
  int32_t write(int32_t fd, const std::string& s, int64_t off = -1) {
    uint32_t buf = alloc(static_cast<uint32_t>(s.size())), iov = alloc(8), n = alloc(4);
    std::memcpy(&buf_[buf], s.data(), s.size());
    std::memcpy(&buf_[iov], &buf, 4);
    uint32_t len = static_cast<uint32_t>(s.size());
    std::memcpy(&buf_[iov + 4], &len, 4);
    uint32_t e = off < 0 ? Z_wasi_snapshot_preview1Z_fd_write(&wasi_, fd, iov, 1, n)
                         : Z_wasi_snapshot_preview1Z_fd_pwrite(&wasi_, fd, iov, 1, off, n);
    return e != 0 ? -static_cast<int32_t>(e) : at<int32_t>(n);
  }
  // The data read, or "E<errno>"; off < 0 reads at the fd's position.
  std::string pread(int32_t fd, uint32_t len, int64_t off = -1) {
    uint32_t buf = alloc(len), iov = alloc(8), n = alloc(4);
    std::memcpy(&buf_[iov], &buf, 4);
    std::memcpy(&buf_[iov + 4], &len, 4);
    uint32_t e = off < 0 ? Z_wasi_snapshot_preview1Z_fd_read(&wasi_, fd, iov, 1, n)
                         : Z_wasi_snapshot_preview1Z_fd_pread(&wasi_, fd, iov, 1, off, n);
    if (e != 0) return "E" + std::to_string(e);
    return std::string(reinterpret_cast<char*>(&buf_[buf]), at<uint32_t>(n));
  }

  std::vector<uint8_t> buf_;
  pgl_process proc_;
  pglite::shim::FileSystem& fs_ = *(proc_.fs = std::make_unique<pglite::shim::FileSystem>());
  Z_env_instance_t env_{&proc_, nullptr, 0, 0};
  Z_wasi_snapshot_preview1_instance_t wasi_{&proc_};
  uint32_t top_ = 64;
};
