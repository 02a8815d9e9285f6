# Fetch the pinned npm tarballs (npm pack, cached outside the build tree),
# verify them, and unpack the files the build uses.
#
# PGLITE_OFFLINE: never run npm. The tarballs must already be in
# PGLITE_INPUT_CACHE (scripts/fetch-inputs.sh DIR puts them there); a missing
# or mismatching one stops the configure step, and nothing in the directory is
# deleted or written.
include(${PROJECT_SOURCE_DIR}/wasm/manifest.cmake)

option(PGLITE_OFFLINE "Never fetch: take the pinned npm tarballs from PGLITE_INPUT_CACHE as they are" OFF)
if(DEFINED ENV{XDG_CACHE_HOME})
  set(_cache_default "$ENV{XDG_CACHE_HOME}/pglite-native/npm")
else()
  set(_cache_default "$ENV{HOME}/.cache/pglite-native/npm")
endif()
set(PGLITE_INPUT_CACHE "${_cache_default}" CACHE PATH "Where downloaded npm tarballs are kept")
if(PGLITE_OFFLINE)
  if(NOT IS_DIRECTORY "${PGLITE_INPUT_CACHE}")
    message(FATAL_ERROR "PGLITE_OFFLINE: the input directory ${PGLITE_INPUT_CACHE} (PGLITE_INPUT_CACHE) does not exist;"
                        " fill it with scripts/fetch-inputs.sh DIR where there is network")
  endif()
  if(PGLITE_WITH_REGRESS_MODULES)
    message(FATAL_ERROR "PGLITE_OFFLINE: the regression suite's test modules fetch PostgreSQL sources"
                        " (tests/regress/prepare.sh); configure with -DPGLITE_BUILD_TESTS=OFF"
                        " or -DPGLITE_WITH_REGRESS_MODULES=OFF")
  endif()
else()
  file(MAKE_DIRECTORY "${PGLITE_INPUT_CACHE}")
endif()

include(${CMAKE_CURRENT_LIST_DIR}/Checksum.cmake)

function(pglite_fetch_npm package version tarball sha256 out_dir)
  set(path "${PGLITE_INPUT_CACHE}/${tarball}")
  if(PGLITE_OFFLINE)
    if(NOT EXISTS "${path}")
      message(FATAL_ERROR "PGLITE_OFFLINE: ${path} is missing\n"
                          "  expected ${package}@${version} (npm pack), SHA-256 ${sha256}\n"
                          "Fetch it with scripts/fetch-inputs.sh DIR where there is network.")
    endif()
    file(SHA256 "${path}" have)
    if(NOT have STREQUAL sha256)
      message(FATAL_ERROR "PGLITE_OFFLINE: checksum mismatch for ${path}\n  expected ${sha256}\n  got      ${have}\n"
                          "The file was left as it is; replace it with the pinned ${package}@${version}.")
    endif()
  else()
    if(EXISTS "${path}")
      file(SHA256 "${path}" have)
      if(NOT have STREQUAL sha256)
        message(STATUS "Cached ${tarball} has the wrong checksum; fetching again")
        file(REMOVE "${path}")
      endif()
    endif()
    if(NOT EXISTS "${path}")
      find_program(NPM_EXECUTABLE npm REQUIRED)
      message(STATUS "Fetching ${package}@${version} with npm pack")
      execute_process(
        COMMAND "${NPM_EXECUTABLE}" pack "${package}@${version}" --pack-destination "${PGLITE_INPUT_CACHE}"
        RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
      if(NOT rc EQUAL 0 OR NOT EXISTS "${path}")
        message(FATAL_ERROR "npm pack ${package}@${version} failed: ${err}")
      endif()
    endif()
  endif()
  pglite_verify_sha256("${path}" "${sha256}")
  set(stamp "${out_dir}/.extracted-${sha256}")
  if(NOT EXISTS "${stamp}")
    file(REMOVE_RECURSE "${out_dir}")
    file(MAKE_DIRECTORY "${out_dir}")
    file(ARCHIVE_EXTRACT INPUT "${path}" DESTINATION "${out_dir}")
    file(TOUCH "${stamp}")
  endif()
endfunction()

set(PGLITE_INPUT_DIR "${CMAKE_BINARY_DIR}/inputs")
pglite_fetch_npm("${PGLITE_NPM_PACKAGE}" "${PGLITE_NPM_VERSION}" "${PGLITE_NPM_TARBALL}"
                 "${PGLITE_NPM_TARBALL_SHA256}" "${PGLITE_INPUT_DIR}/pglite")
set(PGLITE_DIST "${PGLITE_INPUT_DIR}/pglite/package/dist")
foreach(f pglite.wasm pglite.data pglite.js initdb.wasm initdb.js)
  pglite_verify_sha256("${PGLITE_DIST}/${f}" "${PGLITE_FILE_${f}}")
endforeach()
pglite_fetch_npm("${PGLITE_TOOLS_NPM_PACKAGE}" "${PGLITE_TOOLS_NPM_VERSION}" "${PGLITE_TOOLS_NPM_TARBALL}"
                 "${PGLITE_TOOLS_NPM_TARBALL_SHA256}" "${PGLITE_INPUT_DIR}/pglite-tools")
set(PGLITE_TOOLS_DIST "${PGLITE_INPUT_DIR}/pglite-tools/package/dist")
foreach(f pg_dump.wasm pg_dump.cjs)
  pglite_verify_sha256("${PGLITE_TOOLS_DIST}/${f}" "${PGLITE_TOOLS_FILE_${f}}")
endforeach()

# The runtime file bundle: pglite.data + the file table inside pglite.js.
# Side modules (.so) are unpacked next to it for translation.
set(PGLITE_BUNDLE_DIR "${PGLITE_INPUT_DIR}/bundle")
execute_process(
  COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/build/bundle_gen.py"
          --js "${PGLITE_DIST}/pglite.js" --data "${PGLITE_DIST}/pglite.data"
          --out-c "${PGLITE_GENERATED_DIR}/bundle_index.c" --so-dir "${PGLITE_BUNDLE_DIR}/so"
          --heap-base-out "${PGLITE_BUNDLE_DIR}/heap_base.cmake" --initdb-js "${PGLITE_DIST}/initdb.js"
          --pg-dump-js "${PGLITE_TOOLS_DIST}/pg_dump.cjs"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bundle_gen.py failed")
endif()
include("${PGLITE_BUNDLE_DIR}/heap_base.cmake")
file(GLOB PGLITE_SIDE_MODULES "${PGLITE_BUNDLE_DIR}/so/*.so")
list(SORT PGLITE_SIDE_MODULES)

# Extensions: every bundle is checked, then unpacked by extension_gen.py into
# a data blob + file table (always generated, empty without extensions) and
# the .so files to translate.
set(PGLITE_EXTENSION_DIR "${PGLITE_INPUT_DIR}/extensions")
set(_extension_args "")
if(PGLITE_WITH_EXTENSIONS)
  foreach(ext ${PGLITE_EXTENSIONS})
    pglite_verify_sha256("${PGLITE_DIST}/${ext}.tar.gz" "${PGLITE_EXTENSION_SHA256_${ext}}")
    list(APPEND _extension_args --bundle "${ext}=${PGLITE_DIST}/${ext}.tar.gz")
  endforeach()
endif()
# The regression suite's C test modules (regress.so, autoinc.so, refint.so),
# compiled to wasm from the suite's sources by tests/regress/prepare.sh and
# then translated like the extensions' modules.
if(PGLITE_WITH_REGRESS_MODULES)
  set(_test_module_dir "${PGLITE_INPUT_DIR}/regress-modules")
  execute_process(
    COMMAND bash "${PROJECT_SOURCE_DIR}/tests/regress/prepare.sh" --modules "${_test_module_dir}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not build the regression suite's wasm test modules (tests/regress/prepare.sh);"
                        " -DPGLITE_WITH_REGRESS_MODULES=OFF builds without them")
  endif()
  foreach(m regress autoinc refint)
    list(APPEND _extension_args --test-module "${_test_module_dir}/${m}.so")
  endforeach()
endif()
execute_process(
  COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/build/extension_gen.py" ${_extension_args}
          --out-c "${PGLITE_GENERATED_DIR}/extension_index.c" --out-data "${PGLITE_EXTENSION_DIR}/extensions.data"
          --so-dir "${PGLITE_EXTENSION_DIR}/so"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "extension_gen.py failed")
endif()
file(GLOB PGLITE_EXTENSION_MODULES "${PGLITE_EXTENSION_DIR}/so/*.so")
list(SORT PGLITE_EXTENSION_MODULES)
