// dlopen/dlsym for side modules, as Emscripten's loader does it: memory from
// the guest allocator, table slots appended, GOT entries resolved against the
// main module and previously loaded modules, data relocations, constructors.
// The side modules' code is linked into the library; only addresses are
// chosen here.
#include <cstring>
#include <string>

#include "process.h"

namespace pglite::shim {
namespace {

const pgl_module_desc* find_side_module(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (const pgl_module_desc* const* d = pgl_side_modules; *d; d++)
    if (base == (*d)->lib_name) return *d;
  return nullptr;
}

uint32_t global_value(const pgl_export* e, void* instance) {
  auto accessor = reinterpret_cast<uint32_t* (*)(void*)>(const_cast<void*>(e->addr));
  return *accessor(instance);
}

// Table index of an exported function: its elem slot if the module put it in
// the table, otherwise a slot appended on first use (and then remembered so
// that function pointers compare equal).
uint32_t function_index(pgl_process* p, pgl_process::LoadedModule& m, const pgl_export* e) {
  if (e->elem_slot >= 0) return m.env.table_base + static_cast<uint32_t>(e->elem_slot);
  auto it = m.func_slots.find(e->name);
  if (it != m.func_slots.end()) return it->second;
  wasm_rt_funcref_t ref{pgl_func_type_id(e->sig),
                        reinterpret_cast<wasm_rt_function_ptr_t>(const_cast<void*>(e->addr)), m.instance};
  uint32_t idx = wasm_rt_grow_funcref_table(&p->table, 1, ref);
  if (idx == UINT32_MAX) wasm_rt_trap(WASM_RT_TRAP_OOB);
  m.func_slots.emplace(e->name, idx);
  return idx;
}

// Value of a symbol for GOT/dlsym: function → table index, data → address.
bool resolve_symbol(pgl_process* p, std::string_view name, bool want_func, uint32_t* out) {
  for (auto& m : p->modules) {
    const pgl_export* e = find_export(m->desc, name);
    if (!e) continue;
    if (e->kind == PGL_EXPORT_FUNC) {
      if (!want_func) continue;
      *out = function_index(p, *m, e);
    } else {
      if (want_func) continue;
      *out = global_value(e, m->instance) + m->env.memory_base;
    }
    return true;
  }
  return false;
}

bool exports_symbol(const pgl_module_desc* d, std::string_view name, bool want_func) {
  const pgl_export* e = find_export(d, name);
  return e && (e->kind == PGL_EXPORT_FUNC) == want_func;
}

// The first GOT entry of module d that neither a loaded module nor d itself
// defines, or null. Emscripten's loader refuses such a library
// (reportUndefinedSymbols) rather than leave the entry 0: code would then
// store through address 0 or call table slot 0 (libpqwalreceiver's
// WalReceiverFunctions and pg_lsn_in, which PGlite's postgres does not
// export, made CREATE SUBSCRIPTION an invalid indirect call).
const char* undefined_got_symbol(pgl_process* p, const pgl_module_desc* d) {
  auto defined = [&](const char* name, bool want_func) {
    if (exports_symbol(d, name, want_func)) return true;
    for (auto& m : p->modules)
      if (exports_symbol(m->desc, name, want_func)) return true;
    return false;
  };
  for (uint32_t i = 0; i < d->n_got_mem; i++)
    if (!defined(pgl_got_mem_names[d->got_mem[i]], false)) return pgl_got_mem_names[d->got_mem[i]];
  for (uint32_t i = 0; i < d->n_got_func; i++)
    if (!defined(pgl_got_func_names[d->got_func[i]], true)) return pgl_got_func_names[d->got_func[i]];
  return nullptr;
}

void set_dlerror(pgl_process* p, const std::string& msg) {
  if (!p->dl_seterr_fn) return;
  // __dl_seterr(fmt, va_list) formats and copies the message, so a temporary
  // guest copy is enough; '%' must not reach it as a conversion.
  std::string fmt;
  for (char c : msg) fmt += c == '%' ? std::string("%%") : std::string(1, c);
  uint32_t ptr = p->guest_strdup(fmt);
  if (!ptr) return;
  p->dl_seterr_fn(p->main_instance(), ptr, 0);
  p->guest_free(ptr);
}

uint32_t align_up(uint32_t v, uint32_t a) { return a ? (v + a - 1) / a * a : v; }

}  // namespace

uint32_t load_side_module(pgl_process* p, std::string_view path, uint32_t handle, std::string* error) {
  for (auto& m : p->modules) {
    if (m->handle && find_side_module(path) == m->desc) return 1;  // already loaded
  }
  const pgl_module_desc* d = find_side_module(path);
  if (!d) {
    *error = "no such library linked into pglite: " + std::string(path);
    return 0;
  }
  if (const char* sym = undefined_got_symbol(p, d)) {
    *error = std::string("undefined symbol: ") + sym + " (not provided by pglite)";
    return 0;
  }
  uint32_t align = 1u << d->mem_align;
  uint32_t memory_base = 0;
  if (d->mem_size) {
    uint32_t raw = p->guest_malloc(d->mem_size + align);
    if (!raw) {
      *error = "out of memory loading " + std::string(path);
      return 0;
    }
    memory_base = align_up(raw, align);
    std::memset(p->memory.data + memory_base, 0, d->mem_size);
  }
  uint32_t table_base = 0;
  if (d->table_size) {
    table_base = wasm_rt_grow_funcref_table(&p->table, d->table_size, wasm_rt_funcref_null_value);
    if (table_base == UINT32_MAX) {
      *error = "function table full";
      return 0;
    }
  }
  // undefined_got_symbol() checked the same definitions, so this fails only
  // if the two disagree; then dlopen fails with the reason rather than
  // leave a GOT cell 0.
  auto fill_got = [&](pgl_process::LoadedModule& m) {
    for (uint32_t i = 0; i < d->n_got_mem; i++) {
      uint32_t id = d->got_mem[i];
      if (!resolve_symbol(p, pgl_got_mem_names[id], false, &m.got_mem_cells[id])) {
        *error = std::string("undefined data symbol ") + pgl_got_mem_names[id] + " in " + d->lib_name;
        return false;
      }
    }
    for (uint32_t i = 0; i < d->n_got_func; i++) {
      uint32_t id = d->got_func[i];
      if (!resolve_symbol(p, pgl_got_func_names[id], true, &m.got_func_cells[id])) {
        *error = std::string("undefined function ") + pgl_got_func_names[id] + " in " + d->lib_name;
        return false;
      }
    }
    // Loaded from here on (its constructors run next). A module that failed
    // keeps no handle: dlsym cannot reach it, nor dlopen take it for loaded.
    m.handle = handle;
    return true;
  };
  return instantiate_module(p, d, memory_base, table_base, fill_got) ? 1 : 0;
}

}  // namespace pglite::shim

extern "C" {

u32 Z_envZ__dlopen_js(Z_env_instance_t* env, u32 handle) {
  pgl_process* p = env->proc;
  auto mem = pglite::shim::process_memory(p);
  const char* name;
  uint64_t len;
  if (!mem.valid(handle, 40) || !mem.read_cstr(handle + 36, &name, &len)) return 0;
  std::string error;
  u32 ok = pglite::shim::load_side_module(p, std::string_view(name, len), handle, &error);
  if (!ok)
    pglite::shim::set_dlerror(p, "Could not load dynamic lib: " + std::string(name, len) + "\n" + error);
  return ok;
}

u32 Z_envZ__dlsym_js(Z_env_instance_t* env, u32 handle, u32 symbol, u32 symbol_index) {
  pgl_process* p = env->proc;
  auto mem = pglite::shim::process_memory(p);
  const char* name;
  uint64_t len;
  if (!mem.read_cstr(symbol, &name, &len)) return 0;
  std::string_view sym(name, len);
  for (auto& m : p->modules) {
    if (m->handle != handle || !handle) continue;
    const pgl_export* e = pglite::shim::find_export(m->desc, sym);
    if (!e) break;
    if (e->kind == PGL_EXPORT_FUNC) return pglite::shim::function_index(p, *m, e);
    return pglite::shim::global_value(e, m->instance) + m->env.memory_base;
  }
  pglite::shim::set_dlerror(p, "Tried to lookup unknown symbol \"" + std::string(sym) + "\" in dynamic lib");
  return 0;
}

// An import of a side module that no module provides at build time.
const wasm_rt_funcref_t* pgl_resolve_env_func(Z_env_instance_t* env, const char* name, const char* sig) {
  pgl_process* p = env->proc;
  uint32_t idx = 0;
  if (pglite::shim::resolve_symbol(p, name, true, &idx) && idx < p->table.size &&
      p->table.data[idx].func_type == pgl_func_type_id(sig)) {
    return &p->table.data[idx];
  }
  // Unresolved: linked lazily, as Emscripten does (the library loaded; this
  // function of it cannot run).
  if (p->options.on_missing_function) p->options.on_missing_function(p, name);
  p->abort_reason = std::string("missing function: ") + name;
  wasm_rt_unwind(WASM_RT_TRAP_UNREACHABLE);
}

}  // extern "C"
