// Run-time version of the library (pglite/version.h, pglite_libversion()).
#include "pglite/version.h"

#include "pglite/pglite.h"

namespace pglite {

const char* version() noexcept { return PGLITE_VERSION_STRING; }
int version_number() noexcept { return PGLITE_VERSION_NUMBER; }
const char* postgres_version() noexcept { return PGLITE_POSTGRES_VERSION_STRING; }

}  // namespace pglite

extern "C" {

const char* pglite_libversion(void) { return pglite::version(); }
int pglite_libversion_number(void) { return pglite::version_number(); }
const char* pglite_postgres_version(void) { return pglite::postgres_version(); }

}  // extern "C"
