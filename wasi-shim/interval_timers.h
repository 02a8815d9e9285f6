// setitimer() for the guest, as Emscripten's JS runtime does it with
// setTimeout. _setitimer_js(which, ms) arms a deadline. When it passes, the
// process's on_alarm callback runs on the alarm thread; it may only flag the
// guest (the backend raises Postgres' InterruptPending). The alarm itself,
// _emscripten_timeout() -> raise(SIGALRM) -> the guest's handler, runs on the
// guest's own thread at the next safe point: ProcessInterrupts() (which
// every CHECK_FOR_INTERRUPTS() calls once an interrupt is pending, through a
// hook the build puts at its entry), a sleep in select(), or a clock read
// (PGlite's latch waits spin on the clock).
#pragma once

#include <cstdint>

struct pgl_process;

namespace pglite::shim {

/// _setitimer_js: `ms` from now (0 or less disarms). `which` is ITIMER_*.
void arm_interval_timer(pgl_process* p, uint32_t which, double ms);
/// Hands the armed deadlines in p->alarm_deadline_ns (a copy's, see
/// Process::clone) to the alarm thread.
void rearm_interval_timers(pgl_process* p);
/// Runs the guest's alarm for every timer that is due. Guest thread only.
void deliver_due_alarms(pgl_process* p);
/// Nanoseconds until the next armed timer, or -1 if none is armed.
int64_t ns_until_next_alarm(pgl_process* p);
/// Disarms everything; after it returns on_alarm is not called again.
void forget_interval_timers(pgl_process* p);
/// Sleeps up to `ns`, less if an armed timer falls due sooner (the caller
/// then delivers it with deliver_due_alarms).
void sleep_until_alarm(pgl_process* p, int64_t ns);
/// CLOCK_MONOTONIC in ns, the clock the deadlines use.
int64_t monotonic_ns();

}  // namespace pglite::shim
