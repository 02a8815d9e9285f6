/* Embeds the template PGDATA archive produced at build time. */
  .section .rodata.pgl_template, "a"
  .balign 64
  .global pgl_template_data
  .global pgl_template_end
  .hidden pgl_template_data
  .hidden pgl_template_end
pgl_template_data:
  .incbin PGLITE_TEMPLATE_FILE
pgl_template_end:
  .section .note.GNU-stack, "", @progbits
