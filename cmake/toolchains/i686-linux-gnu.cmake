# 32-bit x86: Debian crossbuild-essential-i386, libraries of the i386
# architecture (dpkg --add-architecture i386; libzstd-dev:i386,
# libuv1-dev:i386). i386 binaries run on an x86-64 host, so the build-time
# template step runs as is. A 32-bit build needs PGLITE_BOUNDS_CHECKS (the
# default there).
#
# Libraries that cannot be installed next to the host's (an i386 package
# whose amd64 twin is at another version, which Multi-Arch: same refuses)
# can be unpacked with `apt-get download` + `dpkg -x` into a directory given
# as PGLITE_I386_SYSROOT (its .pc files' prefix pointed at it); it is searched
# first, and must be on LD_LIBRARY_PATH to run the build-time tools and tests.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++)
set(CMAKE_ASM_COMPILER i686-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(pc_dirs "/usr/lib/i386-linux-gnu/pkgconfig:/usr/share/pkgconfig")
if(DEFINED ENV{PGLITE_I386_SYSROOT})
  set(PGLITE_I386_SYSROOT "$ENV{PGLITE_I386_SYSROOT}")
endif()
if(PGLITE_I386_SYSROOT)
  set(sr "${PGLITE_I386_SYSROOT}")
  set(pc_dirs "${sr}/usr/lib/i386-linux-gnu/pkgconfig:${pc_dirs}")
  set(CMAKE_C_FLAGS_INIT "-I${sr}/usr/include/i386-linux-gnu")
  set(CMAKE_CXX_FLAGS_INIT "-I${sr}/usr/include/i386-linux-gnu")
  set(link "-Wl,-rpath-link,${sr}/usr/lib/i386-linux-gnu -Wl,-rpath-link,${sr}/lib/i386-linux-gnu")
  set(CMAKE_EXE_LINKER_FLAGS_INIT "${link}")
  set(CMAKE_SHARED_LINKER_FLAGS_INIT "${link}")
  list(APPEND CMAKE_PREFIX_PATH "${sr}/usr")
  set(OPENSSL_ROOT_DIR "${sr}/usr")
endif()
set(ENV{PKG_CONFIG_LIBDIR} "${pc_dirs}")
# An x86-64 host runs i386 programs natively: the "emulator" only has to
# find the unpacked libraries (the template step runs pglite_make_template).
set(run_env /usr/bin/env)
if(PGLITE_I386_SYSROOT)
  list(APPEND run_env "LD_LIBRARY_PATH=${sr}/usr/lib/i386-linux-gnu:${sr}/lib/i386-linux-gnu")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR ${run_env})
