#include "fs/fault_injection.h"

#include <atomic>
#include <mutex>
#include <utility>

namespace pglite::shim {
namespace {

std::atomic<bool> g_active{false};
std::mutex g_mu;
std::vector<Fault> g_faults;
int64_t g_injected = 0;

}  // namespace

void set_faults(std::vector<Fault> faults) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_faults = std::move(faults);
  g_injected = 0;
  g_active.store(!g_faults.empty(), std::memory_order_release);
}

int64_t injected_fault_count() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_injected;
}

int64_t check_fault(FaultOp op, std::string_view path, size_t* len) {
  if (!g_active.load(std::memory_order_relaxed)) return 0;
  std::lock_guard<std::mutex> lock(g_mu);
  for (Fault& f : g_faults) {
    if (f.op != op || f.times == 0 || path.find(f.path_contains) == std::string_view::npos) continue;
    if (f.skip > 0) {
      f.skip--;
      continue;
    }
    if (f.times > 0) f.times--;
    g_injected++;
    if (f.guest_errno != 0) return -f.guest_errno;
    if (len != nullptr && *len > 1) *len /= 2;  // a short write: half of it
    return 0;
  }
  return 0;
}

}  // namespace pglite::shim
