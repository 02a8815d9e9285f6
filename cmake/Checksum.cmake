function(pglite_verify_sha256 file expected)
  file(SHA256 "${file}" actual)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "Checksum mismatch for ${file}\n  expected ${expected}\n  got      ${actual}\n"
                        "Delete the file to refetch, or update wasm/manifest.cmake deliberately.")
  endif()
endfunction()
