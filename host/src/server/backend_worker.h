// Runs wire exchanges against a Database's backend on a thread of its own,
// so the event loop never blocks on Postgres. One exchange at a time; output
// streams back through an outbox with backpressure, and COPY FROM STDIN data
// streams in through supply_input().
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pglite/database.h"

namespace pglite::internal {

struct WorkerOutput {
  uint64_t client = 0;
  std::string bytes;     ///< backend messages (may end mid-message)
  bool done = false;     ///< the exchange finished
  bool broken = false;   ///< with done: the backend died in it (trap, FATAL)
  bool restart = false;  ///< the answer to restart(): `bytes` holds why it failed, empty if it worked
};

class Session;

/// Drops the temporary schemas parked by an earlier server (stopped,
/// killed, or whose backend crashed). Plain SQL: two queries.
void sweep_parked_temp_schemas(Session& session);

class BackendWorker {
 public:
  /// `wake` is called (from the worker thread) whenever output is ready.
  BackendWorker(Database& db, std::function<void()> wake);
  ~BackendWorker();

  void submit(uint64_t client, std::string bytes);
  /// Runs `task` on the backend's session as job `client` (output: what
  /// it returns), for work that is not frontend messages.
  void submit_task(uint64_t client, std::function<std::string(Session&)> task);
  /// Replaces the broken backend with a new one on the same data (crash
  /// recovery) and sweeps parked temporary schemas; answers with a
  /// WorkerOutput whose `restart` is set.
  void restart();
  /// More input for the exchange of the last job submitted for `client`
  /// (COPY data); kept even if that job has not started yet, read only if
  /// Postgres asks.
  void supply_input(uint64_t client, std::string bytes);
  /// Takes queued output (loop thread), which lets a blocked backend go on.
  std::deque<WorkerOutput> take_outputs();
  void stop();

 private:
  void run();
  void push(WorkerOutput out);
  void run_restart();

  Database& db_;
  std::function<void()> wake_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::pair<uint64_t, std::string>> job_;
  std::function<std::string(Session&)> task_;  // with job_: run this instead of its bytes
  bool restart_ = false;
  uint64_t input_owner_ = 0;  // the job whose exchange input_ feeds
  std::string input_;
  bool input_eof_ = false;  // only at stop(): Postgres takes EOF mid-message as a lost connection (FATAL)
  std::deque<WorkerOutput> outbox_;
  size_t outbox_bytes_ = 0;
  bool stop_ = false;
  std::atomic<bool> has_job_{false};
  std::thread thread_;
};

}  // namespace pglite::internal
