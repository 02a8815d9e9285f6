// compiler-rt helpers some side modules import but the Postgres module does
// not export: 128-bit shifts (pgcrypto's OpenSSL) and IEEE binary128
// "long double" conversions and comparisons (uuid-ossp). wasm32 passes a
// 128-bit value as two i64 halves (low first) and returns one through a
// pointer to guest memory. The host compiler does the arithmetic where it
// has a binary128 type (x86, aarch64); elsewhere (32-bit ARM) the few
// operations are done on the bits.
#include <cstring>

#include "process.h"

namespace {

using pglite::shim::process_memory;

#if defined(PGLITE_SOFT_BINARY128)
#elif defined(__x86_64__) || defined(__i386__)
#define PGLITE_HAVE_BINARY128 1
__extension__ typedef __float128 binary128;
#elif __LDBL_MANT_DIG__ == 113
#define PGLITE_HAVE_BINARY128 1
typedef long double binary128;
#endif

// A 128-bit value as wasm32 and little-endian hosts lay it out, low half
// first (no unsigned __int128: 32-bit hosts have none).
struct u128 {
  u64 lo, hi;
};

void store_128(Z_env_instance_t* env, u32 addr, const void* value) {
  auto mem = process_memory(env->proc);
  if (mem.valid(addr, 16)) std::memcpy(mem.ptr(addr), value, 16);
}

#ifdef PGLITE_HAVE_BINARY128
static_assert(sizeof(binary128) == sizeof(u128));

binary128 as_float128(u64 lo, u64 hi) {
  u128 bits{lo, hi};
  binary128 f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// -1, 0, 1 for a < b, a == b, a > b; `unordered` when either is NaN.
u32 compare(u64 a_lo, u64 a_hi, u64 b_lo, u64 b_hi, int unordered) {
  binary128 a = as_float128(a_lo, a_hi), b = as_float128(b_lo, b_hi);
  int r = a < b ? -1 : a > b ? 1 : a == b ? 0 : unordered;
  return static_cast<u32>(r);
}

u32 to_i32(u64 lo, u64 hi) { return static_cast<u32>(static_cast<int32_t>(as_float128(lo, hi))); }

u128 from_i32(int32_t v) {
  binary128 f = v;
  u128 bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}
#else
// IEEE binary128: sign bit 127, 15-bit exponent (bias 16383) in bits
// 112-126, 112-bit fraction; the high half holds the top 48 fraction bits.
constexpr u64 kSign = u64{1} << 63;
constexpr u64 kFracHi = (u64{1} << 48) - 1;

bool is_nan(u64 lo, u64 hi) { return ((hi >> 48) & 0x7fff) == 0x7fff && ((hi & kFracHi) | lo) != 0; }

// As compiler-rt's __cmptf2/__getf2: -1, 0, 1, `unordered` for NaN.
u32 compare(u64 a_lo, u64 a_hi, u64 b_lo, u64 b_hi, int unordered) {
  if (is_nan(a_lo, a_hi) || is_nan(b_lo, b_hi)) return static_cast<u32>(unordered);
  const u64 a_mag = a_hi & ~kSign, b_mag = b_hi & ~kSign;
  if ((a_mag | a_lo | b_mag | b_lo) == 0) return 0;  // +0 == -0
  const bool a_neg = a_hi & kSign, b_neg = b_hi & kSign;
  int r;
  if (a_neg != b_neg) {
    r = a_neg ? -1 : 1;
  } else {
    r = a_mag != b_mag ? (a_mag < b_mag ? -1 : 1) : a_lo != b_lo ? (a_lo < b_lo ? -1 : 1) : 0;
    if (a_neg) r = -r;  // larger magnitude is smaller when negative
  }
  return static_cast<u32>(r);
}

// Truncates toward zero; out of range saturates (as compiler-rt's __fixtfsi).
u32 to_i32(u64, u64 hi) {
  const bool neg = hi & kSign;
  const int exp = static_cast<int>((hi >> 48) & 0x7fff) - 16383;
  if (exp < 0) return 0;
  if (exp >= 31) return neg ? 0x80000000u : 0x7fffffffu;
  const u64 significand = (hi & kFracHi) | (u64{1} << 48);
  const u32 magnitude = static_cast<u32>(significand >> (48 - exp));
  return neg ? 0u - magnitude : magnitude;
}

u128 from_i32(int32_t v) {
  if (v == 0) return {0, 0};
  const bool neg = v < 0;
  const u32 magnitude = neg ? 0u - static_cast<u32>(v) : static_cast<u32>(v);
  const int msb = 31 - __builtin_clz(magnitude);
  const u64 frac = (u64{magnitude} << (48 - msb)) & kFracHi;
  return {0, (neg ? kSign : 0) | (u64(msb + 16383) << 48) | frac};
}
#endif

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

u32 Z_envZ___fixtfsi(Z_env_instance_t*, u64 lo, u64 hi) { return to_i32(lo, hi); }

void Z_envZ___floatsitf(Z_env_instance_t* env, u32 ret, u32 v) {
  u128 bits = from_i32(static_cast<int32_t>(v));
  store_128(env, ret, &bits);
}

u32 Z_envZ___getf2(Z_env_instance_t*, u64 a_lo, u64 a_hi, u64 b_lo, u64 b_hi) {
  return compare(a_lo, a_hi, b_lo, b_hi, -1);
}

u32 Z_envZ___letf2(Z_env_instance_t*, u64 a_lo, u64 a_hi, u64 b_lo, u64 b_hi) {
  return compare(a_lo, a_hi, b_lo, b_hi, 1);
}

}  // extern "C"
