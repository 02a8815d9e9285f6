// Host struct stat -> guest view.
#pragma once

#include <sys/stat.h>

#include <cstdint>

#include "fs/guest_abi.h"

namespace pglite::shim {

/// Owner is reported as uid/gid 0 (what the guest's getuid() returns, so
/// Postgres's data-directory ownership check passes) and group/other
/// permission bits are cleared (Postgres refuses group/world-accessible
/// data directories).
FileStat guest_stat_from_host(const struct stat& st);

/// Guest d_type for a host st_mode.
uint8_t guest_dtype_from_host_mode(mode_t mode);

}  // namespace pglite::shim
