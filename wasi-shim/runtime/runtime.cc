// Implementation of wasm-rt.h for pglite: thread-local trap boundaries,
// guard-page memories (or, with PGLITE_BOUNDS_CHECKS, memories reserving only
// their maximum) and a process-wide function type registry.
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "wasm-rt.h"

namespace {

constexpr uint64_t kPageSize = 65536;

// The address space a memory of at most max_pages reserves (PROT_NONE, made
// accessible as it grows; it never moves, so host pointers into it stay
// valid). Guard pages: 4 GiB of addressable memory plus 4 GiB so that
// address + 32-bit offset always lands inside the reservation, whatever
// max_pages says. Bounds checks: the generated code never accesses past the
// memory's size, so the maximum is enough; accesses the shim makes past the
// size but below the maximum still fault inside it and trap.
uint64_t reservation_bytes(uint32_t max_pages) {
#ifdef PGLITE_BOUNDS_CHECKS
  return uint64_t(max_pages ? max_pages : 1) * kPageSize;
#else
  (void)max_pages;
  return 8ull << 30;
#endif
}

// The host's page size: 4 KiB on x86-64, 4, 16 or 64 KiB on arm64 kernels.
// madvise and mprotect work on whole host pages.
uintptr_t host_page_size() {
  static const uintptr_t size = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  return size;
}

thread_local wasm_rt_boundary* tls_boundary = nullptr;
thread_local void* tls_altstack = nullptr;

// Reservations, readable from the signal handler without locks. A slot's
// length is written before its start is published.
constexpr int kMaxMemories = 4096;
std::atomic<uintptr_t> g_mem_start[kMaxMemories];
std::atomic<uintptr_t> g_mem_len[kMaxMemories];
std::mutex g_mem_mutex;

std::once_flag g_init_once;
struct sigaction g_prev_segv, g_prev_bus;

bool in_reservation(uintptr_t addr) {
  for (int i = 0; i < kMaxMemories; i++) {
    uintptr_t start = g_mem_start[i].load(std::memory_order_acquire);
    if (start && addr >= start && addr - start < g_mem_len[i].load(std::memory_order_relaxed)) return true;
  }
  return false;
}

void chain_previous(int sig, siginfo_t* info, void* ctx) {
  struct sigaction* prev = sig == SIGSEGV ? &g_prev_segv : &g_prev_bus;
  if (prev->sa_flags & SA_SIGINFO) {
    prev->sa_sigaction(sig, info, ctx);
  } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
    prev->sa_handler(sig);
  } else {
    signal(sig, SIG_DFL);  // re-raised on return: the host's own crash
  }
}

void on_fault(int sig, siginfo_t* info, void* ctx) {
  wasm_rt_boundary* b = tls_boundary;
  if (b) {
    auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
    if (in_reservation(addr)) {
      b->trap = WASM_RT_TRAP_OOB;
      siglongjmp(b->buf, 1);
    }
    // A fault just below the thread's usable stack is guest recursion that
    // ran the native stack out.
    auto limit = reinterpret_cast<uintptr_t>(b->stack_limit);
    if (limit && addr < limit + 65536 && addr + (1u << 20) > limit) {
      b->trap = WASM_RT_TRAP_EXHAUSTION;
      siglongjmp(b->buf, 1);
    }
  }
  chain_previous(sig, info, ctx);
}

void install_handlers() {
  struct sigaction sa = {};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &g_prev_segv);
  sigaction(SIGBUS, &sa, &g_prev_bus);
}

// The fault handler needs its own stack to run when the native stack is
// exhausted; give each thread that enters the guest one.
// At least 128 KiB, more where the kernel's signal frame needs it (arm64 with
// SVE/SME saves far more state than x86-64; glibc's SIGSTKSZ is sysconf'd).
struct AltStack {
  ~AltStack() {
    if (tls_altstack) {
      stack_t ss = {};
      ss.ss_flags = SS_DISABLE;
      sigaltstack(&ss, nullptr);
      munmap(tls_altstack, size());
    }
  }
  static size_t size() {
    static const size_t bytes = [] {
      long sig = sysconf(_SC_SIGSTKSZ);
      size_t want = std::max<size_t>(128 * 1024, sig > 0 ? 4 * static_cast<size_t>(sig) : 0);
      return (want + host_page_size() - 1) & ~(host_page_size() - 1);
    }();
    return bytes;
  }
};
thread_local AltStack tls_altstack_owner;

void ensure_altstack() {
  if (tls_altstack) return;
  void* mem = mmap(nullptr, AltStack::size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return;
  stack_t ss = {};
  ss.ss_sp = mem;
  ss.ss_size = AltStack::size();
  if (sigaltstack(&ss, nullptr) != 0) {
    munmap(mem, AltStack::size());
    return;
  }
  tls_altstack = mem;
  (void)&tls_altstack_owner;  // odr-use so the destructor runs at thread exit
}

const void* thread_stack_limit() {
  thread_local const void* limit = [] {
    pthread_attr_t attr;
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &addr, &size);
      pthread_attr_destroy(&attr);
    }
    return static_cast<const void*>(addr);
  }();
  return limit;
}

struct TypeRegistry {
  std::mutex mu;
  std::unordered_map<std::string, uint32_t> ids;
};
TypeRegistry& types() {
  static TypeRegistry* r = new TypeRegistry;
  return *r;
}

char type_letter(int t) {
  switch (t) {
    case WASM_RT_I32:
      return 'i';
    case WASM_RT_I64:
      return 'j';
    case WASM_RT_F32:
      return 'f';
    case WASM_RT_F64:
      return 'd';
    case WASM_RT_FUNCREF:
      return 'r';
    default:
      return 'x';
  }
}

}  // namespace

extern "C" {

void wasm_rt_init(void) { std::call_once(g_init_once, install_handlers); }

void* wasm_rt_memset(void* dst, int c, size_t n) {
  auto start = reinterpret_cast<uintptr_t>(dst);
  if (c == 0 && n >= (1u << 20) && in_reservation(start)) {
    const uintptr_t kPage = host_page_size();
    uintptr_t end = start + n;
    uintptr_t first = (start + kPage - 1) & ~(kPage - 1);
    uintptr_t last = end & ~(kPage - 1);
    // Fresh anonymous pages rather than madvise(MADV_DONTNEED), which would
    // bring back a snapshot's contents where the memory maps one.
    if (mmap(reinterpret_cast<void*>(first), last - first, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) != MAP_FAILED) {
      std::memset(dst, 0, first - start);
      std::memset(reinterpret_cast<void*>(last), 0, end - last);
      return dst;
    }
  }
  return std::memset(dst, c, n);
}
bool wasm_rt_is_initialized(void) { return true; }
void wasm_rt_free(void) {}

uint32_t pgl_func_type_id(const char* sig) {
  TypeRegistry& r = types();
  std::lock_guard<std::mutex> lock(r.mu);
  auto [it, inserted] = r.ids.try_emplace(sig, static_cast<uint32_t>(r.ids.size() + 1));
  return it->second;
}

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  std::string key;
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < params; i++) key += type_letter(va_arg(ap, int));
  key += ':';
  for (uint32_t i = 0; i < results; i++) key += type_letter(va_arg(ap, int));
  va_end(ap);
  return pgl_func_type_id(key.c_str());
}

uint32_t wasm_rt_register_tag(uint32_t) { return 0; }
void wasm_rt_load_exception(uint32_t, uint32_t, const void*) {}
void wasm_rt_throw(void) { wasm_rt_trap(WASM_RT_TRAP_UNCAUGHT_EXCEPTION); }
WASM_RT_UNWIND_TARGET* wasm_rt_get_unwind_target(void) { return nullptr; }
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET*) {}
uint32_t wasm_rt_exception_tag(void) { return 0; }
uint32_t wasm_rt_exception_size(void) { return 0; }
void* wasm_rt_exception(void) { return nullptr; }

const char* wasm_rt_strerror(wasm_rt_trap_t trap) {
  switch (trap) {
    case WASM_RT_TRAP_NONE:
      return "no trap";
    case WASM_RT_TRAP_OOB:
      return "out of bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW:
      return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO:
      return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION:
      return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE:
      return "unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT:
      return "invalid indirect call";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION:
      return "uncaught exception";
    case WASM_RT_TRAP_EXHAUSTION:
      return "call stack exhausted";
  }
  return "unknown trap";
}

void wasm_rt_boundary_enter(wasm_rt_boundary* b) {
  wasm_rt_init();
  ensure_altstack();
  b->trap = WASM_RT_TRAP_NONE;
  b->prev = tls_boundary;
  b->stack_limit = thread_stack_limit();
  tls_boundary = b;
}

void wasm_rt_boundary_leave(wasm_rt_boundary* b) { tls_boundary = b->prev; }

void wasm_rt_unwind(wasm_rt_trap_t reason) {
  wasm_rt_boundary* b = tls_boundary;
  if (!b) {
    std::fprintf(stderr, "pglite: wasm trap outside a guest call: %s\n", wasm_rt_strerror(reason));
    std::abort();
  }
  b->trap = reason;
  siglongjmp(b->buf, 1);
}

void wasm_rt_trap(wasm_rt_trap_t trap) {
  wasm_rt_unwind(trap == WASM_RT_TRAP_NONE ? WASM_RT_TRAP_UNREACHABLE : trap);
}

void wasm_rt_allocate_memory(wasm_rt_memory_t* mem, uint32_t initial_pages, uint32_t max_pages) {
  wasm_rt_init();
  mem->data = nullptr;
  mem->pages = mem->size = 0;
  mem->max_pages = max_pages;
  const uint64_t reservation = reservation_bytes(max_pages);
  if (reservation > SIZE_MAX) return;  // 8 GiB on a 32-bit host: build with PGLITE_BOUNDS_CHECKS
  void* addr = mmap(nullptr, static_cast<size_t>(reservation), PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (addr == MAP_FAILED) return;
  {
    std::lock_guard<std::mutex> lock(g_mem_mutex);
    for (int i = 0; i < kMaxMemories; i++) {
      if (g_mem_start[i].load() != 0) continue;
      g_mem_len[i].store(static_cast<uintptr_t>(reservation));
      g_mem_start[i].store(reinterpret_cast<uintptr_t>(addr), std::memory_order_release);
      break;
    }
  }
  uint64_t bytes = uint64_t(initial_pages) * kPageSize;
  if (bytes > reservation ||
      (bytes && mprotect(addr, static_cast<size_t>(bytes), PROT_READ | PROT_WRITE) != 0)) {
    wasm_rt_memory_t tmp = {static_cast<uint8_t*>(addr), 0, max_pages, 0};
    wasm_rt_free_memory(&tmp);
    return;
  }
  mem->data = static_cast<uint8_t*>(addr);
  mem->pages = initial_pages;
  mem->size = static_cast<uint32_t>(bytes > UINT32_MAX ? UINT32_MAX : bytes);
}

int pgl_memory_snapshot(const wasm_rt_memory_t* mem) {
  const uint64_t size = mem->size;
  int fd = memfd_create("pglite-memory", MFD_CLOEXEC);
  if (fd < 0) return -1;
  const uintptr_t page = host_page_size();
  std::vector<unsigned char> resident((size + page - 1) / page);
  bool ok = ftruncate(fd, static_cast<off_t>(size)) == 0;
  if (ok && size && mincore(mem->data, static_cast<size_t>(size), resident.data()) != 0) {
    // qemu-user refuses a range holding unreadable pages (the shadow stack's
    // guard): then by wasm page, and page by page where that fails too;
    // unreadable pages count as never touched (they hold nothing).
    const size_t per_chunk = std::max<size_t>(1, kPageSize / page);
    for (size_t i = 0; i < resident.size(); i += per_chunk) {
      size_t n = std::min(per_chunk, resident.size() - i);
      if (mincore(mem->data + i * page, n * page, &resident[i]) == 0) continue;
      for (size_t k = i; k < i + n; k++) {
        if (mincore(mem->data + k * page, page, &resident[k]) != 0) resident[k] = 0;
      }
    }
  }
  // Only pages that were ever touched can hold data; the rest stay holes.
  for (size_t i = 0; ok && i < resident.size();) {
    if (!(resident[i] & 1)) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < resident.size() && (resident[j] & 1)) j++;
    uint64_t off = uint64_t(i) * page, len = std::min<uint64_t>(uint64_t(j - i) * page, size - off);
    for (uint64_t done = 0; ok && done < len;) {
      ssize_t n =
          pwrite(fd, mem->data + off + done, static_cast<size_t>(len - done), static_cast<off_t>(off + done));
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) done += uint64_t(n);
    }
    i = j;
  }
  if (!ok) {
    close(fd);
    return -1;
  }
  return fd;
}

int pgl_memory_map_snapshot(wasm_rt_memory_t* mem, int fd, uint64_t size) {
  if (size > mem->size) return -1;
  if (size == 0) return 0;
  void* at =
      mmap(mem->data, static_cast<size_t>(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
  return at == MAP_FAILED ? -1 : 0;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* mem, uint32_t delta) {
  uint32_t old = mem->pages;
  uint64_t want = uint64_t(old) + delta;
  if (want > mem->max_pages || want > 65536) return UINT32_MAX;
  if (delta == 0) return old;
  // max_pages bounds the reservation too (reservation_bytes).
  if (mprotect(mem->data + uint64_t(old) * kPageSize, static_cast<size_t>(uint64_t(delta) * kPageSize),
               PROT_READ | PROT_WRITE) != 0)
    return UINT32_MAX;
  mem->pages = static_cast<uint32_t>(want);
  uint64_t bytes = want * kPageSize;
  mem->size = static_cast<uint32_t>(bytes > UINT32_MAX ? UINT32_MAX : bytes);
  return old;
}

void wasm_rt_free_memory(wasm_rt_memory_t* mem) {
  if (!mem->data) return;
  {
    std::lock_guard<std::mutex> lock(g_mem_mutex);
    for (int i = 0; i < kMaxMemories; i++) {
      if (g_mem_start[i].load() == reinterpret_cast<uintptr_t>(mem->data)) g_mem_start[i].store(0);
    }
  }
  munmap(mem->data, static_cast<size_t>(reservation_bytes(mem->max_pages)));
  mem->data = nullptr;
  mem->pages = mem->size = 0;
}

}  // extern "C"

namespace {

template <typename Table, typename Elem>
void allocate_table(Table* t, uint32_t elements, uint32_t max_elements) {
  t->size = elements;
  t->max_size = max_elements;
  t->data = static_cast<Elem*>(calloc(elements ? elements : 1, sizeof(Elem)));
}

template <typename Table>
void free_table(Table* t) {
  free(t->data);
  t->data = nullptr;
  t->size = 0;
}

template <typename Table, typename Elem>
uint32_t grow_table(Table* t, uint32_t delta, Elem init) {
  uint32_t old = t->size;
  uint64_t want = uint64_t(old) + delta;
  if (want > t->max_size) return UINT32_MAX;
  if (delta == 0) return old;
  auto* data = static_cast<Elem*>(realloc(t->data, want * sizeof(Elem)));
  if (!data) return UINT32_MAX;
  for (uint64_t i = old; i < want; i++) data[i] = init;
  t->data = data;
  t->size = static_cast<uint32_t>(want);
  return old;
}

}  // namespace

extern "C" {

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* t, uint32_t n, uint32_t max) {
  allocate_table<wasm_rt_funcref_table_t, wasm_rt_funcref_t>(t, n, max);
}
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* t) { free_table(t); }
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* t, uint32_t delta, wasm_rt_funcref_t init) {
  return grow_table(t, delta, init);
}
void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t* t, uint32_t n, uint32_t max) {
  allocate_table<wasm_rt_externref_table_t, wasm_rt_externref_t>(t, n, max);
}
void wasm_rt_free_externref_table(wasm_rt_externref_table_t* t) { free_table(t); }
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* t, uint32_t delta,
                                      wasm_rt_externref_t init) {
  return grow_table(t, delta, init);
}

}  // extern "C"
