// compiler-rt helpers some side modules import but the Postgres module does
// not export: 128-bit shifts (pgcrypto's OpenSSL) and IEEE binary128
// "long double" conversions and comparisons (uuid-ossp). wasm32 passes a
// 128-bit value as two i64 halves (low first) and returns one through a
// pointer to guest memory. The host compiler does the arithmetic.
#include <cstring>

#include "process.h"

namespace {

using pglite::shim::process_memory;

#if defined(__x86_64__) || defined(__i386__)
__extension__ typedef __float128 binary128;
#elif __LDBL_MANT_DIG__ == 113
typedef long double binary128;
#else
#error "no IEEE binary128 type on this host"
#endif

// A 128-bit value as wasm32 and little-endian hosts lay it out, low half
// first (no unsigned __int128: 32-bit hosts have none).
struct u128 {
  u64 lo, hi;
};
static_assert(sizeof(binary128) == sizeof(u128));

binary128 as_float128(u64 lo, u64 hi) {
  u128 bits{lo, hi};
  binary128 f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

void store_128(Z_env_instance_t* env, u32 addr, const void* value) {
  auto mem = process_memory(env->proc);
  if (mem.valid(addr, 16)) std::memcpy(mem.ptr(addr), value, 16);
}

// -1, 0, 1 for a < b, a == b, a > b; `unordered` when either is NaN.
u32 compare(u64 a_lo, u64 a_hi, u64 b_lo, u64 b_hi, int unordered) {
  binary128 a = as_float128(a_lo, a_hi), b = as_float128(b_lo, b_hi);
  int r = a < b ? -1 : a > b ? 1 : a == b ? 0 : unordered;
  return static_cast<u32>(r);
}

}  // namespace

extern "C" {

void Z_envZ___ashlti3(Z_env_instance_t* env, u32 ret, u64 lo, u64 hi, u32 shift) {
  u128 v{0, 0};
  if (shift == 0) {
    v = {lo, hi};
  } else if (shift < 64) {
    v = {lo << shift, (hi << shift) | (lo >> (64 - shift))};
  } else if (shift < 128) {
    v = {0, lo << (shift - 64)};
  }
  store_128(env, ret, &v);
}

u32 Z_envZ___fixtfsi(Z_env_instance_t*, u64 lo, u64 hi) {
  return static_cast<u32>(static_cast<int32_t>(as_float128(lo, hi)));
}

void Z_envZ___floatsitf(Z_env_instance_t* env, u32 ret, u32 v) {
  binary128 f = static_cast<int32_t>(v);
  store_128(env, ret, &f);
}

u32 Z_envZ___getf2(Z_env_instance_t*, u64 a_lo, u64 a_hi, u64 b_lo, u64 b_hi) {
  return compare(a_lo, a_hi, b_lo, b_hi, -1);
}

u32 Z_envZ___letf2(Z_env_instance_t*, u64 a_lo, u64 a_hi, u64 b_lo, u64 b_hi) {
  return compare(a_lo, a_hi, b_lo, b_hi, 1);
}

}  // extern "C"
