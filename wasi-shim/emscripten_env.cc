// Emscripten runtime imports that are not file system calls: process exit,
// aborts, environment, clocks, randomness, time zone, heap growth, mmap.
#include <sys/random.h>
#include <time.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "fs/file_system.h"
#include "interval_timers.h"
#include "net_names.h"
#include "process.h"

namespace {

using pglite::shim::GuestMemory;
using pglite::shim::process_memory;

[[noreturn]] void guest_exit(pgl_process* p, u32 code) {
  p->exited = true;
  p->exit_code = static_cast<int>(code);
  wasm_rt_unwind(WASM_RT_TRAP_NONE);
}

[[noreturn]] void guest_abort(pgl_process* p, std::string reason) {
  p->abort_reason = std::move(reason);
  wasm_rt_unwind(WASM_RT_TRAP_UNREACHABLE);
}

std::string guest_string(pgl_process* p, u32 addr) {
  GuestMemory mem = process_memory(p);
  const char* s;
  uint64_t len;
  if (!mem.read_cstr(addr, &s, &len)) return "?";
  return std::string(s, len);
}

// struct tm as musl lays it out in wasm32.
void store_tm(GuestMemory mem, u32 ptr, const struct tm& tm) {
  if (!mem.valid(ptr, 44)) return;
  const int32_t fields[] = {tm.tm_sec,  tm.tm_min,  tm.tm_hour, tm.tm_mday, tm.tm_mon,
                            tm.tm_year, tm.tm_wday, tm.tm_yday, 0,          0};
  for (int i = 0; i < 10; i++) mem.store_u32(ptr + 4 * i, static_cast<u32>(fields[i]));
}

}  // namespace

extern "C" {

void Z_envZ_exit(Z_env_instance_t* env, u32 code) { guest_exit(env->proc, code); }
void Z_wasi_snapshot_preview1Z_proc_exit(Z_wasi_snapshot_preview1_instance_t* w, u32 code) {
  guest_exit(w->proc, code);
}

// Emscripten's "unwind": main stops here and the runtime stays alive, with
// no exit status passed on (callMain reports none); for us the run ends.
void Z_envZ_emscripten_exit_with_live_runtime(Z_env_instance_t* env) { guest_exit(env->proc, 0); }

void Z_envZ__abort_js(Z_env_instance_t* env) { guest_abort(env->proc, "abort() called by the backend"); }

void Z_envZ___assert_fail(Z_env_instance_t* env, u32 cond, u32 file, u32 line, u32 func) {
  pgl_process* p = env->proc;
  guest_abort(p, "assertion failed: " + guest_string(p, cond) + " at " + guest_string(p, file) + ":" +
                     std::to_string(line) + " (" + guest_string(p, func) + ")");
}

void Z_envZ__emscripten_runtime_keepalive_clear(Z_env_instance_t*) {}

u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(Z_wasi_snapshot_preview1_instance_t* w, u32 count_ptr,
                                                u32 size_ptr) {
  pgl_process* p = w->proc;
  GuestMemory mem = process_memory(p);
  if (!mem.valid(count_ptr, 4) || !mem.valid(size_ptr, 4)) return 21;
  u32 total = 0;
  for (const auto& e : p->options.env) total += static_cast<u32>(e.size() + 1);
  mem.store_u32(count_ptr, static_cast<u32>(p->options.env.size()));
  mem.store_u32(size_ptr, total);
  return 0;
}

u32 Z_wasi_snapshot_preview1Z_environ_get(Z_wasi_snapshot_preview1_instance_t* w, u32 environ, u32 buf) {
  pgl_process* p = w->proc;
  GuestMemory mem = process_memory(p);
  u32 off = buf;
  for (size_t i = 0; i < p->options.env.size(); i++) {
    const std::string& e = p->options.env[i];
    if (!mem.valid(environ + 4 * i, 4) || !mem.valid(off, e.size() + 1)) return 21;
    mem.store_u32(static_cast<u32>(environ + 4 * i), off);
    std::memcpy(mem.ptr(off), e.c_str(), e.size() + 1);
    off += static_cast<u32>(e.size() + 1);
  }
  return 0;
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(Z_wasi_snapshot_preview1_instance_t* w, u32 id, u64, u32 out) {
  GuestMemory mem = process_memory(w->proc);
  if (!mem.valid(out, 8)) return 21;
  clockid_t clk = id == 0   ? CLOCK_REALTIME
                  : id == 1 ? CLOCK_MONOTONIC
                  : id == 2 ? CLOCK_PROCESS_CPUTIME_ID
                            : CLOCK_THREAD_CPUTIME_ID;
  struct timespec ts;
  clock_gettime(clk, &ts);
  mem.store_u64(out, u64(ts.tv_sec) * 1000000000ull + u64(ts.tv_nsec));
  // A guest that waits by spinning on the clock (PGlite's latch waits have no
  // blocking primitive) reads it here: a due alarm reaches it, as a signal would.
  pglite::shim::deliver_due_alarms(w->proc);
  return 0;
}

f64 Z_envZ_emscripten_date_now(Z_env_instance_t*) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

f64 Z_envZ_emscripten_get_now(Z_env_instance_t*) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

u32 Z_wasi_snapshot_preview1Z_random_get(Z_wasi_snapshot_preview1_instance_t* w, u32 buf, u32 len) {
  GuestMemory mem = process_memory(w->proc);
  if (!mem.valid(buf, len)) return 21;
  u32 done = 0;
  while (done < len) {
    ssize_t n = getrandom(mem.ptr(buf + done), len - done, 0);
    if (n <= 0) return 29;
    done += static_cast<u32>(n);
  }
  return 0;
}

// The guest always runs in UTC; Postgres does its own time zone math with
// the zone files from the bundle.
void Z_envZ__tzset_js(Z_env_instance_t* env, u32 timezone, u32 daylight, u32 std_name, u32 dst_name) {
  GuestMemory mem = process_memory(env->proc);
  if (mem.valid(timezone, 4)) mem.store_u32(timezone, 0);
  if (mem.valid(daylight, 4)) mem.store_u32(daylight, 0);
  if (mem.valid(std_name, 4)) std::memcpy(mem.ptr(std_name), "UTC", 4);
  if (mem.valid(dst_name, 4)) std::memcpy(mem.ptr(dst_name), "UTC", 4);
}

void Z_envZ__gmtime_js(Z_env_instance_t* env, u64 t, u32 tm_ptr) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm;
  gmtime_r(&tt, &tm);
  store_tm(process_memory(env->proc), tm_ptr, tm);
}

void Z_envZ__localtime_js(Z_env_instance_t* env, u64 t, u32 tm_ptr) { Z_envZ__gmtime_js(env, t, tm_ptr); }

u64 Z_envZ__mktime_js(Z_env_instance_t* env, u32 tm_ptr) {
  GuestMemory mem = process_memory(env->proc);
  if (!mem.valid(tm_ptr, 36)) return static_cast<u64>(-1);
  struct tm tm = {};
  tm.tm_sec = static_cast<int>(mem.load_u32(tm_ptr));
  tm.tm_min = static_cast<int>(mem.load_u32(tm_ptr + 4));
  tm.tm_hour = static_cast<int>(mem.load_u32(tm_ptr + 8));
  tm.tm_mday = static_cast<int>(mem.load_u32(tm_ptr + 12));
  tm.tm_mon = static_cast<int>(mem.load_u32(tm_ptr + 16));
  tm.tm_year = static_cast<int>(mem.load_u32(tm_ptr + 20));
  time_t t = timegm(&tm);
  store_tm(mem, tm_ptr, tm);
  return static_cast<u64>(t);
}

u32 Z_envZ_emscripten_get_heap_max(Z_env_instance_t* env) {
  return static_cast<u32>(uint64_t(env->proc->memory.max_pages) * 65536 - 65536);
}

u32 Z_envZ_emscripten_resize_heap(Z_env_instance_t* env, u32 requested) {
  wasm_rt_memory_t* m = &env->proc->memory;
  uint64_t want = (uint64_t(requested) + 65535) / 65536;
  // Grow in steps of at least 20% like Emscripten, to keep sbrk cheap.
  uint64_t over = m->pages + m->pages / 5;
  if (over > want && over <= m->max_pages) want = over;
  if (want > m->max_pages) want = m->max_pages;
  if (want * 65536 < requested) return 0;
  if (want <= m->pages) return 1;
  return wasm_rt_grow_memory(m, static_cast<u32>(want - m->pages)) != UINT32_MAX;
}

// setitimer(): statement_timeout and the other Postgres timeouts (see
// interval_timers.h for how the alarm reaches the guest).
u32 Z_envZ__setitimer_js(Z_env_instance_t* env, u32 which, f64 ms) {
  pglite::shim::arm_interval_timer(env->proc, which, ms);
  return 0;
}

void Z_envZ___call_sighandler(Z_env_instance_t* env, u32 fp, u32 sig) {
  const wasm_rt_funcref_t* f = pgl_table_entry(env, fp, pgl_func_type_id("i:"));
  reinterpret_cast<void (*)(void*, u32)>(f->func)(f->module_instance, sig);
}

u32 Z_envZ_getaddrinfo(Z_env_instance_t* env, u32 node, u32 service, u32 hint, u32 out) {
  return pglite::shim::numeric_getaddrinfo(env->proc, node, service, hint, out);
}
u32 Z_envZ_getnameinfo(Z_env_instance_t* env, u32 sa, u32 salen, u32 host, u32 hostlen, u32 serv, u32 servlen,
                       u32 flags) {
  return pglite::shim::numeric_getnameinfo(env->proc, sa, salen, host, hostlen, serv, servlen, flags);
}

// File-backed mmap: copy the file into fresh guest memory (MAP_PRIVATE
// semantics), as Emscripten's MEMFS does.
u32 Z_envZ__mmap_js(Z_env_instance_t* env, u32 len, u32 prot, u32 flags, u32 fd, u64 offset,
                    u32 allocated_ptr, u32 addr_ptr) {
  pgl_process* p = env->proc;
  GuestMemory mem = process_memory(p);
  if (!mem.valid(allocated_ptr, 4) || !mem.valid(addr_ptr, 4)) return static_cast<u32>(-21);
  if (!p->fs->is_valid_fd(static_cast<int>(fd))) return static_cast<u32>(-8);
  u32 ptr = p->memalign_fn(p->modules[0]->instance, 65536, len);
  if (!ptr) return static_cast<u32>(-48);
  mem = process_memory(p);
  std::memset(mem.ptr(ptr), 0, len);
  int64_t n = p->fs->pread_fd(static_cast<int>(fd), mem.ptr(ptr), len, offset);
  if (n < 0) {
    p->guest_free(ptr);
    return static_cast<u32>(n);
  }
  mem.store_u32(allocated_ptr, 1);
  mem.store_u32(addr_ptr, ptr);
  return 0;
}

u32 Z_envZ__munmap_js(Z_env_instance_t*, u32, u32, u32, u32, u32, u64) { return 0; }

}  // extern "C"
