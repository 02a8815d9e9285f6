#include "interval_timers.h"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "process.h"

namespace pglite::shim {
namespace {

constexpr int64_t kReflagNs = 5 * 1000 * 1000;

// One thread for every process's timers: it sleeps until the earliest
// deadline and then calls that process's on_alarm.
class AlarmClock {
 public:
  static AlarmClock& instance() {
    static AlarmClock* clock = new AlarmClock;  // lives as long as the program
    return *clock;
  }

  void set(pgl_process* p, int64_t deadline_ns) {
    std::lock_guard<std::mutex> lock(mu_);
    if (deadline_ns == 0) {
      deadlines_.erase(p);
      return;
    }
    deadlines_[p] = deadline_ns;
    if (!thread_started_) {
      std::thread([this] { run(); }).detach();
      thread_started_ = true;
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (deadlines_.empty()) {
        wake_.wait(lock);
        continue;
      }
      auto next = std::min_element(deadlines_.begin(), deadlines_.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
      int64_t wait = next->second - monotonic_ns();
      if (wait > 0) {
        wake_.wait_for(lock, std::chrono::nanoseconds(wait));
        continue;
      }
      // Under the lock: forget_interval_timers() waits for it. A flag the
      // guest may clear before it reaches the safe point that delivers the
      // alarm (ProcessInterrupts resets InterruptPending), so it is raised
      // again shortly until the delivery re-arms or disarms the timer.
      pgl_process* p = next->first;
      if (p->options.on_alarm && p->options.on_alarm()) {
        next->second = monotonic_ns() + kReflagNs;
      } else {
        deadlines_.erase(next);
      }
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::map<pgl_process*, int64_t> deadlines_;
  bool thread_started_ = false;
};

int64_t earliest_deadline(pgl_process* p) {
  int64_t earliest = 0;
  for (const auto& d : p->alarm_deadline_ns) {
    int64_t v = d.load();
    if (v != 0 && (earliest == 0 || v < earliest)) earliest = v;
  }
  return earliest;
}

}  // namespace

void arm_interval_timer(pgl_process* p, uint32_t which, double ms) {
  if (which >= p->alarm_deadline_ns.size()) return;
  int64_t deadline = monotonic_ns() + static_cast<int64_t>(std::max(ms, 0.0) * 1e6);
  if (ms <= 0 && p->clearing_for_alarm[which]) {
    deadline = 0;  // _emscripten_timeout() clearing the timer it is about to raise
    p->clearing_for_alarm[which] = false;
  }
  // Otherwise 0 ms is a timer due now: Emscripten's setitimer() truncates to
  // whole milliseconds, and Postgres arms 1 us for a timeout already due.
  // (Its JS runtime takes 0 as "cancel", and such a timeout is lost.)
  p->alarm_deadline_ns[which] = deadline;
  AlarmClock::instance().set(p, earliest_deadline(p));
}

void rearm_interval_timers(pgl_process* p) {
  if (int64_t earliest = earliest_deadline(p)) AlarmClock::instance().set(p, earliest);
}

void deliver_due_alarms(pgl_process* p) {
  // As SIGALRM is blocked while its handler runs, no alarm nests in another.
  if (!p->emscripten_timeout_fn || p->delivering_alarm || earliest_deadline(p) == 0) return;
  p->delivering_alarm = true;
  int64_t now = monotonic_ns();
  for (uint32_t which = 0; which < p->alarm_deadline_ns.size(); which++) {
    int64_t d = p->alarm_deadline_ns[which].load();
    if (d == 0 || d > now || !p->alarm_deadline_ns[which].compare_exchange_strong(d, 0)) continue;
    // It clears the timer first (through _setitimer_js), then raises
    // SIGALRM; the guest's handler may arm it again.
    p->clearing_for_alarm[which] = true;
    p->emscripten_timeout_fn(p->modules[0]->instance, which, double(now) / 1e6);
    p->clearing_for_alarm[which] = false;
  }
  p->delivering_alarm = false;
  AlarmClock::instance().set(p, earliest_deadline(p));
}

int64_t ns_until_next_alarm(pgl_process* p) {
  int64_t earliest = earliest_deadline(p);
  return earliest == 0 ? -1 : std::max<int64_t>(0, earliest - monotonic_ns());
}

void sleep_until_alarm(pgl_process* p, int64_t ns) {
  int64_t alarm = ns_until_next_alarm(p);
  if (alarm >= 0) ns = std::min(ns, alarm);
  if (ns <= 0) return;
  struct timespec ts = {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
  nanosleep(&ts, nullptr);
}

int64_t monotonic_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // the clock of emscripten_get_now()
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void forget_interval_timers(pgl_process* p) {
  for (auto& d : p->alarm_deadline_ns) d = 0;
  AlarmClock::instance().set(p, 0);
}

}  // namespace pglite::shim

extern "C" void pgl_interrupt_point(struct Z_env_instance_t* env) {
  // The guest got here by reading InterruptPending, which another thread
  // (Database::cancel, the alarm thread) may have raised after the flags
  // ProcessInterrupts reads next (QueryCancelPending, ...). The guest's loads
  // are plain ones: on weakly ordered hosts (arm64) the later loads could see
  // older values than the first, and a cancel would be dropped with
  // InterruptPending cleared. An acquire fence orders them.
  std::atomic_thread_fence(std::memory_order_acquire);
  pglite::shim::deliver_due_alarms(env->proc);
}
