/* Contract between generated link glue (tools/build/wasm_link_gen.py) and the
 * host shim. C, because the generated code is C. */
#ifndef PGLITE_WASI_SHIM_MODULE_DESC_H_
#define PGLITE_WASI_SHIM_MODULE_DESC_H_

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm-rt.h"

/* The scalar names generated code uses (same guard as wasm2c's headers). */
#ifndef WASM_RT_CORE_TYPES_DEFINED
#define WASM_RT_CORE_TYPES_DEFINED
typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef float f32;
typedef double f64;
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct pgl_process;

/* What a module instance imports from "env": per-instance memory and table
 * bases (side modules each get their own), the process-wide rest. */
struct Z_env_instance_t {
  struct pgl_process* proc;
  void* main_instance; /* the pglite main module, for side-module thunks */
  uint32_t memory_base;
  uint32_t table_base;
};
struct Z_wasi_snapshot_preview1_instance_t {
  struct pgl_process* proc;
};
struct Z_GOTZ2Emem_instance_t {
  uint32_t* cells;
};
struct Z_GOTZ2Efunc_instance_t {
  uint32_t* cells;
};

typedef struct pgl_import_set {
  struct Z_env_instance_t* env;
  struct Z_wasi_snapshot_preview1_instance_t* wasi;
  struct Z_GOTZ2Emem_instance_t* got_mem;
  struct Z_GOTZ2Efunc_instance_t* got_func;
} pgl_import_set;

enum { PGL_EXPORT_FUNC = 0, PGL_EXPORT_GLOBAL = 1 };

typedef struct pgl_export {
  const char* name;
  int kind;
  const void* addr;  /* func: the C export wrapper; global: u32* (*)(void*) */
  const char* sig;   /* "params:results", letters i j f d */
  int32_t elem_slot; /* slot relative to __table_base, -1 if not in table */
} pgl_export;

typedef struct pgl_module_desc {
  const char* lib_name; /* file name, e.g. "plpgsql.so" */
  size_t instance_size;
  void (*init_module)(void);
  void (*instantiate)(void* inst, const pgl_import_set* imports);
  void (*free_instance)(void* inst);
  uint32_t mem_size, mem_align, table_size, table_align; /* dylink.0 */
  const pgl_export* exports;
  uint32_t n_exports;
  const uint32_t* got_mem; /* ids into pgl_got_mem_names */
  uint32_t n_got_mem;
  const uint32_t* got_func; /* ids into pgl_got_func_names */
  uint32_t n_got_func;
  uint32_t memory_initial_pages; /* from the memory import */
  uint32_t table_initial;        /* from the table import */
  /* Points an instance copied byte for byte from another process's at
   * `imports` (the import pointers only; globals keep their values). NULL
   * if the module's instances cannot be copied. */
  void (*rebind)(void* inst, const pgl_import_set* imports);
} pgl_module_desc;

/* Generated (glue.c). */
extern const uint32_t pgl_got_mem_count;
extern const uint32_t pgl_got_func_count;
extern const char* const pgl_got_mem_names[];
extern const char* const pgl_got_func_names[];
extern const pgl_module_desc* const pgl_side_modules[];
void pgl_register_invoke_types(void);

/* Emscripten setjmp/longjmp: each invoke_* pushes a frame; a longjmp thrown
 * by the guest unwinds to the innermost one. */
typedef struct pgl_sjlj_frame {
  jmp_buf buf;
  struct pgl_sjlj_frame* prev;
  uint32_t stack_pointer;
} pgl_sjlj_frame;
#define PGL_SJLJ_SETJMP(b) _setjmp(b)

/* Provided by the shim. */
void pgl_sjlj_push(struct Z_env_instance_t* env, pgl_sjlj_frame* frame);
void pgl_sjlj_pop(struct Z_env_instance_t* env, pgl_sjlj_frame* frame);
void pgl_sjlj_caught(struct Z_env_instance_t* env, pgl_sjlj_frame* frame);
const wasm_rt_funcref_t* pgl_table_entry(struct Z_env_instance_t* env, uint32_t index, uint32_t type_id);
const wasm_rt_funcref_t* pgl_resolve_env_func(struct Z_env_instance_t* env, const char* name,
                                              const char* sig);
uint32_t pgl_func_type_id(const char* sig);

#ifdef __cplusplus
}
#endif

#endif /* PGLITE_WASI_SHIM_MODULE_DESC_H_ */
