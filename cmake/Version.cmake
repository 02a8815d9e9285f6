# Version numbers for pglite/version.h: the library's from project(VERSION),
# the embedded PostgreSQL's from the pinned pglite.wasm (the string version()
# returns, "PostgreSQL 17.5 on wasm32-..."), so it follows the inputs.
math(EXPR PGLITE_VERSION_NUMBER
     "${PROJECT_VERSION_MAJOR} * 1000000 + ${PROJECT_VERSION_MINOR} * 1000 + ${PROJECT_VERSION_PATCH}")

set(_pglite_wasm "${PGLITE_DIST}/pglite.wasm")
if(NOT PGLITE_POSTGRES_VERSION_SOURCE STREQUAL "${_pglite_wasm}:${PGLITE_FILE_pglite.wasm}")
  file(STRINGS "${_pglite_wasm}" _pg_version LIMIT_COUNT 1 REGEX "PostgreSQL [0-9]+\\.[0-9]+ on ")
  if(NOT _pg_version MATCHES "PostgreSQL ([0-9]+\\.[0-9]+) on ")
    message(FATAL_ERROR "No PostgreSQL version string found in ${_pglite_wasm}")
  endif()
  set(PGLITE_POSTGRES_VERSION "${CMAKE_MATCH_1}" CACHE INTERNAL "PostgreSQL release in pglite.wasm")
  set(PGLITE_POSTGRES_VERSION_SOURCE "${_pglite_wasm}:${PGLITE_FILE_pglite.wasm}" CACHE INTERNAL "")
endif()
message(STATUS "pglite ${PROJECT_VERSION}, PostgreSQL ${PGLITE_POSTGRES_VERSION}")

# Generated public headers live here (installed next to host/include/pglite).
set(PGLITE_BUILD_INCLUDE_DIR "${CMAKE_BINARY_DIR}/include")
configure_file("${PROJECT_SOURCE_DIR}/host/include/pglite/version.h.in"
               "${PGLITE_BUILD_INCLUDE_DIR}/pglite/version.h" @ONLY)
