#include "net_names.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace pglite::shim {
namespace {

// musl/Emscripten values in the guest.
constexpr int kAfUnspec = 0, kAfInet = 2, kAfInet6 = 10;
constexpr int kAiPassive = 1, kAiNumericServ = 1024;
constexpr int kEaiNoName = -2, kEaiFamily = -6, kEaiMemory = -10, kEaiOverflow = -12;

bool guest_str(pgl_process* p, u32 addr, std::string* out) {
  const char* s;
  uint64_t n;
  if (!process_memory(p).read_cstr(addr, &s, &n)) return false;
  out->assign(s, n);
  return true;
}

u32 guest_alloc(pgl_process* p, u32 n) {
  u32 ptr = p->guest_malloc(n);
  if (ptr) std::memset(p->memory.data + ptr, 0, n);
  return ptr;
}

}  // namespace

u32 numeric_getaddrinfo(pgl_process* p, u32 node, u32 service, u32 hint, u32 out) {
  GuestMemory mem = process_memory(p);
  int flags = 0, family = kAfUnspec, socktype = 0, protocol = 0;
  if (hint) {
    if (!mem.valid(hint, 16)) return static_cast<u32>(kEaiFamily);
    flags = static_cast<int>(mem.load_u32(hint));
    family = static_cast<int>(mem.load_u32(hint + 4));
    socktype = static_cast<int>(mem.load_u32(hint + 8));
    protocol = static_cast<int>(mem.load_u32(hint + 12));
  }
  if (!node && !service) return static_cast<u32>(kEaiNoName);
  uint16_t port = 0;
  if (service) {
    std::string s;
    if (!guest_str(p, service, &s)) return static_cast<u32>(kEaiNoName);
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end || v < 0 || v > 65535) return static_cast<u32>(kEaiNoName);
    port = static_cast<uint16_t>(v);
  }
  (void)kAiNumericServ;
  uint8_t addr[16] = {};
  int af;
  if (node) {
    std::string n;
    if (!guest_str(p, node, &n)) return static_cast<u32>(kEaiNoName);
    if (n == "localhost") n = family == kAfInet6 ? "::1" : "127.0.0.1";
    if (inet_pton(AF_INET, n.c_str(), addr) == 1) {
      af = kAfInet;
    } else if (inet_pton(AF_INET6, n.c_str(), addr) == 1) {
      af = kAfInet6;
    } else {
      return static_cast<u32>(kEaiNoName);
    }
  } else {
    af = family == kAfInet6 ? kAfInet6 : kAfInet;
    if (!(flags & kAiPassive)) {
      if (af == kAfInet) {
        addr[0] = 127, addr[3] = 1;
      } else {
        addr[15] = 1;
      }
    }
  }
  if (family != kAfUnspec && family != af) return static_cast<u32>(kEaiFamily);
  if (!socktype) socktype = protocol == 17 ? 2 : 1;
  if (!protocol) protocol = socktype == 2 ? 17 : 6;

  u32 salen = af == kAfInet6 ? 28 : 16;
  u32 sa = guest_alloc(p, salen);
  u32 ai = guest_alloc(p, 32);
  if (!sa || !ai) return static_cast<u32>(kEaiMemory);
  mem = process_memory(p);
  uint8_t* s = mem.ptr(sa);
  s[0] = static_cast<uint8_t>(af);
  s[2] = static_cast<uint8_t>(port >> 8);
  s[3] = static_cast<uint8_t>(port);
  std::memcpy(s + (af == kAfInet6 ? 8 : 4), addr, af == kAfInet6 ? 16 : 4);
  mem.store_u32(ai + 4, static_cast<u32>(af));
  mem.store_u32(ai + 8, static_cast<u32>(socktype));
  mem.store_u32(ai + 12, static_cast<u32>(protocol));
  mem.store_u32(ai + 16, salen);
  mem.store_u32(ai + 20, sa);
  if (!mem.valid(out, 4)) return static_cast<u32>(kEaiMemory);
  mem.store_u32(out, ai);
  return 0;
}

u32 numeric_getnameinfo(pgl_process* p, u32 sa, u32 salen, u32 host, u32 hostlen, u32 serv, u32 servlen,
                        u32) {
  GuestMemory mem = process_memory(p);
  if (!mem.valid(sa, salen) || salen < 16) return static_cast<u32>(kEaiFamily);
  const uint8_t* s = mem.ptr(sa);
  int af = s[0] | (s[1] << 8);
  char text[64] = {};
  if (af == kAfInet) {
    inet_ntop(AF_INET, s + 4, text, sizeof text);
  } else if (af == kAfInet6 && salen >= 28) {
    inet_ntop(AF_INET6, s + 8, text, sizeof text);
  } else {
    return static_cast<u32>(kEaiFamily);
  }
  if (host && hostlen) {
    if (std::strlen(text) + 1 > hostlen || !mem.valid(host, hostlen)) return static_cast<u32>(kEaiOverflow);
    std::memcpy(mem.ptr(host), text, std::strlen(text) + 1);
  }
  if (serv && servlen) {
    std::string port = std::to_string((s[2] << 8) | s[3]);
    if (port.size() + 1 > servlen || !mem.valid(serv, servlen)) return static_cast<u32>(kEaiOverflow);
    std::memcpy(mem.ptr(serv), port.c_str(), port.size() + 1);
  }
  return 0;
}

}  // namespace pglite::shim
