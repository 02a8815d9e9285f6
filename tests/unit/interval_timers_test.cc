// The host side of setitimer() (wasi-shim/interval_timers.cc) against a
// stand-in for the guest's _emscripten_timeout: when alarms fall due, how
// Emscripten's whole-millisecond truncation is read, and the alarm thread.
#include "interval_timers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "fs/file_system.h"  // pgl_process owns one
#include "process.h"

namespace {

using pglite::shim::arm_interval_timer;
using pglite::shim::deliver_due_alarms;
using pglite::shim::forget_interval_timers;
using pglite::shim::ns_until_next_alarm;

struct FakeGuest {
  pgl_process proc;
  std::vector<uint32_t> alarms;  // `which` of every delivered alarm
  double rearm_ms = -1;          // what the "signal handler" arms, if >= 0

  FakeGuest() {
    proc.modules.push_back(std::make_unique<pgl_process::LoadedModule>());
    proc.modules[0]->instance = this;
    // As Emscripten's _emscripten_timeout: clear the timer, then raise.
    proc.emscripten_timeout_fn = [](void* instance, uint32_t which, double) {
      auto* g = static_cast<FakeGuest*>(instance);
      arm_interval_timer(&g->proc, which, 0);
      g->alarms.push_back(which);
      if (g->rearm_ms >= 0) arm_interval_timer(&g->proc, which, g->rearm_ms);
    };
  }
  ~FakeGuest() { forget_interval_timers(&proc); }
};

TEST(IntervalTimers, AnAlarmIsDeliveredOnlyOnceDue) {
  FakeGuest g;
  arm_interval_timer(&g.proc, 0, 30);
  deliver_due_alarms(&g.proc);
  EXPECT_TRUE(g.alarms.empty());
  EXPECT_GT(ns_until_next_alarm(&g.proc), 0);
  usleep(40 * 1000);
  deliver_due_alarms(&g.proc);
  EXPECT_EQ(g.alarms, std::vector<uint32_t>{0});
  deliver_due_alarms(&g.proc);  // cleared by _emscripten_timeout: not again
  EXPECT_EQ(g.alarms.size(), 1u);
  EXPECT_EQ(ns_until_next_alarm(&g.proc), -1);
}

// Postgres arms 1 us for a timeout already due; Emscripten's setitimer()
// passes that on as 0 ms, which must mean "now", not "cancel".
TEST(IntervalTimers, ZeroMillisecondsFromTheGuestIsDueNow) {
  FakeGuest g;
  arm_interval_timer(&g.proc, 0, 0);
  EXPECT_EQ(ns_until_next_alarm(&g.proc), 0);
  deliver_due_alarms(&g.proc);
  EXPECT_EQ(g.alarms.size(), 1u);
}

// The handler arms the next timeout while the alarm is being delivered: that
// one is kept, and a sub-millisecond one from the handler is due right away.
TEST(IntervalTimers, TheHandlerCanArmTheNextAlarm) {
  FakeGuest g;
  g.rearm_ms = 0;
  arm_interval_timer(&g.proc, 0, 0);
  deliver_due_alarms(&g.proc);
  EXPECT_EQ(g.alarms.size(), 1u);  // no nested delivery
  EXPECT_EQ(ns_until_next_alarm(&g.proc), 0);
  g.rearm_ms = 10000;
  deliver_due_alarms(&g.proc);
  EXPECT_EQ(g.alarms.size(), 2u);
  EXPECT_GT(ns_until_next_alarm(&g.proc), 9000000000LL);
}

TEST(IntervalTimers, TheAlarmThreadCallsOnAlarmAndForgetStopsIt) {
  FakeGuest g;
  std::atomic<int> calls{0};
  bool flag = true;
  g.proc.options.on_alarm = [&] {
    calls++;
    return flag;
  };
  arm_interval_timer(&g.proc, 0, 10);
  for (int i = 0; i < 200 && calls < 3; i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // Flagged, not delivered: raised again until the alarm is delivered.
  EXPECT_GE(calls, 3);
  deliver_due_alarms(&g.proc);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  int after_delivery = calls;
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(calls, after_delivery);
  // Not flagged (an idle backend): called once.
  flag = false;
  calls = 0;
  arm_interval_timer(&g.proc, 0, 5);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(calls, 1);
  deliver_due_alarms(&g.proc);
  arm_interval_timer(&g.proc, 0, 20);
  forget_interval_timers(&g.proc);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(calls, 1);
}

}  // namespace
