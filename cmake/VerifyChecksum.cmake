# cmake -DFILE=... -DEXPECTED=... -P VerifyChecksum.cmake
# The same check the configure step applies to every pinned input.
include(${CMAKE_CURRENT_LIST_DIR}/Checksum.cmake)
pglite_verify_sha256("${FILE}" "${EXPECTED}")
