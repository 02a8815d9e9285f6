/* Force-included into every source of a regression side module. The headers
   are wasi-libc's; the module runs against PGlite's Emscripten libc, whose
   errno lives behind __errno_location() (it exports no errno variable). */
#ifndef PGLITE_WASM_MODULE_H
#define PGLITE_WASM_MODULE_H
#include <errno.h>
#include <sys/types.h>
#undef errno
int* __errno_location(void);
#define errno (*__errno_location())
int kill(pid_t pid, int sig); /* wasi-libc's signal.h omits it */
#endif
