#include "server/backend_worker.h"

#include "api/database_access.h"
#include "api/session.h"
#include "protocol/backend_messages.h"
#include "protocol/sqlstate.h"
#include "server/temp_schemas.h"

namespace pglite::internal {
namespace {

// Output beyond this waits for the loop to write it to the client: a large
// COPY TO STDOUT or SELECT is streamed, never held whole in memory.
constexpr size_t kMaxOutbox = 8u << 20;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

void sweep_parked_temp_schemas(Session& session) {
  Reply found = session.simple_query(temp_schemas::kFindParkedSql);
  if (found.error) throw *found.error;
  if (found.results.empty() || found.results.back().empty()) return;
  std::string drops(found.results.back().value(0, 0).value_or(""));
  if (drops.empty()) return;
  Reply dropped = session.simple_query(drops);
  if (dropped.error) throw *dropped.error;
}

BackendWorker::BackendWorker(Database& db, std::function<void()> wake)
    : db_(db), wake_(std::move(wake)), thread_([this] { run(); }) {}

BackendWorker::~BackendWorker() { stop(); }

void BackendWorker::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    input_eof_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackendWorker::submit(uint64_t client, std::string bytes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_.emplace(client, std::move(bytes));
    input_owner_ = client;
    input_.clear();
    has_job_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}

void BackendWorker::submit_task(uint64_t client, std::function<std::string(Session&)> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_.emplace(client, std::string());
    input_owner_ = client;
    input_.clear();
    task_ = std::move(task);
    has_job_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}

void BackendWorker::restart() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    restart_ = true;
    has_job_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}

void BackendWorker::supply_input(uint64_t client, std::string bytes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (client != input_owner_) return;
    input_ += bytes;
  }
  cv_.notify_all();
}

std::deque<WorkerOutput> BackendWorker::take_outputs() {
  std::deque<WorkerOutput> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out.swap(outbox_);
    outbox_bytes_ = 0;
  }
  cv_.notify_all();
  return out;
}

void BackendWorker::run_restart() {
  std::string failure;
  try {
    std::lock_guard<std::recursive_mutex> db_lock(DatabaseAccess::mutex(db_));
    Session& session = DatabaseAccess::session(db_);
    session.restart();
    sweep_parked_temp_schemas(session);
  } catch (const std::exception& e) {
    failure = e.what();
    if (failure.empty()) failure = "unknown failure";
  }
  push(WorkerOutput{0, std::move(failure), false, false, true});
}

void BackendWorker::push(WorkerOutput out) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return stop_ || outbox_bytes_ < kMaxOutbox; });
    outbox_bytes_ += out.bytes.size();
    outbox_.push_back(std::move(out));
  }
  wake_();
}

void BackendWorker::run() {
  for (;;) {
    std::pair<uint64_t, std::string> job;
    std::function<std::string(Session&)> task;
    // A client usually sends its next query right after reading the answer:
    // poll briefly before sleeping, which saves a futex wake per round trip.
    for (int spin = 0; spin < 2000 && !has_job_.load(std::memory_order_acquire); spin++) {
      cpu_relax();
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || job_ || restart_; });
      if (stop_ && !job_) return;
      if (restart_) {
        restart_ = false;
        has_job_.store(false, std::memory_order_relaxed);
        lock.unlock();
        run_restart();
        continue;
      }
      job = std::move(*job_);
      job_.reset();
      task = std::exchange(task_, nullptr);
      has_job_.store(false, std::memory_order_relaxed);
    }
    uint64_t client = job.first;
    auto sink = [&](std::string_view chunk) { push(WorkerOutput{client, std::string(chunk), false}); };
    auto more_input = [&]() -> std::string {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !input_.empty() || input_eof_; });
      return std::exchange(input_, std::string());
    };
    bool broken = false;
    try {
      std::lock_guard<std::recursive_mutex> db_lock(DatabaseAccess::mutex(db_));
      Session& session = DatabaseAccess::session(db_);
      try {
        if (task) {
          std::string out = task(session);
          if (!out.empty()) sink(out);
        } else {
          session.forward(job.second, sink, more_input);
        }
      } catch (...) {
        broken = session.broken() || session.closed();
        throw;
      }
    } catch (const Error& e) {
      // The backend itself failed (trap, closed): tell this client; the
      // server ends every connection and starts a new backend.
      push(WorkerOutput{client, protocol::error_response("FATAL", e.sqlstate(), e.message()), false});
      broken = true;
    } catch (const std::exception& e) {
      push(
          WorkerOutput{client, protocol::error_response("FATAL", sqlstate::kInternalError, e.what()), false});
      broken = true;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (input_owner_ == client) input_owner_ = 0;
    }
    push(WorkerOutput{client, {}, true, broken});
  }
}

}  // namespace pglite::internal
