// The PostgreSQL extensions built into this library.
#pragma once

#include <string>
#include <vector>

#include "pglite/export.h"

namespace pglite {

/// Names for CREATE EXTENSION (pgvector is "vector"), sorted. Empty when the
/// library was built with -DPGLITE_WITH_EXTENSIONS=OFF. Modules without an
/// extension script (auto_explain, passwordcheck) are loaded with LOAD or
/// the shared_preload_libraries setting instead and are not listed.
PGLITE_EXPORT std::vector<std::string> available_extensions();

}  // namespace pglite
