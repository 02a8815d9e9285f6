/* pglite's wasm-rt: the runtime API that wabt 1.0.32's wasm2c output calls.
 *
 * Same interface as wabt's wasm-rt.h (the generated code is compiled against
 * this header, not wabt's), different implementation (runtime.cc):
 *  - traps unwind to a thread-local boundary, so several instances can run
 *    on several threads at once;
 *  - by default every linear memory is an 8 GiB PROT_NONE reservation, so
 *    any 32-bit address + offset faults inside it and the signal handler
 *    turns the fault into an out-of-bounds trap (no bounds checks in
 *    generated code); with PGLITE_BOUNDS_CHECKS the generated code checks
 *    each access against the memory's size (wasm2c's RANGE_CHECK) and a
 *    memory reserves only its maximum pages, which a 32-bit host can do;
 *  - native stack overflow inside the guest becomes an exhaustion trap. */
#ifndef PGLITE_WASM_RT_H_
#define PGLITE_WASM_RT_H_

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define wasm_rt_memcpy __builtin_memcpy
#define wasm_rt_unreachable __builtin_unreachable

#define WASM_RT_SKIP_SIGNAL_RECOVERY 0
#define WASM_RT_SIGNAL_RECOVERY_SUPPORTED 1
#ifdef PGLITE_BOUNDS_CHECKS
#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 0
#else
#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 1
#endif
#define WASM_RT_USE_STACK_DEPTH_COUNT 0
#define WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS 0
#define WASM_RT_NO_RETURN __attribute__((noreturn))

typedef enum {
  WASM_RT_TRAP_NONE,
  WASM_RT_TRAP_OOB,
  WASM_RT_TRAP_INT_OVERFLOW,
  WASM_RT_TRAP_DIV_BY_ZERO,
  WASM_RT_TRAP_INVALID_CONVERSION,
  WASM_RT_TRAP_UNREACHABLE,
  WASM_RT_TRAP_CALL_INDIRECT,
  WASM_RT_TRAP_UNCAUGHT_EXCEPTION,
  WASM_RT_TRAP_EXHAUSTION,
} wasm_rt_trap_t;

typedef enum {
  WASM_RT_I32,
  WASM_RT_I64,
  WASM_RT_F32,
  WASM_RT_F64,
  WASM_RT_FUNCREF,
  WASM_RT_EXTERNREF,
} wasm_rt_type_t;

typedef void (*wasm_rt_function_ptr_t)(void);

typedef struct {
  uint32_t func_type;
  wasm_rt_function_ptr_t func;
  void* module_instance;
} wasm_rt_funcref_t;

static const wasm_rt_funcref_t wasm_rt_funcref_null_value = {0, NULL, NULL};

typedef void* wasm_rt_externref_t;
static const wasm_rt_externref_t wasm_rt_externref_null_value = NULL;

typedef struct {
  uint8_t* data;
  uint32_t pages, max_pages;
  uint32_t size;
} wasm_rt_memory_t;

typedef struct {
  wasm_rt_funcref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_funcref_table_t;

typedef struct {
  wasm_rt_externref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_externref_table_t;

void wasm_rt_init(void);
bool wasm_rt_is_initialized(void);
void wasm_rt_free(void);
WASM_RT_NO_RETURN void wasm_rt_trap(wasm_rt_trap_t);
const char* wasm_rt_strerror(wasm_rt_trap_t trap);
uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...);
uint32_t wasm_rt_register_tag(uint32_t size);
void wasm_rt_load_exception(uint32_t tag, uint32_t size, const void* values);
WASM_RT_NO_RETURN void wasm_rt_throw(void);

#define WASM_RT_UNWIND_TARGET jmp_buf
WASM_RT_UNWIND_TARGET* wasm_rt_get_unwind_target(void);
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET* target);
uint32_t wasm_rt_exception_tag(void);
uint32_t wasm_rt_exception_size(void);
void* wasm_rt_exception(void);
#define WASM_RT_SETJMP(buf) sigsetjmp(buf, 1)
#define wasm_rt_try(target) WASM_RT_SETJMP(target)

void wasm_rt_allocate_memory(wasm_rt_memory_t*, uint32_t initial_pages, uint32_t max_pages);
uint32_t wasm_rt_grow_memory(wasm_rt_memory_t*, uint32_t pages);
void wasm_rt_free_memory(wasm_rt_memory_t*);
void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t*, uint32_t elements, uint32_t max_elements);
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t*);
void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t*, uint32_t elements, uint32_t max_elements);
void wasm_rt_free_externref_table(wasm_rt_externref_table_t*);
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t*, uint32_t delta, wasm_rt_funcref_t init);
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t*, uint32_t delta, wasm_rt_externref_t init);

/* ---- pglite extensions ---- */

/* memory.fill in generated code. Large zero fills of linear memory become
 * madvise(MADV_DONTNEED) on whole pages: the pages read back as zero, cost
 * no page faults and stop counting in RSS. Postgres zeroes its ~150 MB shared
 * memory segment at start; this is what keeps an idle instance small. */
void* wasm_rt_memset(void* dst, int c, size_t n);
#ifdef PGLITE_GENERATED_CODE
#define memset(d, c, n) wasm_rt_memset((d), (c), (n))
#endif

/* Snapshots (see Process::clone): the pages of `mem` that were ever touched
 * written into a new anonymous file (memfd) of mem->size bytes; its fd, or
 * -1. */
int pgl_memory_snapshot(const wasm_rt_memory_t* mem);
/* Maps the first `size` bytes of snapshot `fd` over `mem` (which is at least
 * that large) privately: pages are shared until written. 0 or -1. */
int pgl_memory_map_snapshot(wasm_rt_memory_t* mem, int fd, uint64_t size);

/* The host side of a guest call: */

/* A guest call boundary. Traps (and the shim's exit/abort) unwind here. */
typedef struct wasm_rt_boundary {
  sigjmp_buf buf;
  struct wasm_rt_boundary* prev;
  wasm_rt_trap_t trap;
  const void* stack_limit; /* lowest usable native stack address */
} wasm_rt_boundary;

/* Enter/leave a guest call on this thread. Use as:
 *   wasm_rt_boundary b; wasm_rt_boundary_enter(&b);
 *   if (sigsetjmp(b.buf, 0) == 0) { ...guest call... }
 *   wasm_rt_boundary_leave(&b);   // b.trap says what happened
 */
void wasm_rt_boundary_enter(wasm_rt_boundary* b);
void wasm_rt_boundary_leave(wasm_rt_boundary* b);
/* Unwind to the innermost boundary with a reason (WASM_RT_TRAP_NONE means
 * a deliberate unwind such as exit()). */
WASM_RT_NO_RETURN void wasm_rt_unwind(wasm_rt_trap_t reason);

#ifdef __cplusplus
}
#endif

#endif /* PGLITE_WASM_RT_H_ */
