// Imports the guest links but a sandboxed single-process Postgres never
// needs: sockets and select(). They fail cleanly instead of trapping.
#include "fs/import_util.h"
#include "fs/imports.h"

namespace w = pglite::shim::wasi_errno;

namespace {
constexpr uint32_t fail(int e) { return static_cast<uint32_t>(-e); }
}  // namespace

extern "C" {

uint32_t Z_envZ___syscall__newselect(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t,
                                     uint32_t) {
  return fail(w::kNOSYS);
}

uint32_t Z_envZ___syscall_socket(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                                 uint32_t) {
  return fail(w::kAFNOSUPPORT);
}

#define PGL_NO_SOCKET_CALL(name)                                                                     \
  uint32_t Z_envZ___syscall_##name(struct Z_env_instance_t*, uint32_t, uint32_t, uint32_t, uint32_t, \
                                   uint32_t, uint32_t) {                                             \
    return fail(w::kNOSYS);                                                                          \
  }
PGL_NO_SOCKET_CALL(bind)
PGL_NO_SOCKET_CALL(connect)
PGL_NO_SOCKET_CALL(listen)
PGL_NO_SOCKET_CALL(accept4)
PGL_NO_SOCKET_CALL(recvfrom)
PGL_NO_SOCKET_CALL(sendto)
#undef PGL_NO_SOCKET_CALL

}  // extern "C"
