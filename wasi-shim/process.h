// A wasm "process": one linear memory, one function table, the modules
// instantiated into it (a main module and the side modules it dlopens), its
// file system view and its exit/unwind state. Import implementations reach
// it through env->proc.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "module_desc.h"

namespace pglite::shim {

class FileSystem;

/// Bounds-checked view of the guest's linear memory. Pointers handed out
/// are valid until the guest grows its memory (next call into the guest).
struct GuestMemory {
  uint8_t* base;
  uint64_t size;

  bool valid(uint32_t addr, uint64_t len) const { return uint64_t(addr) + len <= size; }
  uint8_t* ptr(uint32_t addr) const { return base + addr; }
  uint32_t load_u32(uint32_t addr) const;
  uint64_t load_u64(uint32_t addr) const;
  void store_u32(uint32_t addr, uint32_t v) const;
  void store_u64(uint32_t addr, uint64_t v) const;
  /// NUL-terminated guest string; returns false if it runs past the end.
  bool read_cstr(uint32_t addr, const char** out, uint64_t* len) const;
};

GuestMemory process_memory(pgl_process* proc);
FileSystem& process_fs(pgl_process* proc);

/// A process's linear memory frozen in an anonymous file (memfd), which
/// the process and its clones map copy-on-write (see Process::clone).
struct MemorySnapshot {
  int fd = -1;
  uint64_t size = 0;
  MemorySnapshot(int f, uint64_t s) : fd(f), size(s) {}
  ~MemorySnapshot();
  MemorySnapshot(const MemorySnapshot&) = delete;
  MemorySnapshot& operator=(const MemorySnapshot&) = delete;
};

/// How a call into the guest ended.
struct CallResult {
  enum Kind { kReturned, kExited, kTrapped } kind = kReturned;
  int exit_code = 0;
  std::string trap;  ///< human-readable reason when kTrapped
};

struct ProcessOptions {
  const pgl_module_desc* main = nullptr;
  uint32_t initial_pages = 0;
  uint32_t max_pages = 32768;
  uint32_t heap_base = 0;        ///< __heap_base and initial __stack_pointer
  uint32_t table_size = 0;       ///< initial table size the main module imports
  std::vector<std::string> env;  ///< "NAME=value"
  /// A side module called a function no loaded module provides (Emscripten
  /// links such imports lazily, so libraries load and fail only if the
  /// function is used). The handler may raise a guest-level error and not
  /// return; if it returns, or is unset, the call traps.
  std::function<void(pgl_process*, std::string_view name)> on_missing_function;
  /// socket() returns a placeholder fd instead of failing: for guests whose
  /// socket I/O goes through host callbacks (pg_dump's libpq).
  bool socket_placeholders = false;
  /// Called on the alarm thread when an armed setitimer() falls due (see
  /// interval_timers.h). It may only flag the guest, e.g. raise an
  /// interrupt flag; the alarm is delivered at the guest's next safe point.
  /// Returns whether it flagged (then it is called again every few ms until
  /// the alarm is delivered).
  std::function<bool()> on_alarm;
};

}  // namespace pglite::shim

/// The process object. Plain struct with C linkage name because generated
/// code forward-declares it; the C++ API is below.
struct pgl_process {
  pglite::shim::ProcessOptions options;
  wasm_rt_memory_t memory{};
  wasm_rt_funcref_table_t table{};
  uint32_t stack_pointer = 0;
  uint32_t main_memory_base = 1024;
  uint32_t main_table_base = 1;

  struct LoadedModule {
    const pgl_module_desc* desc = nullptr;
    void* instance = nullptr;
    Z_env_instance_t env{};
    Z_wasi_snapshot_preview1_instance_t wasi{};
    Z_GOTZ2Emem_instance_t got_mem{};
    Z_GOTZ2Efunc_instance_t got_func{};
    std::vector<uint32_t> got_mem_cells, got_func_cells;
    std::map<std::string, uint32_t, std::less<>> func_slots;  ///< dlsym'd functions
    uint32_t handle = 0;  ///< the guest's struct dso pointer (side modules)
  };
  std::vector<std::unique_ptr<LoadedModule>> modules;  ///< [0] = main

  std::unique_ptr<pglite::shim::FileSystem> fs;
  /// What the memory maps copy-on-write (null until the first clone), and
  /// whether it still holds exactly that: no call since, and no host access.
  std::shared_ptr<const pglite::shim::MemorySnapshot> snapshot;
  bool matches_snapshot = false;
  pgl_sjlj_frame* sjlj_top = nullptr;
  bool exited = false;
  int exit_code = 0;
  std::string abort_reason;
  bool broken = false;
  /// Guest copies of constant host strings handed to the guest, made once.
  std::map<std::string, uint32_t, std::less<>> interned_strings;
  /// Guest buffer for the text of errors the shim raises (pg_conv.cc).
  uint32_t error_text = 0;
  uint32_t error_text_size = 0;

  /// setitimer() deadlines (CLOCK_MONOTONIC ns, 0 = disarmed) by ITIMER_*.
  std::array<std::atomic<int64_t>, 3> alarm_deadline_ns{};
  bool delivering_alarm = false;
  std::array<bool, 3> clearing_for_alarm{};

  // The native stack guest code runs on (see Process::call).
  uint8_t* stack_base = nullptr;  ///< lowest mapped address (guard below usable part)
  size_t stack_size = 0;
  int call_depth = 0;
  std::atomic<bool> guest_running{false};  ///< inside an outermost call (any thread may look)

  // Exports of the main module the shim itself needs.
  uint32_t (*malloc_fn)(void*, uint32_t) = nullptr;
  void (*free_fn)(void*, uint32_t) = nullptr;
  uint32_t (*memalign_fn)(void*, uint32_t, uint32_t) = nullptr;
  void (*set_threw_fn)(void*, uint32_t, uint32_t) = nullptr;
  void (*dl_seterr_fn)(void*, uint32_t, uint32_t) = nullptr;
  void (*emscripten_timeout_fn)(void*, uint32_t, double) = nullptr;  ///< runs a due alarm

  // The guest heap, for the shim's imports and (through Process) the host.
  void* main_instance() const { return modules[0]->instance; }
  uint32_t guest_malloc(uint32_t n);
  void guest_free(uint32_t ptr);
  /// Copies s, NUL-terminated, into guest malloc'ed memory (free with
  /// guest_free); 0 if the guest is out of memory. Copied as is: a caller
  /// handing it to a printf-style guest function escapes '%' itself.
  uint32_t guest_strdup(std::string_view s);
};

namespace pglite::shim {

/// The export `name` of module d (function or global), or null.
const pgl_export* find_export(const pgl_module_desc* d, std::string_view name);

/// The function export `name` of module d as an Fn, or null.
template <typename Fn>
Fn find_function(const pgl_module_desc* d, std::string_view name) {
  const pgl_export* e = find_export(d, name);
  return e && e->kind == PGL_EXPORT_FUNC ? reinterpret_cast<Fn>(const_cast<void*>(e->addr)) : nullptr;
}

/// Instantiates module d in p, with its data at memory_base and its table
/// slots from table_base, as Emscripten's loader does: the instance joins
/// p->modules, its start function applies the global relocations, fill_got
/// sets its GOT cells (read at use time, so after the start function, when
/// the module's own exports have their values), then the data relocations
/// and constructors run. Returns null, leaving those two undone, if
/// fill_got fails.
pgl_process::LoadedModule* instantiate_module(
    pgl_process* p, const pgl_module_desc* d, uint32_t memory_base, uint32_t table_base,
    const std::function<bool(pgl_process::LoadedModule&)>& fill_got);

/// Owns a pgl_process. Not thread-safe: one thread at a time per process.
class Process {
 public:
  /// Allocates memory and table, instantiates the main module, applies its
  /// data relocations and runs its constructors. Throws std::runtime_error.
  static std::unique_ptr<Process> create(const ProcessOptions& options, std::unique_ptr<FileSystem> fs);
  ~Process();

  /// A copy of this process as it is between calls: memory, function
  /// table, every module instance, guest heap and shim state. The copy runs
  /// on `fs` (a FileSystem::clone of this one's). Its memory maps a snapshot
  /// of this one's copy-on-write: the first clone, or the first after this
  /// process ran again, writes the snapshot (the pages ever touched) and maps
  /// this process onto it too; later ones cost the same whatever the size.
  /// `host_context` gives the copy's context for each host function this
  /// process put in its table (add_table_entry) and null for an unknown
  /// one; a context that is this Process becomes the copy. Returns null if something cannot be copied (a
  /// module without rebind, an unknown context); throws std::runtime_error if the memory cannot be mapped.
  std::unique_ptr<Process> clone(std::unique_ptr<FileSystem> fs,
                                 const std::function<void*(void*)>& host_context);

  void* main_instance() { return p_.main_instance(); }
  FileSystem& fs() { return *p_.fs; }
  /// Host access may write: the memory no longer matches its snapshot.
  GuestMemory memory() {
    p_.matches_snapshot = false;
    return process_memory(&p_);
  }
  bool broken() const { return p_.broken; }
  const std::string& trap_reason() const { return p_.abort_reason; }
  /// Where the main module's data starts: unexported statics are at fixed
  /// offsets from it.
  uint32_t memory_base() const { return p_.main_memory_base; }
  /// The guest's __stack_pointer (outside a call: where every call starts).
  uint32_t stack_pointer() const { return p_.stack_pointer; }
  /// Inside an outermost call; any thread may look.
  bool guest_running() const { return p_.guest_running; }
  /// Replaces ProcessOptions::on_alarm, for a callback that needs the
  /// Process. Only while no alarm is armed: the alarm thread reads it. Then
  /// arms the timers a clone copied from its origin.
  void set_on_alarm(std::function<bool()> on_alarm);

  /// Runs fn (which calls into the guest) inside a trap/exit boundary.
  /// A trap marks the process broken. An exit() ends the call with the
  /// guest's stack pointer back where the call found it: the frames it
  /// unwound are dead (Postgres' main loop leaves through exit(100) on
  /// every ERROR, from wherever the error was raised).
  CallResult call(const std::function<void()>& fn) { return call(fn, true); }

  /// Runs the module's main(argc, argv) with argv[0] = program. A main that
  /// exits keeps its stack (PGlite's main exits with the loop armed).
  CallResult run_main(const std::vector<std::string>& argv);

  /// See pgl_process::guest_strdup.
  uint32_t guest_strdup(std::string_view s) { return p_.guest_strdup(s); }
  uint32_t guest_malloc(uint32_t n) { return p_.guest_malloc(n); }
  void guest_free(uint32_t ptr) { p_.guest_free(ptr); }

  /// Adds a host-callable function to the table and returns its index.
  uint32_t add_table_entry(wasm_rt_funcref_t ref);

 private:
  Process() = default;
  CallResult call(const std::function<void()>& fn, bool unwind_stack_on_exit);
  /// Writes the memory into a new snapshot and maps this process onto it.
  void freeze();
  pgl_process p_;
};

}  // namespace pglite::shim
