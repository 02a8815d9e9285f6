// Imports a sandboxed single-process Postgres barely needs: sockets fail
// cleanly (or are placeholders for guests that route their traffic through
// callbacks); select() serves pg_usleep() (no fds, a timeout) as a real sleep.
#include <time.h>

#include <algorithm>

#include "fs/import_util.h"
#include "fs/imports.h"
#include "interval_timers.h"

namespace w = pglite::shim::wasi_errno;

namespace {
constexpr uint32_t fail(int e) { return static_cast<uint32_t>(-e); }
}  // namespace

extern "C" {

// select(0, NULL, NULL, NULL, &timeout) is how Postgres sleeps (pg_usleep,
// pg_sleep, latch waits). Sleep for real instead of letting the caller spin,
// in slices of at most 10 ms so a cancel is noticed promptly (the callers
// re-check their deadline and loop), and no later than the next armed
// setitimer(), whose alarm is delivered here. With fds, report nothing ready.
uint32_t Z_envZ___syscall__newselect(struct Z_env_instance_t* env, uint32_t nfds, uint32_t readfds,
                                     uint32_t writefds, uint32_t exceptfds, uint32_t timeout) {
  pglite::shim::GuestMemory mem = pglite::shim::process_memory(env->proc);
  for (uint32_t set : {readfds, writefds, exceptfds}) {
    if (set && mem.valid(set, 8)) {
      mem.store_u32(set, 0);
      mem.store_u32(set + 4, 0);
    }
  }
  if (!timeout) return nfds ? 0 : fail(w::kINVAL);
  if (!mem.valid(timeout, 16)) return fail(w::kFAULT);
  int64_t sec = static_cast<int64_t>(mem.load_u64(timeout));
  int64_t usec = static_cast<int32_t>(mem.load_u32(timeout + 8));
  int64_t total_us = sec * 1000000 + usec;
  if (total_us > 0) pglite::shim::sleep_until_alarm(env->proc, std::min<int64_t>(total_us, 10000) * 1000);
  pglite::shim::deliver_due_alarms(env->proc);
  return 0;
}

uint32_t Z_envZ___syscall_socket(struct Z_env_instance_t* env, uint32_t, uint32_t, uint32_t, uint32_t,
                                 uint32_t, uint32_t) {
  if (!env->proc->options.socket_placeholders) return fail(w::kAFNOSUPPORT);
  return static_cast<uint32_t>(pglite::shim::process_fs(env->proc).socket_placeholder());
}

#define PGL_NO_SOCKET_CALL(name)                                                                     \
  uint32_t Z_envZ___syscall_##name(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, \
                                   uint32_t, uint32_t) {                                             \
    return fail(w::kNOSYS);                                                                          \
  }
PGL_NO_SOCKET_CALL(bind)
PGL_NO_SOCKET_CALL(connect)
PGL_NO_SOCKET_CALL(listen)
PGL_NO_SOCKET_CALL(accept4)
PGL_NO_SOCKET_CALL(recvfrom)
PGL_NO_SOCKET_CALL(sendto)
#undef PGL_NO_SOCKET_CALL

}  // extern "C"
