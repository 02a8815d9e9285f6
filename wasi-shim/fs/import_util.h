// Plumbing shared by the import functions: reach the process's FileSystem
// and memory, read guest strings, and keep C++ exceptions from unwinding
// into generated C code.
#pragma once

#include <cstdint>
#include <new>
#include <string_view>

#include "fs/errno_wasi.h"
#include "fs/file_system.h"
#include "process.h"

namespace pglite::shim::imports {

/// Runs f (returning >= 0 or -guest errno) with exceptions mapped to errnos.
template <typename F>
int64_t guarded(F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return -wasi_errno::kNOMEM;
  } catch (...) {
    return -wasi_errno::kIO;
  }
}

/// __syscall_* convention: the value, or -errno, as u32.
inline uint32_t sys_ret(int64_t r) { return static_cast<uint32_t>(static_cast<int32_t>(r)); }
/// WASI convention: 0 or the positive errno.
inline uint32_t wasi_ret(int64_t r) { return r < 0 ? static_cast<uint32_t>(-r) : 0; }

/// NUL-terminated guest string at addr; -EFAULT for NULL or out of bounds.
inline int read_str(const GuestMemory& mem, uint32_t addr, std::string_view* out) {
  const char* s;
  uint64_t len;
  if (addr == 0 || !mem.read_cstr(addr, &s, &len)) return -wasi_errno::kFAULT;
  *out = std::string_view(s, len);
  return 0;
}

inline int as_fd(uint32_t fd) { return static_cast<int32_t>(fd); }

}  // namespace pglite::shim::imports
