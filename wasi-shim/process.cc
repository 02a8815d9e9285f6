// Process lifecycle: memory, table, main-module instantiation and the
// boundary every host→guest call runs inside.
#include "process.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "fs/file_system.h"
#include "interval_timers.h"

extern "C" void pgl_call_on_stack(void (*fn)(void*), void* arg, void* stack_top);

namespace pglite::shim {
namespace {

constexpr uint32_t kTableMax = 1u << 20;
// Guest code runs on its own stack: deep enough that Postgres' own
// max_stack_depth check (on the wasm shadow stack) fires before the native
// stack runs out, and independent of the caller's thread stack size. Pages
// are committed only when touched.
constexpr size_t kGuestStackSize = 256u << 20;
constexpr size_t kGuestStackGuard = 64u << 10;

struct GuestCall {
  const std::function<void()>* fn;
  wasm_rt_boundary boundary;
  const void* stack_limit;
};

void run_guest_call(void* arg) {
  auto* c = static_cast<GuestCall*>(arg);
  wasm_rt_boundary_enter(&c->boundary);
  if (c->stack_limit) c->boundary.stack_limit = c->stack_limit;
  // No signal mask saved: the fault handler runs with SA_NODEFER and an
  // empty sa_mask, so unwinding out of it leaves the mask as it was, and
  // saving it would cost a syscall on every guest call.
  if (sigsetjmp(c->boundary.buf, 0) == 0) (*c->fn)();
  wasm_rt_boundary_leave(&c->boundary);
}

std::mutex g_init_mutex;

// The guest's C stack (Emscripten's shadow stack) lies between its static
// data and __heap_base and grows down with nothing below it but the static
// data, malloc state included. Making its lowest pages inaccessible on the
// host turns an overflow into a trap instead of silent heap corruption.
void protect_shadow_stack_bottom(pgl_process& p, const pgl_module_desc* desc, uint32_t heap_base) {
  // Whole host pages (4 KiB, or 16/64 KiB on some arm64 kernels): the
  // reservation is host-page aligned, so guest offsets aligned to the host
  // page size are too.
  const uint32_t kPage = static_cast<uint32_t>(sysconf(_SC_PAGESIZE));
  if (kPage == 0 || kPage > 64 * 1024) return;
  uint32_t stack_low = (p.main_memory_base + desc->mem_size + 15) & ~15u;
  if (heap_base <= stack_low) return;
  uint32_t stack_size = heap_base - stack_low;
  uint32_t guard = std::min<uint32_t>(64 * 1024, std::max<uint32_t>(kPage, (stack_size / 16) & ~(kPage - 1)));
  uint32_t start = (stack_low + kPage - 1) & ~(kPage - 1);
  if (start + guard + kPage > heap_base) return;
  mprotect(p.memory.data + start, guard, PROT_NONE);
}

void init_module_once(const pgl_module_desc* desc) {
  // init_module registers the module's function types; it must run once per
  // module per process lifetime, before any instantiation.
  static std::map<const pgl_module_desc*, bool> done;
  std::lock_guard<std::mutex> lock(g_init_mutex);
  if (done[desc]) return;
  wasm_rt_init();
  static bool invokes = false;
  if (!invokes) {
    pgl_register_invoke_types();
    invokes = true;
  }
  desc->init_module();
  done[desc] = true;
}

}  // namespace

const pgl_export* find_export(const pgl_module_desc* d, std::string_view name) {
  for (uint32_t i = 0; i < d->n_exports; i++)
    if (name == d->exports[i].name) return &d->exports[i];
  return nullptr;
}

pgl_process::LoadedModule* instantiate_module(
    pgl_process* p, const pgl_module_desc* d, uint32_t memory_base, uint32_t table_base,
    const std::function<bool(pgl_process::LoadedModule&)>& fill_got) {
  init_module_once(d);
  auto owned = std::make_unique<pgl_process::LoadedModule>();
  pgl_process::LoadedModule& m = *owned;
  p->modules.push_back(std::move(owned));
  m.desc = d;
  m.instance = std::calloc(1, d->instance_size);
  m.env = Z_env_instance_t{p, p->main_instance(), memory_base, table_base};
  m.wasi = Z_wasi_snapshot_preview1_instance_t{p};
  m.got_mem_cells.assign(pgl_got_mem_count + 1, 0);
  m.got_func_cells.assign(pgl_got_func_count + 1, 0);
  m.got_mem.cells = m.got_mem_cells.data();
  m.got_func.cells = m.got_func_cells.data();
  pgl_import_set imports{&m.env, &m.wasi, &m.got_mem, &m.got_func};
  d->instantiate(m.instance, &imports);
  if (!fill_got(m)) return nullptr;
  // The start function applied global relocations only; vtables and other
  // pointers in data need the data relocations before any constructor.
  if (auto apply_relocs = find_function<void (*)(void*)>(d, "__wasm_apply_data_relocs"))
    apply_relocs(m.instance);
  if (auto ctors = find_function<void (*)(void*)>(d, "__wasm_call_ctors")) ctors(m.instance);
  return &m;
}

GuestMemory process_memory(pgl_process* proc) { return GuestMemory{proc->memory.data, proc->memory.size}; }
FileSystem& process_fs(pgl_process* proc) { return *proc->fs; }

std::unique_ptr<Process> Process::create(const ProcessOptions& options, std::unique_ptr<FileSystem> fs) {
  std::unique_ptr<Process> proc(new Process());
  pgl_process& p = proc->p_;
  p.options = options;
  p.fs = std::move(fs);
  const pgl_module_desc* desc = options.main;

  wasm_rt_allocate_memory(&p.memory, options.initial_pages, options.max_pages);
  if (!p.memory.data) throw std::runtime_error("cannot reserve guest memory");
  protect_shadow_stack_bottom(p, desc, options.heap_base);
  wasm_rt_allocate_funcref_table(&p.table, options.table_size, kTableMax);
  p.stack_pointer = options.heap_base;

  p.malloc_fn = find_function<uint32_t (*)(void*, uint32_t)>(desc, "malloc");
  p.free_fn = find_function<void (*)(void*, uint32_t)>(desc, "free");
  p.memalign_fn = find_function<uint32_t (*)(void*, uint32_t, uint32_t)>(desc, "emscripten_builtin_memalign");
  p.set_threw_fn = find_function<void (*)(void*, uint32_t, uint32_t)>(desc, "setThrew");
  p.dl_seterr_fn = find_function<void (*)(void*, uint32_t, uint32_t)>(desc, "__dl_seterr");
  p.emscripten_timeout_fn = find_function<void (*)(void*, uint32_t, double)>(desc, "_emscripten_timeout");

  // The only GOT entry a main module imports is __heap_base.
  auto set_heap_base = [&](pgl_process::LoadedModule& m) {
    for (uint32_t i = 0; i < desc->n_got_mem; i++) {
      if (std::strcmp(pgl_got_mem_names[desc->got_mem[i]], "__heap_base") == 0)
        m.got_mem_cells[desc->got_mem[i]] = options.heap_base;
    }
    return true;
  };
  CallResult r =
      proc->call([&] { instantiate_module(&p, desc, p.main_memory_base, p.main_table_base, set_heap_base); });
  if (r.kind != CallResult::kReturned) throw std::runtime_error("module initialisation failed: " + r.trap);
  return proc;
}

Process::~Process() {
  forget_interval_timers(&p_);
  for (auto& m : p_.modules) {
    if (m->instance) {
      m->desc->free_instance(m->instance);
      std::free(m->instance);
    }
  }
  wasm_rt_free_funcref_table(&p_.table);
  wasm_rt_free_memory(&p_.memory);
  if (p_.stack_base) munmap(p_.stack_base, p_.stack_size);
}

MemorySnapshot::~MemorySnapshot() {
  if (fd >= 0) ::close(fd);
}

void Process::freeze() {
  int fd = pgl_memory_snapshot(&p_.memory);
  if (fd < 0) throw std::runtime_error("cannot snapshot guest memory");
  auto snapshot = std::make_shared<const MemorySnapshot>(fd, p_.memory.size);
  if (pgl_memory_map_snapshot(&p_.memory, snapshot->fd, snapshot->size) != 0)
    throw std::runtime_error("cannot map a guest memory snapshot");
  protect_shadow_stack_bottom(p_, p_.options.main, p_.options.heap_base);
  p_.snapshot = std::move(snapshot);
  p_.matches_snapshot = true;
}

std::unique_ptr<Process> Process::clone(std::unique_ptr<FileSystem> fs,
                                        const std::function<void*(void*)>& host_context) {
  for (const auto& m : p_.modules)
    if (!m->desc->rebind) return nullptr;
  std::unique_ptr<Process> proc(new Process());
  pgl_process& q = proc->p_;
  // The table first: it is the part that may refuse.
  std::map<void*, void*> instances;
  for (const auto& m : p_.modules) instances[m->instance] = nullptr;
  wasm_rt_allocate_funcref_table(&q.table, p_.table.size, kTableMax);
  std::vector<std::pair<uint32_t, void*>> module_slots;  // filled once the instances exist
  for (uint32_t i = 0; i < p_.table.size; i++) {
    wasm_rt_funcref_t ref = p_.table.data[i];
    if (ref.module_instance && instances.count(ref.module_instance)) {
      module_slots.emplace_back(i, ref.module_instance);
    } else if (ref.module_instance == this) {
      ref.module_instance = proc.get();
    } else if (ref.module_instance && !(ref.module_instance = host_context(ref.module_instance))) {
      return nullptr;
    }
    q.table.data[i] = ref;
  }

  if (!p_.snapshot || !p_.matches_snapshot) freeze();
  q.options = p_.options;
  q.options.on_alarm = nullptr;
  q.fs = std::move(fs);
  wasm_rt_allocate_memory(&q.memory, p_.memory.pages, p_.memory.max_pages);
  if (!q.memory.data) throw std::runtime_error("cannot reserve guest memory");
  if (pgl_memory_map_snapshot(&q.memory, p_.snapshot->fd, p_.snapshot->size) != 0)
    throw std::runtime_error("cannot map a guest memory snapshot");
  protect_shadow_stack_bottom(q, q.options.main, q.options.heap_base);
  q.snapshot = p_.snapshot;
  q.matches_snapshot = true;

  // The guest's timeout.c believes its timers armed: so they are, in the
  // copy too, from set_on_alarm().
  for (size_t i = 0; i < q.alarm_deadline_ns.size(); i++)
    q.alarm_deadline_ns[i] = p_.alarm_deadline_ns[i].load();
  q.stack_pointer = p_.stack_pointer;
  q.main_memory_base = p_.main_memory_base;
  q.main_table_base = p_.main_table_base;
  q.exit_code = p_.exit_code;
  q.interned_strings = p_.interned_strings;
  q.error_text = p_.error_text;
  q.error_text_size = p_.error_text_size;
  q.malloc_fn = p_.malloc_fn;
  q.free_fn = p_.free_fn;
  q.memalign_fn = p_.memalign_fn;
  q.set_threw_fn = p_.set_threw_fn;
  q.dl_seterr_fn = p_.dl_seterr_fn;
  q.emscripten_timeout_fn = p_.emscripten_timeout_fn;

  // Each instance byte for byte (its globals), then pointed at the copy's
  // imports.
  for (const auto& m : p_.modules) {
    auto owned = std::make_unique<pgl_process::LoadedModule>();
    pgl_process::LoadedModule& n = *owned;
    q.modules.push_back(std::move(owned));
    n.desc = m->desc;
    n.instance = std::malloc(m->desc->instance_size);
    if (!n.instance) throw std::bad_alloc();
    std::memcpy(n.instance, m->instance, m->desc->instance_size);
    instances[m->instance] = n.instance;
    n.env = Z_env_instance_t{&q, q.main_instance(), m->env.memory_base, m->env.table_base};
    n.wasi = Z_wasi_snapshot_preview1_instance_t{&q};
    n.got_mem_cells = m->got_mem_cells;
    n.got_func_cells = m->got_func_cells;
    n.got_mem.cells = n.got_mem_cells.data();
    n.got_func.cells = n.got_func_cells.data();
    n.func_slots = m->func_slots;
    n.handle = m->handle;
    pgl_import_set imports{&n.env, &n.wasi, &n.got_mem, &n.got_func};
    n.desc->rebind(n.instance, &imports);
  }
  for (auto [slot, instance] : module_slots) q.table.data[slot].module_instance = instances[instance];
  return proc;
}

CallResult Process::call(const std::function<void()>& fn, bool unwind_stack_on_exit) {
  CallResult result;
  p_.matches_snapshot = false;
  if (p_.broken) {
    result.kind = CallResult::kTrapped;
    result.trap = "instance is broken: " + p_.abort_reason;
    return result;
  }
  if (!p_.stack_base) {
    void* mem = mmap(nullptr, kGuestStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem != MAP_FAILED) {
      mprotect(mem, kGuestStackGuard, PROT_NONE);
      p_.stack_base = static_cast<uint8_t*>(mem);
      p_.stack_size = kGuestStackSize;
    }
  }
  GuestCall c{&fn, {}, nullptr};
  pgl_sjlj_frame* saved_sjlj = p_.sjlj_top;
  uint32_t saved_stack_pointer = p_.stack_pointer;
  p_.exited = false;
  p_.call_depth++;
  if (p_.call_depth == 1) p_.guest_running = true;
  if (p_.call_depth == 1 && p_.stack_base) {
    c.stack_limit = p_.stack_base + kGuestStackGuard;
    pgl_call_on_stack(&run_guest_call, &c, p_.stack_base + p_.stack_size);
  } else {
    run_guest_call(&c);  // nested call, or no stack could be mapped
  }
  p_.call_depth--;
  if (p_.call_depth == 0) p_.guest_running = false;
  wasm_rt_boundary& b = c.boundary;
  p_.sjlj_top = saved_sjlj;
  if (b.trap != WASM_RT_TRAP_NONE) {
    result.kind = CallResult::kTrapped;
    result.trap = p_.abort_reason.empty() ? wasm_rt_strerror(b.trap) : p_.abort_reason;
    p_.abort_reason = result.trap;
    p_.broken = true;
  } else if (p_.exited) {
    result.kind = CallResult::kExited;
    result.exit_code = p_.exit_code;
    if (unwind_stack_on_exit) p_.stack_pointer = saved_stack_pointer;
  }
  return result;
}

CallResult Process::run_main(const std::vector<std::string>& argv) {
  auto main_fn = find_function<uint32_t (*)(void*, uint32_t, uint32_t)>(p_.options.main, "__main_argc_argv");
  if (!main_fn) {
    CallResult r;
    r.kind = CallResult::kTrapped;
    r.trap = "module has no main";
    return r;
  }
  uint32_t ret = 0;
  CallResult r = call(
      [&] {
        uint32_t vec = guest_malloc(static_cast<uint32_t>(4 * (argv.size() + 1)));
        GuestMemory mem = memory();
        for (size_t i = 0; i < argv.size(); i++) mem.store_u32(vec + 4 * i, guest_strdup(argv[i]));
        mem.store_u32(vec + 4 * argv.size(), 0);
        ret = main_fn(main_instance(), static_cast<uint32_t>(argv.size()), vec);
      },
      false);
  if (r.kind == CallResult::kReturned) {
    r.kind = CallResult::kExited;
    r.exit_code = static_cast<int>(ret);
  }
  return r;
}

void Process::set_on_alarm(std::function<bool()> on_alarm) {
  p_.options.on_alarm = std::move(on_alarm);
  rearm_interval_timers(&p_);
}

uint32_t Process::add_table_entry(wasm_rt_funcref_t ref) {
  uint32_t idx = wasm_rt_grow_funcref_table(&p_.table, 1, ref);
  return idx;
}

}  // namespace pglite::shim

uint32_t pgl_process::guest_malloc(uint32_t n) { return malloc_fn(main_instance(), n); }

void pgl_process::guest_free(uint32_t ptr) {
  if (ptr && free_fn) free_fn(main_instance(), ptr);  // initdb exports no free()
}

uint32_t pgl_process::guest_strdup(std::string_view s) {
  uint32_t ptr = guest_malloc(static_cast<uint32_t>(s.size() + 1));
  if (!ptr || !pglite::shim::process_memory(this).valid(ptr, s.size() + 1)) return 0;
  std::memcpy(memory.data + ptr, s.data(), s.size());
  memory.data[ptr + s.size()] = 0;
  return ptr;
}

// ---- setjmp/longjmp (Emscripten invoke_* protocol) ----
extern "C" {

void pgl_sjlj_push(Z_env_instance_t* env, pgl_sjlj_frame* frame) {
  pgl_process* p = env->proc;
  frame->prev = p->sjlj_top;
  frame->stack_pointer = p->stack_pointer;
  p->sjlj_top = frame;
}

void pgl_sjlj_pop(Z_env_instance_t* env, pgl_sjlj_frame* frame) { env->proc->sjlj_top = frame->prev; }

void pgl_sjlj_caught(Z_env_instance_t* env, pgl_sjlj_frame* frame) {
  pgl_process* p = env->proc;
  p->sjlj_top = frame->prev;
  p->stack_pointer = frame->stack_pointer;
  p->set_threw_fn(p->modules[0]->instance, 1, 0);
}

void Z_envZ__emscripten_throw_longjmp(Z_env_instance_t* env) {
  pgl_process* p = env->proc;
  if (!p->sjlj_top) {
    p->abort_reason = "longjmp without a matching setjmp";
    wasm_rt_unwind(WASM_RT_TRAP_UNCAUGHT_EXCEPTION);
  }
  _longjmp(p->sjlj_top->buf, 1);
}

const wasm_rt_funcref_t* pgl_table_entry(Z_env_instance_t* env, uint32_t index, uint32_t type_id) {
  pgl_process* p = env->proc;
  if (index >= p->table.size || !p->table.data[index].func || p->table.data[index].func_type != type_id) {
    wasm_rt_trap(WASM_RT_TRAP_CALL_INDIRECT);
  }
  return &p->table.data[index];
}

// Env imports accessors shared by every module of the process.
wasm_rt_memory_t* Z_envZ_memory(Z_env_instance_t* env) { return &env->proc->memory; }
wasm_rt_funcref_table_t* Z_envZ___indirect_function_table(Z_env_instance_t* env) { return &env->proc->table; }
u32* Z_envZ___stack_pointer(Z_env_instance_t* env) { return &env->proc->stack_pointer; }
u32* Z_envZ___memory_base(Z_env_instance_t* env) { return &env->memory_base; }
u32* Z_envZ___table_base(Z_env_instance_t* env) { return &env->table_base; }

}  // extern "C"
