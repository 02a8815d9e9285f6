# Translate wasm modules to C with wasm2c and split them into translation
# units that compile in parallel. Outputs live in the build tree only.
find_program(WASM2C_EXECUTABLE wasm2c REQUIRED)

set(PGLITE_GENERATED_SOURCES "")
set(PGLITE_GLUE_ARGS "")
set(PGLITE_GLUE_DEPS "")

# pglite_translate_module(<name> <wasm> <units> MAIN|SIDE [wasm2c_split.py options...])
function(pglite_translate_module name wasm units role)
  set(out "${PGLITE_GENERATED_DIR}/${name}")
  set(c "${out}/${name}.c")
  set(h "${PGLITE_GENERATED_DIR}/${name}_module.h")  # not pglite.h: that is the public C API
  set(parts "")
  # A main module's data and table slots start at fixed bases (pgl_process's
  # main_memory_base and main_table_base, wasi-shim/process.h): its code uses
  # them as constants, and instantiation traps if they ever differ.
  set(fixed "")
  if(role STREQUAL "MAIN")
    set(fixed --fixed-bases 1024:1)
  endif()
  foreach(i RANGE ${units})
    list(APPEND parts "${out}/${name}_${i}.c")
  endforeach()
  add_custom_command(
    OUTPUT ${parts} "${h}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${out}"
    COMMAND "${WASM2C_EXECUTABLE}" "${wasm}" -n "${name}" -o "${c}"
    COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${out}/${name}.h" "${h}"
    COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/build/wasm2c_split.py"
            --input "${c}" --module "${name}" --units ${units} --outdir "${out}" ${fixed} ${ARGN}
    COMMAND "${CMAKE_COMMAND}" -E remove "${c}"
    DEPENDS "${wasm}" "${PROJECT_SOURCE_DIR}/tools/build/wasm2c_split.py" "${PROJECT_SOURCE_DIR}/tools/build/common.py"
    COMMENT "wasm2c ${name} (${units} units)"
    VERBATIM)
  set(link "${PGLITE_GENERATED_DIR}/${name}_link.c")
  set(PGLITE_GENERATED_SOURCES ${PGLITE_GENERATED_SOURCES} ${parts} "${link}" PARENT_SCOPE)
  if(role STREQUAL "MAIN")
    set(PGLITE_GLUE_ARGS ${PGLITE_GLUE_ARGS} --main "${name}=${wasm}" PARENT_SCOPE)
  else()
    set(PGLITE_GLUE_ARGS ${PGLITE_GLUE_ARGS} --side "${name}=${wasm}" PARENT_SCOPE)
  endif()
  set(PGLITE_GLUE_DEPS ${PGLITE_GLUE_DEPS} "${wasm}" "${h}" PARENT_SCOPE)
  set(PGLITE_GLUE_OUTPUTS ${PGLITE_GLUE_OUTPUTS} "${link}" PARENT_SCOPE)
endfunction()

function(pglite_generate_glue)
  add_custom_command(
    OUTPUT "${PGLITE_GENERATED_DIR}/glue.c" ${PGLITE_GLUE_OUTPUTS}
    COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/build/wasm_link_gen.py"
            ${PGLITE_GLUE_ARGS} --header-dir "${PGLITE_GENERATED_DIR}" --out "${PGLITE_GENERATED_DIR}"
    DEPENDS ${PGLITE_GLUE_DEPS} "${PROJECT_SOURCE_DIR}/tools/build/wasm_link_gen.py" "${PROJECT_SOURCE_DIR}/tools/build/common.py"
    COMMENT "Generating module link glue"
    VERBATIM)
endfunction()
