#include "cancel.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>

namespace pglite::cli {
namespace {

static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");

std::atomic<bool> g_pending{false};
int g_watch_pipe[2] = {-1, -1};  // handler -> watcher thread
int g_wake_pipe[2] = {-1, -1};   // handler -> input/sleep waiters
int g_stop_pipe[2] = {-1, -1};   // destructor -> watcher thread
struct sigaction g_previous {};
std::thread g_watcher;

void on_sigint(int) {
  const int saved = errno;
  g_pending.store(true);
  const char byte = 'c';
  // Full pipes just mean an interrupt is already pending.
  [[maybe_unused]] ssize_t a = write(g_watch_pipe[1], &byte, 1);
  [[maybe_unused]] ssize_t b = write(g_wake_pipe[1], &byte, 1);
  errno = saved;
}

void make_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) fds[0] = fds[1] = -1;
}

void close_pipe(int fds[2]) {
  for (int i = 0; i < 2; ++i) {
    if (fds[i] >= 0) close(fds[i]);
    fds[i] = -1;
  }
}

void drain(int fd) {
  char buf[64];
  while (read(fd, buf, sizeof buf) > 0) {
  }
}

}  // namespace

CancelOnInterrupt::CancelOnInterrupt(Database& db) {
  make_pipe(g_watch_pipe);
  make_pipe(g_wake_pipe);
  make_pipe(g_stop_pipe);
  if (g_watch_pipe[0] < 0 || g_wake_pipe[0] < 0 || g_stop_pipe[0] < 0)
    return;  // out of descriptors: SIGINT stays fatal
  g_watcher = std::thread([&db] {
    pollfd fds[2] = {{g_watch_pipe[0], POLLIN, 0}, {g_stop_pipe[0], POLLIN, 0}};
    for (;;) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
      if (fds[0].revents != 0) {
        drain(g_watch_pipe[0]);
        db.cancel();  // a no-op when nothing runs
      }
    }
  });
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &g_previous);
}

CancelOnInterrupt::~CancelOnInterrupt() {
  if (g_watcher.joinable()) sigaction(SIGINT, &g_previous, nullptr);
  const char byte = 's';
  [[maybe_unused]] ssize_t n = write(g_stop_pipe[1], &byte, 1);
  if (g_watcher.joinable()) g_watcher.join();
  close_pipe(g_watch_pipe);
  close_pipe(g_wake_pipe);
  close_pipe(g_stop_pipe);
}

bool interrupt_pending() { return g_pending.load(); }

void clear_interrupt() {
  g_pending.store(false);
  if (g_wake_pipe[0] >= 0) drain(g_wake_pipe[0]);
}

int interrupt_fd() { return g_wake_pipe[0]; }

bool sleep_unless_interrupted(double seconds) {
  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (;;) {
    if (interrupt_pending()) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return true;
    if (g_wake_pipe[0] < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(left));
      continue;
    }
    pollfd fd{g_wake_pipe[0], POLLIN, 0};
    poll(&fd, 1, static_cast<int>(std::min<long long>(left, 1000)));
  }
}

}  // namespace pglite::cli
