// The template PGDATA (a fresh initdb'd data directory) embedded in the library
// as a zstd-compressed tar. The definition of builtin_template() is generated at
// build time; tests may provide their own.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pglite::internal {

struct TemplateArchive {
  const uint8_t* data;
  size_t size;
};

/// The embedded template archive (.tar.zst bytes). The bytes live for the
/// whole program.
TemplateArchive builtin_template();

}  // namespace pglite::internal
