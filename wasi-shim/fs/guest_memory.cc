// GuestMemory accessors. Wasm linear memory is little-endian, as are the
// hosts we support, so plain memcpy gives the right byte order and avoids
// unaligned-access UB.
#include <cstring>

#include "process.h"

namespace pglite::shim {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "guest memory is little-endian");

uint32_t GuestMemory::load_u32(uint32_t addr) const {
  uint32_t v;
  std::memcpy(&v, base + addr, sizeof v);
  return v;
}

uint64_t GuestMemory::load_u64(uint32_t addr) const {
  uint64_t v;
  std::memcpy(&v, base + addr, sizeof v);
  return v;
}

void GuestMemory::store_u32(uint32_t addr, uint32_t v) const { std::memcpy(base + addr, &v, sizeof v); }

void GuestMemory::store_u64(uint32_t addr, uint64_t v) const { std::memcpy(base + addr, &v, sizeof v); }

bool GuestMemory::read_cstr(uint32_t addr, const char** out, uint64_t* len) const {
  if (addr >= size) return false;
  const void* nul = std::memchr(base + addr, 0, size - addr);
  if (nul == nullptr) return false;
  *out = reinterpret_cast<const char*>(base + addr);
  *len = static_cast<const uint8_t*>(nul) - (base + addr);
  return true;
}

}  // namespace pglite::shim
