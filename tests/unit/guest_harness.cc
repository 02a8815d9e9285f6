// Process-layer doubles for the file-system tests: guest memory is the
// buffer hung off pgl_process::memory.
#include "guest_harness.h"

namespace pglite::shim {
GuestMemory process_memory(pgl_process* p) { return GuestMemory{p->memory.data, p->memory.size}; }
FileSystem& process_fs(pgl_process* p) { return *p->fs; }
}  // namespace pglite::shim
