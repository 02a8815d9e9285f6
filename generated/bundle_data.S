/* Embeds pglite.data (the runtime file package) into the library as-is. */
  .section .rodata.pgl_bundle, "a"
  .balign 64
  .global pgl_bundle_data
  .hidden pgl_bundle_data
  .type pgl_bundle_data, @object
pgl_bundle_data:
  .incbin PGLITE_BUNDLE_FILE
  .size pgl_bundle_data, . - pgl_bundle_data
  .section .note.GNU-stack, "", @progbits
