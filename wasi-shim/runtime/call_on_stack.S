/* void pgl_call_on_stack(void (*fn)(void*), void* arg, void* stack_top)
 * Calls fn(arg) with the stack pointer set to stack_top, then returns on
 * the caller's stack. Guest code runs on a stack the process owns, so its
 * depth does not depend on the thread the application calls from. */
#if defined(__x86_64__)
  .text
  .globl pgl_call_on_stack
  .hidden pgl_call_on_stack
  .type pgl_call_on_stack, @function
pgl_call_on_stack:
  .cfi_startproc
  pushq %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  movq %rsp, %rbp
  .cfi_def_cfa_register %rbp
  movq %rdx, %rsp
  andq $-16, %rsp
  movq %rdi, %rax
  movq %rsi, %rdi
  callq *%rax
  movq %rbp, %rsp
  popq %rbp
  .cfi_def_cfa %rsp, 8
  ret
  .cfi_endproc
  .size pgl_call_on_stack, . - pgl_call_on_stack
#elif defined(__i386__)
  /* cdecl: fn, arg, stack_top on the caller's stack; 16-byte aligned at the call. */
  .text
  .globl pgl_call_on_stack
  .hidden pgl_call_on_stack
  .type pgl_call_on_stack, @function
pgl_call_on_stack:
  .cfi_startproc
  pushl %ebp
  .cfi_def_cfa_offset 8
  .cfi_offset %ebp, -8
  movl %esp, %ebp
  .cfi_def_cfa_register %ebp
  movl 8(%ebp), %eax
  movl 12(%ebp), %ecx
  movl 16(%ebp), %edx
  movl %edx, %esp
  andl $-16, %esp
  subl $12, %esp
  pushl %ecx
  call *%eax
  movl %ebp, %esp
  popl %ebp
  .cfi_def_cfa %esp, 4
  ret
  .cfi_endproc
  .size pgl_call_on_stack, . - pgl_call_on_stack
#elif defined(__aarch64__)
/* AAPCS64: fn in x0, arg in x1, stack_top in x2. A frame record (x29, x30)
 * on the caller's stack, x29 the CFA base while sp points at the guest stack
 * (kept 16-byte aligned), so unwinders and debuggers walk back to the caller. */
  .text
  .globl pgl_call_on_stack
  .hidden pgl_call_on_stack
  .type pgl_call_on_stack, %function
  .p2align 2
pgl_call_on_stack:
  .cfi_startproc
  stp x29, x30, [sp, #-16]!
  .cfi_def_cfa_offset 16
  .cfi_offset x29, -16
  .cfi_offset x30, -8
  mov x29, sp
  .cfi_def_cfa_register x29
  and x2, x2, #~15
  mov sp, x2
  mov x3, x0
  mov x0, x1
  blr x3
  mov sp, x29
  .cfi_def_cfa_register sp
  ldp x29, x30, [sp], #16
  .cfi_def_cfa_offset 0
  .cfi_restore x29
  .cfi_restore x30
  ret
  .cfi_endproc
  .size pgl_call_on_stack, . - pgl_call_on_stack
#elif defined(__arm__)
  /* AAPCS: fn in r0, arg in r1, stack_top in r2; sp 8-byte aligned at calls. */
  .text
  .globl pgl_call_on_stack
  .hidden pgl_call_on_stack
  .type pgl_call_on_stack, %function
pgl_call_on_stack:
  push {r4, lr}
  mov r4, sp
  bic r2, r2, #15
  mov sp, r2
  mov r3, r0
  mov r0, r1
  blx r3
  mov sp, r4
  pop {r4, pc}
  .size pgl_call_on_stack, . - pgl_call_on_stack
#else
#error "pgl_call_on_stack: no implementation for this architecture"
#endif
  .section .note.GNU-stack, "", %progbits
