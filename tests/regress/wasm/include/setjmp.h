/* setjmp.h as Emscripten's musl declares it; wasi-libc has none. The
   regression modules only name these types (PG_TRY is not used in them). */
#ifndef PGLITE_REGRESS_SETJMP_H
#define PGLITE_REGRESS_SETJMP_H
typedef unsigned long __jmp_buf[6];
typedef struct __jmp_buf_tag {
  __jmp_buf __jb;
  unsigned long __fl;
  unsigned long __ss[128 / sizeof(long)];
} jmp_buf[1];
typedef jmp_buf sigjmp_buf;
int setjmp(jmp_buf);
void longjmp(jmp_buf, int) __attribute__((__noreturn__));
int sigsetjmp(sigjmp_buf, int);
void siglongjmp(sigjmp_buf, int) __attribute__((__noreturn__));
#endif
