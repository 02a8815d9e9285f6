// Test-only fault injection for every guest file system: chosen calls on
// chosen paths fail as a failing disk would (EIO, ENOSPC) or write less
// than asked. Process-wide; off (one relaxed atomic load per call) unless a
// test sets faults. Used by tests/integration/fault_injection_test.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pglite::shim {

enum class FaultOp { kRead, kWrite, kSync, kAllocate };

struct Fault {
  FaultOp op = FaultOp::kWrite;
  std::string path_contains;  ///< guest path substring; empty: any file
  int guest_errno = 0;        ///< wasi errno to fail with; 0: a short write (kWrite only)
  int64_t skip = 0;           ///< matching calls let through first
  int64_t times = -1;         ///< failures before the fault clears itself; -1: until cleared
};

/// Replaces the active faults (an empty list turns injection off).
void set_faults(std::vector<Fault> faults);

/// How many calls have failed by injection since the last set_faults().
int64_t injected_fault_count();

/// Called by FileSystem before an operation on an open file. Returns 0 to
/// go ahead (with *len possibly shortened, for a short write), or a
/// negative wasi errno to fail with.
int64_t check_fault(FaultOp op, std::string_view path, size_t* len);

}  // namespace pglite::shim
