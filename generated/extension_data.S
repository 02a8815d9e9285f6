/* Embeds the extensions' runtime files (tools/build/extension_gen.py). */
  .section .rodata.pgl_extensions, "a"
  .balign 64
  .global pgl_extension_data
  .hidden pgl_extension_data
  .type pgl_extension_data, @object
pgl_extension_data:
  .incbin PGLITE_EXTENSION_FILE
  .byte 0 /* a symbol even when there are no extensions */
  .size pgl_extension_data, . - pgl_extension_data
  .section .note.GNU-stack, "", @progbits
