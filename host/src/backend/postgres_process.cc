#include "postgres_process.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "fs/bundle.h"
#include "fs/file_system.h"
#include "pg_encoding.h"  // raise_guest_error
#include "pglite/error.h"
#include "pglite_module.h"  // generated: exports of the Postgres module
#include "protocol/sqlstate.h"

extern "C" {
extern const pgl_module_desc pgl_module_pglite;
extern const pgl_module_desc pgl_module_initdb;
extern const pgl_module_desc pgl_module_pg_dump;
extern const uint8_t pgl_bundle_data[];
extern const size_t pgl_bundle_count;
struct pgl_bundle_entry_c {
  const char* path;
  uint32_t start;
  uint32_t end;
};
extern const pgl_bundle_entry_c pgl_bundle_entries[];
// Files of the extensions built in (tools/build/extension_gen.py).
extern const uint8_t pgl_extension_data[];
extern const pgl_bundle_entry_c pgl_extension_entries[];
extern const size_t pgl_extension_entry_count;
}

namespace pglite::internal {
namespace {

constexpr uint64_t kWasmPageSize = 65536;
constexpr uint32_t kMaxPages = 32768;  // the modules' declared maximum: 2 GiB
// Without a memory limit a process reserves the modules' maximum. A 32-bit
// host has 3-4 GiB of address space for everything: there the default is
// 512 MiB, so a database, its pg_dump or initdb's helper processes and
// their 256 MiB native stacks fit side by side.
constexpr uint32_t kDefaultMaxPages = sizeof(void*) == 4 ? 8192 : kMaxPages;

// The runtime files are immutable and shared by every process.
std::shared_ptr<const shim::Bundle> runtime_bundle() {
  static const std::shared_ptr<const shim::Bundle> bundle =
      std::make_shared<const shim::Bundle>(std::vector<shim::Bundle::Part>{
          {pgl_bundle_data, reinterpret_cast<const shim::BundleEntry*>(pgl_bundle_entries), pgl_bundle_count},
          {pgl_extension_data, reinterpret_cast<const shim::BundleEntry*>(pgl_extension_entries),
           pgl_extension_entry_count}});
  return bundle;
}

std::vector<std::string> guest_environment(const char* program) {
  return {
      "USER=postgres",
      "LOGNAME=postgres",
      "HOME=/home/postgres",
      "PATH=/",
      "PWD=/",
      "PGDATA=/pglite/data",
      "PGUSER=postgres",
      "PGDATABASE=postgres",
      "LANG=en_US.UTF-8",
      "LC_COLLATE=en_US.UTF-8",
      "LC_CTYPE=en_US.UTF-8",
      "TZ=UTC",
      "PGTZ=UTC",
      "PGCLIENTENCODING=UTF8",
      "ICU_DATA=/pglite/icu",
      std::string("_=") + program,
  };
}

// Postgres runs external programs in two places: `locale -a` while importing
// collations (answered from the bundle's list, as PGlite does) and
// archive/restore commands (refused). There are no processes to spawn.
u32 popen_hook(void* proc_ptr, u32 command, u32 mode) {
  auto* proc = static_cast<shim::Process*>(proc_ptr);
  shim::GuestMemory mem = proc->memory();
  const char* cmd;
  const char* md;
  uint64_t n;
  if (!mem.read_cstr(command, &cmd, &n) || !mem.read_cstr(mode, &md, &n)) return 0;
  if (std::string_view(cmd).rfind("locale -a", 0) != 0 || std::string_view(md) != "r") return 0;
  auto* inst = static_cast<Z_pglite_instance_t*>(proc->main_instance());
  u32 path = proc->guest_strdup("/pglite/locale-a");
  u32 r = proc->guest_strdup("r");
  u32 file = Z_pgliteZ_fopen(inst, path, r);
  proc->guest_free(path);
  proc->guest_free(r);
  return file;
}

u32 pclose_hook(void* proc_ptr, u32 stream) {
  auto* proc = static_cast<shim::Process*>(proc_ptr);
  if (stream) Z_pgliteZ_fclose(static_cast<Z_pglite_instance_t*>(proc->main_instance()), stream);
  return 0;
}

u32 system_hook(void*, u32) { return 1; }  // "command failed"

// A side module called a function no module provides (pgcrypto's OpenSSL
// reaching for sockets, postgres_fdw for libpq's network code): raise an
// ordinary Postgres ERROR instead of trapping, so the statement fails and
// the session goes on. The text is on the stack: the error longjmps back
// into Postgres past this frame.
void raise_missing_function(pgl_process* p, std::string_view name) {
  char text[256];
  std::snprintf(text, sizeof text,
                "function %.*s is not available in embedded Postgres (called by an extension library)",
                static_cast<int>(name.size()), name.data());
  shim::raise_guest_error(p, sqlstate::kFeatureNotSupported, text);  // ERRCODE_FEATURE_NOT_SUPPORTED
}

}  // namespace

void flag_interrupt(shim::Process& proc, Interrupt what) {
  if (proc.broken()) return;
  auto* inst = static_cast<Z_pglite_instance_t*>(proc.main_instance());
  shim::GuestMemory mem = proc.memory();
  uint32_t base = proc.memory_base();
  auto raise_flag = [&](uint32_t addr) {
    if (addr && mem.valid(addr, 4))
      __atomic_store_n(reinterpret_cast<uint32_t*>(mem.ptr(addr)), 1u, __ATOMIC_SEQ_CST);
  };
  if (what == Interrupt::kCancel) {
    raise_flag(*Z_pgliteZ_QueryCancelPending(inst) + base);
    uint32_t latch_var = *Z_pgliteZ_MyLatch(inst) + base;
    if (mem.valid(latch_var, 4)) raise_flag(mem.load_u32(latch_var));
  }
  raise_flag(*Z_pgliteZ_InterruptPending(inst) + base);
}

namespace {

void install_command_hooks(shim::Process& proc) {
  auto* inst = static_cast<Z_pglite_instance_t*>(proc.main_instance());
  uint32_t t_ppi = pgl_func_type_id("ii:i");
  uint32_t t_pi = pgl_func_type_id("i:i");
  uint32_t po = proc.add_table_entry({t_ppi, reinterpret_cast<wasm_rt_function_ptr_t>(&popen_hook), &proc});
  uint32_t pc = proc.add_table_entry({t_pi, reinterpret_cast<wasm_rt_function_ptr_t>(&pclose_hook), &proc});
  uint32_t sy = proc.add_table_entry({t_pi, reinterpret_cast<wasm_rt_function_ptr_t>(&system_hook), &proc});
  proc.call([&] {
    Z_pgliteZ_pgl_set_popen_fn(inst, po);
    Z_pgliteZ_pgl_set_pclose_fn(inst, pc);
    Z_pgliteZ_pgl_set_system_fn(inst, sy);
  });
}

// A user-granted host directory, visible to the guest at its own absolute
// path (so SQL naming a host path works as on a native server). It may not
// hide the guest's own tree.
void mount_host_directory(shim::FileSystem& fs, const std::string& dir) {
  std::error_code ec;
  std::filesystem::path path = std::filesystem::canonical(dir, ec);
  if (ec || !std::filesystem::is_directory(path, ec))
    throw Error(sqlstate::kUndefinedFile,
                "host directory \"" + dir + "\" does not exist or is not a directory");
  const std::string guest = path.string();
  if (!path.is_absolute() || guest == "/" || guest == "/pglite" || guest.starts_with("/pglite/"))
    throw Error(sqlstate::kInvalidParameterValue,
                "host directory \"" + dir + "\" cannot be made visible to the database");
  fs.mount_host_dir(guest, guest);
}

}  // namespace

void flag_interrupts_on_alarm(shim::Process& proc) {
  // No alarm is armed before the guest runs again, so this is not racy.
  // An alarm that falls due while the backend is idle is not flagged:
  // only idle_in_transaction_session_timeout, idle_session_timeout or a
  // transaction_timeout between statements can be armed then, and their
  // FATAL would end the one backend every client of a server shares. It
  // reaches the guest at its next clock read, after the next command has
  // disabled the idle timeouts, which keeps timeout.c's bookkeeping right.
  proc.set_on_alarm([p = &proc] {
    if (!p->guest_running()) return false;
    flag_interrupt(*p, Interrupt::kLook);
    return true;
  });
}

std::unique_ptr<shim::Process> make_guest_process(GuestProgram program, const GuestLayout& layout) {
  auto fs = std::make_unique<shim::FileSystem>();
  fs->mount_bundle(runtime_bundle());
  if (layout.memory_data_dir) {
    fs->mount_memory_dir(kGuestDataDir, layout.memory_data_dir);
  } else if (!layout.host_data_dir.empty()) {
    fs->mount_host_dir(kGuestDataDir, layout.host_data_dir);
  }
  if (!layout.host_scratch_dir.empty()) fs->mount_host_dir("/tmp", layout.host_scratch_dir);
  for (const std::string& dir : layout.host_directories) mount_host_directory(*fs, dir);
  fs->set_fsync_enabled(layout.fsync);
  fs->set_stdio(layout.stdin_reader, layout.stdout_writer, layout.stderr_writer);

  struct ProgramInfo {
    const pgl_module_desc* desc;
    uint32_t heap_base;
    const char* path;
  };
  const ProgramInfo info = program == GuestProgram::kPostgres
                               ? ProgramInfo{&pgl_module_pglite, PGLITE_HEAP_BASE_PGLITE, kGuestPostgres}
                           : program == GuestProgram::kInitdb
                               ? ProgramInfo{&pgl_module_initdb, PGLITE_HEAP_BASE_INITDB, kGuestInitdb}
                               : ProgramInfo{&pgl_module_pg_dump, PGLITE_HEAP_BASE_PG_DUMP, kGuestPgDump};
  shim::ProcessOptions opts;
  opts.main = info.desc;
  opts.initial_pages = info.desc->memory_initial_pages;
  opts.max_pages = kDefaultMaxPages;
  if (layout.memory_limit != 0) {
    uint64_t pages = layout.memory_limit / kWasmPageSize;
    if (pages < opts.initial_pages) {
      throw Error(sqlstate::kInvalidParameterValue,
                  "memory limit of " + std::to_string(layout.memory_limit >> 20) + " MiB is below the " +
                      std::to_string((opts.initial_pages * kWasmPageSize) >> 20) +
                      " MiB the database starts with");
    }
    opts.max_pages = static_cast<uint32_t>(std::min<uint64_t>(pages, kMaxPages));
  }
  opts.heap_base = info.heap_base;
  opts.table_size = info.desc->table_initial + 1;  // __table_base is 1
  opts.env = guest_environment(info.path);
  if (program == GuestProgram::kPostgres) opts.on_missing_function = raise_missing_function;
  // pg_dump's libpq sends and receives through callbacks (pgl_set_rw_cbs).
  opts.socket_placeholders = program == GuestProgram::kPgDump;
  try {
    auto proc = shim::Process::create(opts, std::move(fs));
    if (program == GuestProgram::kPostgres) {
      install_command_hooks(*proc);
      flag_interrupts_on_alarm(*proc);
    }
    return proc;
  } catch (const std::exception& e) {
    throw Error(sqlstate::kSystemError, std::string("cannot start the embedded postgres: ") + e.what());
  }
}

}  // namespace pglite::internal
