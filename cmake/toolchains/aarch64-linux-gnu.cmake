# Cross-compiling for Linux arm64 (aarch64) on an x86-64 Debian machine with
# Debian's cross toolchain and arm64 multiarch -dev packages
# (scripts/install-deps-arm64.sh). scripts/build-arm64.sh uses it:
#
#   cmake -S . -B build-arm64 -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake ...
#
# Test binaries and build-time tools run under qemu-user
# (CMAKE_CROSSCOMPILING_EMULATOR): gtest discovery, ctest, and the template
# builder unless PGLITE_HOST_TEMPLATE names a template made by a native build.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(PGLITE_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${PGLITE_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${PGLITE_CROSS_TRIPLE}-g++)
set(CMAKE_ASM_COMPILER ${PGLITE_CROSS_TRIPLE}-gcc)

# Debian's multiarch layout: headers in /usr/include (shared) and
# /usr/include/aarch64-linux-gnu, libraries in /usr/lib/aarch64-linux-gnu,
# the cross toolchain's own sysroot in /usr/aarch64-linux-gnu.
set(CMAKE_FIND_ROOT_PATH /usr/${PGLITE_CROSS_TRIPLE})
set(CMAKE_LIBRARY_ARCHITECTURE ${PGLITE_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# Libraries and headers: the root path first, then the host's multiarch
# directories (lib/aarch64-linux-gnu is arm64-only, /usr/include is shared).
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/include/x86_64-linux-gnu)

# pkg-config: only the arm64 .pc files (and the architecture-independent ones).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${PGLITE_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# No `-L /usr/aarch64-linux-gnu`: the arm64 -dev packages install libc6:arm64,
# so /lib/ld-linux-aarch64.so.1 and /lib/aarch64-linux-gnu/libc.so.6 exist on
# the host. With -L, qemu takes the loader from the cross toolchain's sysroot
# (libc6-arm64-cross, another glibc build) but the loader still finds libc in
# /lib/aarch64-linux-gnu: a loader and a libc of different builds disagree on
# their shared structures and the program spins in pthread_create.
find_program(PGLITE_QEMU_AARCH64 qemu-aarch64-static REQUIRED)
if(EXISTS /lib/ld-linux-aarch64.so.1)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PGLITE_QEMU_AARCH64})
else()
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PGLITE_QEMU_AARCH64} -L /usr/${PGLITE_CROSS_TRIPLE})
endif()
