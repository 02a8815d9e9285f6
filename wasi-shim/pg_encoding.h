// Postgres encoding ids and names (pg_wchar.h, pg_enc2name_tbl) and the
// way the shim raises a Postgres ERROR inside a guest: shared by the
// host-provided encoding functions (pg_conv.cc, pg_encoding_names.cc) and
// the backend's handler for functions no module provides.
#pragma once

#include "module_desc.h"

namespace pglite::shim {

/// Postgres' encoding names in id order (stable across versions).
extern const char* const kPgEncodingNames[];
constexpr int kPgEncodingCount = 42;  ///< _PG_LAST_ENCODING_

/// The canonical name of an encoding id, "" if out of range.
const char* pg_encoding_name(int encoding);

/// ereport(ERROR, errcode(sqlstate), errmsg_internal(message)) in the
/// guest: longjmps back into Postgres and does not return. Traps if the
/// main module cannot report errors. The caller must hold no host
/// resources that need destroying (the unwind skips host frames).
[[noreturn]] void raise_guest_error(pgl_process* p, const char* sqlstate, const char* message);

}  // namespace pglite::shim
