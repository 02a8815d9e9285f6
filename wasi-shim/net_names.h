// getaddrinfo/getnameinfo for numeric addresses only: Postgres parses
// pg_hba.conf and listen addresses with them. There is no DNS in the guest.
#pragma once

#include "process.h"

namespace pglite::shim {

u32 numeric_getaddrinfo(pgl_process* p, u32 node, u32 service, u32 hint, u32 out);
u32 numeric_getnameinfo(pgl_process* p, u32 sa, u32 salen, u32 host, u32 hostlen, u32 serv, u32 servlen,
                        u32 flags);

}  // namespace pglite::shim
