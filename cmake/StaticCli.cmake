# PGLITE_STATIC_CLI: the `pglite` binary linked against the static archives of
# its dependencies, so it runs with nothing but glibc (libc.so.6, libm.so.6 and
# the loader) and can be copied as one file into a container or onto a device.
#
# The library (libpglite.a, target `pglite`) is unchanged: the CLI links the
# same archive, but instead of its PUBLIC shared dependencies it gets the
# imported static targets below. Not -static: glibc's static NSS (getpwnam_r
# in libedit's ~user completion, getaddrinfo in OpenSSL's BIO) and dlopen
# (OpenSSL's DSO) need the build machine's glibc at run time, and glibc's
# libm.a cannot be mixed with a shared libc (its ifunc resolvers reference
# _dl_x86_cpu_features), so libm stays shared.
#
# libarchive.a is trimmed: tools/static/libarchive_trim.c keeps the table of
# every write format (and zlib, bzip2, lzma, libxml2 + ICU, nettle with it)
# out of the link, so libarchive needs no other archive.

# _pglite_static_archive(<name> <debian-package> <file>...): imported target
# PgliteStatic::<name> for the first archive file found.
function(_pglite_static_archive name package)
  set(var PGLITE_STATIC_${name}_ARCHIVE)
  find_library(${var} NAMES ${ARGN} NAMES_PER_DIR)
  if(NOT ${var})
    list(JOIN ARGN " or " files)
    message(FATAL_ERROR "PGLITE_STATIC_CLI: ${files} not found; install the Debian package ${package}"
                        " (scripts/install-deps.sh), or configure with -DPGLITE_STATIC_CLI=OFF")
  endif()
  add_library(PgliteStatic::${name} STATIC IMPORTED)
  set_target_properties(PgliteStatic::${name} PROPERTIES IMPORTED_LOCATION "${${var}}")
endfunction()

_pglite_static_archive(archive libarchive-dev libarchive.a)
_pglite_static_archive(zstd libzstd-dev libzstd.a)
# Debian ships libuv's static archive as libuv_a.a; libuv.a elsewhere.
_pglite_static_archive(uv libuv1-dev libuv_a.a libuv.a)
_pglite_static_archive(ssl libssl-dev libssl.a)
_pglite_static_archive(crypto libssl-dev libcrypto.a)
_pglite_static_archive(edit libedit-dev libedit.a)
_pglite_static_archive(tinfo libncurses-dev libtinfo.a)
_pglite_static_archive(bsd libbsd-dev libbsd.a)
_pglite_static_archive(md libmd-dev libmd.a)

set_target_properties(PgliteStatic::edit PROPERTIES INTERFACE_LINK_LIBRARIES "PgliteStatic::tinfo;PgliteStatic::bsd")
set_target_properties(PgliteStatic::bsd PROPERTIES INTERFACE_LINK_LIBRARIES PgliteStatic::md)
set_target_properties(PgliteStatic::ssl PROPERTIES INTERFACE_LINK_LIBRARIES PgliteStatic::crypto)
set_target_properties(PgliteStatic::crypto PROPERTIES INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS}")
set_target_properties(PgliteStatic::uv PROPERTIES INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS}")

# pglite_link_static_cli(<target>): link <target> with libpglite.a and the
# static archives above.
function(pglite_link_static_cli target)
  target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tools/static/libarchive_trim.c)
  target_include_directories(${target} PRIVATE $<TARGET_PROPERTY:pglite,INTERFACE_INCLUDE_DIRECTORIES>
                                               ${LIBARCHIVE_INCLUDE_DIRS})
  add_dependencies(${target} pglite)
  target_link_libraries(${target} PRIVATE
    $<TARGET_FILE:pglite>
    PgliteStatic::archive PgliteStatic::zstd PgliteStatic::uv PgliteStatic::ssl PgliteStatic::edit
    Threads::Threads ${CMAKE_DL_LIBS})
  target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -Wl,--gc-sections)
endfunction()
