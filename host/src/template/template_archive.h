// The template PGDATA (a fresh initdb'd data directory) embedded in the library
// as a zstd-compressed tar. Everything about templates is in this directory:
//   - tools/template makes the archive at build time (runs initdb.wasm) and
//     embeds it (builtin_template.cc; no_template.cc for the maker itself);
//   - storage/data_dir.cc extracts it for a new persistent database;
//   - memory_template.h decodes it once per process into an in-memory image,
//     which every temporary database views copy-on-write;
//   - extension_templates.h makes one more image per extension set.
// The definition of builtin_template() is generated at build time; tests may
// provide their own.
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
