# Installation: libraries, headers, the CLI, a CMake package (find_package(
# pglite CONFIG)) and a pkg-config file.
#
#   <prefix>/lib/libpglite.a, libpglite.so -> .so.0 -> .so.0.1.0
#   <prefix>/include/pglite/*.h (version.h generated)
#   <prefix>/lib/cmake/pglite/pglite{Config,ConfigVersion,Targets*}.cmake
#   <prefix>/lib/pkgconfig/pglite.pc
#   <prefix>/bin/pglite
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(PGLITE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/pglite"
    CACHE STRING "Where pgliteConfig.cmake is installed (relative to the prefix)")
mark_as_advanced(PGLITE_INSTALL_CMAKEDIR)

set(_pglite_targets pglite)
if(TARGET pglite_shared)
  list(APPEND _pglite_targets pglite_shared)
endif()
install(TARGETS ${_pglite_targets}
  EXPORT pgliteTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(TARGETS pglite_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/host/include/pglite"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES "${PGLITE_BUILD_INCLUDE_DIR}/pglite/version.h" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/pglite")

# CMake package.
install(EXPORT pgliteTargets
  NAMESPACE pglite::
  FILE pgliteTargets.cmake
  DESTINATION "${PGLITE_INSTALL_CMAKEDIR}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/pgliteConfig.cmake.in"
  "${CMAKE_BINARY_DIR}/pgliteConfig.cmake"
  INSTALL_DESTINATION "${PGLITE_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${CMAKE_BINARY_DIR}/pgliteConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion)
install(FILES "${CMAKE_BINARY_DIR}/pgliteConfig.cmake" "${CMAKE_BINARY_DIR}/pgliteConfigVersion.cmake"
  DESTINATION "${PGLITE_INSTALL_CMAKEDIR}")

# pkg-config. The file finds the prefix from its own location (${pcfiledir}),
# so `cmake --install --prefix P` and moving the tree both work.
set(_pglite_pcdir "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(PGLITE_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(PGLITE_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(PGLITE_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
  set(_pglite_pcdir "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig")
else()
  file(RELATIVE_PATH _pglite_up "/prefix/${_pglite_pcdir}" "/prefix")
  string(REGEX REPLACE "/$" "" _pglite_up "${_pglite_up}")
  set(PGLITE_PC_PREFIX "\${pcfiledir}/${_pglite_up}")
  set(PGLITE_PC_LIBDIR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(PGLITE_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/pglite.pc.in" "${CMAKE_BINARY_DIR}/pglite.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/pglite.pc" DESTINATION "${_pglite_pcdir}")
