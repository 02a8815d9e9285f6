// Creates a wasm process running the translated Postgres (or initdb, pg_dump) with
// the standard guest layout: runtime files from the embedded bundle at `/`,
// PGDATA at /pglite/data, a private scratch directory at /tmp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fs/memory_dir.h"
#include "process.h"

namespace pglite::internal {

inline constexpr const char* kGuestDataDir = "/pglite/data";
inline constexpr const char* kGuestPostgres = "/pglite/bin/postgres";
inline constexpr const char* kGuestInitdb = "/pglite/bin/initdb";
inline constexpr const char* kGuestPgDump = "/pglite/bin/pg_dump";

struct GuestLayout {
  std::string host_data_dir;                         ///< mounted at /pglite/data
  std::shared_ptr<shim::MemoryDir> memory_data_dir;  ///< or this, in memory
  std::string host_scratch_dir;                      ///< mounted at /tmp
  std::vector<std::string> host_directories;         ///< each at its own path
  bool fsync = true;
  size_t memory_limit = 0;  ///< linear memory cap in bytes; 0: the module's maximum
  std::function<int64_t(uint8_t*, size_t)> stdin_reader;  ///< empty: EOF
  std::function<void(std::string_view)> stdout_writer;    ///< empty: discard
  std::function<void(std::string_view)> stderr_writer;    ///< empty: discard
};

enum class GuestProgram { kPostgres, kInitdb, kPgDump };

/// What Postgres' signal handlers do to make the running backend stop and look:
/// InterruptPending (and for a cancel, as SIGINT's handler does, QueryCancelPending
/// and the process latch), which the guest polls at CHECK_FOR_INTERRUPTS(). Safe
/// from any thread while the guest runs (the flags are sig_atomic_t).
enum class Interrupt { kLook, kCancel };
void flag_interrupt(shim::Process& proc, Interrupt what);

/// Makes a due setitimer() alarm flag the running guest (see make_guest_process).
void flag_interrupts_on_alarm(shim::Process& proc);

/// Throws pglite::Error (58000) if the process cannot be created. A Postgres
/// process flags an interrupt when a setitimer() alarm falls due, so the
/// alarm (statement_timeout, ...) is delivered even to a busy backend.
std::unique_ptr<shim::Process> make_guest_process(GuestProgram program, const GuestLayout& layout);

}  // namespace pglite::internal
