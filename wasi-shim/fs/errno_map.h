// Host (Linux) errno -> guest (WASI/Emscripten) errno.
#pragma once

namespace pglite::shim {

/// Maps a host errno to the guest's numbering; unknown values become EIO.
int host_to_guest_errno(int host_errno);

/// -guest errno for the current host errno, for returning from failed calls.
int neg_guest_errno_from_host();

}  // namespace pglite::shim
