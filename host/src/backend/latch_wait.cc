// WaitLatch() for the translated Postgres. PGlite's latch waits have no
// blocking primitive (poll() returns at once), so WaitEventSetWait spins on
// the clock until the timeout: pg_sleep(10) kept a core busy for 10 s. The
// build makes WaitLatch call pgl_wait_latch first (wasm2c_split.py
// --entry-hook); it sleeps here for as long as Postgres would block and
// returns the timeout WaitLatch is left with (0 once it has passed), so
// WaitLatch returns at once for its time, the latch or an interrupt.

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "interval_timers.h"
#include "module_desc.h"
#include "pglite_module.h"  // generated: exports of the Postgres module
#include "process.h"

namespace {

// storage/latch.h
constexpr uint32_t kLatchSet = 1u << 0;
constexpr uint32_t kTimeout = 1u << 3;
constexpr uint32_t kSocketEvents = (1u << 1) | (1u << 2) | (1u << 6) | (1u << 7) | (1u << 8);
constexpr int64_t kSliceNs = 10 * 1000 * 1000;  // how soon a cancel is noticed

}  // namespace

extern "C" uint32_t pgl_wait_latch(struct Z_env_instance_t* env, uint32_t latch, uint32_t events,
                                   uint32_t timeout_ms) {
  pgl_process* p = env->proc;
  // Sockets are not waited on here (the guest has none that block).
  if (events & kSocketEvents) return timeout_ms;
  auto* inst = static_cast<Z_pglite_instance_t*>(p->modules[0]->instance);
  pglite::shim::GuestMemory mem = pglite::shim::process_memory(p);
  uint32_t interrupt_flag = *Z_pgliteZ_InterruptPending(inst) + p->main_memory_base;
  // Raised by other threads (flag_interrupt); the fence orders what the guest
  // reads after WaitLatch returns (QueryCancelPending, ...) after the flag,
  // which a weakly ordered host (arm64) does not do for plain loads.
  auto flag_set = [&](uint32_t addr) {
    if (addr == 0 || !mem.valid(addr, 4) || mem.load_u32(addr) == 0) return false;
    std::atomic_thread_fence(std::memory_order_acquire);
    return true;
  };
  const bool has_timeout = (events & kTimeout) && static_cast<int32_t>(timeout_ms) >= 0;
  const int64_t end =
      has_timeout ? pglite::shim::monotonic_ns() + int64_t(int32_t(timeout_ms)) * 1000000 : INT64_MAX;
  auto left = [&] {
    return has_timeout
               ? static_cast<uint32_t>(std::max<int64_t>(0, (end - pglite::shim::monotonic_ns()) / 1000000))
               : timeout_ms;
  };
  for (;;) {
    // A set latch (`latch` is a Latch*, is_set its first field) or a pending
    // interrupt (a cancel, a due alarm) is for WaitLatch itself to see.
    if (((events & kLatchSet) && flag_set(latch)) || flag_set(interrupt_flag)) return left();
    pglite::shim::deliver_due_alarms(p);  // may set the latch
    if (((events & kLatchSet) && flag_set(latch)) || flag_set(interrupt_flag)) return left();
    int64_t now = pglite::shim::monotonic_ns();
    if (now >= end) return 0;
    pglite::shim::sleep_until_alarm(p, std::min(end - now, kSliceNs));
  }
}
