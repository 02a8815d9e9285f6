# A file whose bytes differ from the pinned SHA-256 must stop the configure
# step with a message naming the file. Run with: cmake -P checksum_mismatch.cmake
set(PROJECT_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/../..")
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/tampered.wasm" "not the pinned bytes")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -DFILE=${CMAKE_CURRENT_BINARY_DIR}/tampered.wasm
          -DEXPECTED=3270dc38b2aeb1bfd0f57a54a36a7f13fccd34176241ef2d0ac7f6f40572f0b7
          -P "${PROJECT_SOURCE_DIR}/cmake/VerifyChecksum.cmake"
  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(rc EQUAL 0)
  message(FATAL_ERROR "a tampered input was accepted")
endif()
if(NOT "${err}${out}" MATCHES "tampered.wasm")
  message(FATAL_ERROR "the error does not name the file: ${err}${out}")
endif()
message(STATUS "tampered input refused: ok")
