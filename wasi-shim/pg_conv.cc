// Postgres' encoding-conversion helpers that the conversion side modules
// (utf8_and_*.so, euc_jp_and_sjis.so, cyrillic_and_mic.so, ...) import but
// PGlite's pglite.wasm does not export. Our own implementation, mirroring
// PostgreSQL 17's src/backend/utils/mb/conv.c (local2local, latin2mic,
// mic2latin, *_with_table, UtfToLocal, LocalToUtf with the radix-tree
// lookup), src/backend/utils/mb/mbutils.c (check_encoding_conversion_args,
// report_invalid_encoding, report_untranslatable_char) and
// src/common/wchar.c (per-encoding mblen/verifychar, pg_utf8_islegal), so
// conversions and their error messages match native Postgres.
//
// Everything works on guest memory. Errors are raised as Postgres raises
// them: errstart/errcode/errmsg_internal/errfinish of the main module,
// which longjmp back into the guest and do not return, so no function here
// holds anything that needs destroying when it reports an error. The
// optional conversion callback is called through the guest function table.
//
// The definitions are weak: if a later main module exports a function, the
// generated glue routes to it instead (tools/build/wasm_link_gen.py).
#include <climits>
#include <cstdio>
#include <cstring>

#include "pg_encoding.h"
#include "process.h"

namespace pglite::shim {
namespace {

constexpr int kSqlAscii = 0, kEucJp = 1, kEucCn = 2, kEucKr = 3, kEucTw = 4, kEucJis2004 = 5, kUtf8 = 6,
              kMule = 7, kSjis = 35, kBig5 = 36, kGbk = 37, kUhc = 38, kGb18030 = 39, kJohab = 40,
              kShiftJis2004 = 41;

bool valid_encoding(int e) { return e >= 0 && e < kPgEncodingCount; }
bool highbit(uint8_t c) { return (c & 0x80) != 0; }

constexpr uint8_t kSs2 = 0x8e, kSs3 = 0x8f;
// wchar.c: a pair no non-UTF8 multibyte verifier accepts.
constexpr uint8_t kNonUtf8InvalidByte0 = 0x8d, kNonUtf8InvalidByte1 = ' ';

bool is_lc1(uint8_t c) { return c >= 0x81 && c <= 0x8d; }
bool is_lcprv1(uint8_t c) { return c == 0x9a || c == 0x9b; }
bool is_lc2(uint8_t c) { return c >= 0x90 && c <= 0x99; }
bool is_lcprv2(uint8_t c) { return c == 0x9c || c == 0x9d; }
bool is_euc_range_valid(uint8_t c) { return c >= 0xa1 && c <= 0xfe; }
bool is_sjis_head(uint8_t c) { return (c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc); }
bool is_sjis_tail(uint8_t c) { return (c >= 0x40 && c <= 0x7e) || (c >= 0x80 && c <= 0xfc); }

// ---- mblen (wchar.c) ----

int euc_mblen(const uint8_t* s) { return *s == kSs2 ? 2 : *s == kSs3 ? 3 : highbit(*s) ? 2 : 1; }
int euctw_mblen(const uint8_t* s) { return *s == kSs2 ? 4 : *s == kSs3 ? 3 : highbit(*s) ? 2 : 1; }
int utf8_mblen(const uint8_t* s) {
  if ((*s & 0x80) == 0) return 1;
  if ((*s & 0xe0) == 0xc0) return 2;
  if ((*s & 0xf0) == 0xe0) return 3;
  if ((*s & 0xf8) == 0xf0) return 4;
  return 1;
}
int mule_mblen(const uint8_t* s) {
  if (is_lc1(*s)) return 2;
  if (is_lcprv1(*s) || is_lc2(*s)) return 3;
  if (is_lcprv2(*s)) return 4;
  return 1;
}
int sjis_mblen(const uint8_t* s) { return *s >= 0xa1 && *s <= 0xdf ? 1 : highbit(*s) ? 2 : 1; }
int two_byte_mblen(const uint8_t* s) { return highbit(*s) ? 2 : 1; }  // BIG5, GBK, UHC
int gb18030_mblen(const uint8_t* s) {
  if (!highbit(*s)) return 1;
  return s[1] >= 0x30 && s[1] <= 0x39 ? 4 : 2;
}

int encoding_mblen(int encoding, const uint8_t* s) {
  switch (encoding) {
    case kEucJp:
    case kEucKr:
    case kEucJis2004:
    case kJohab:
      return euc_mblen(s);
    case kEucTw:
      return euctw_mblen(s);
    case kUtf8:
      return utf8_mblen(s);
    case kMule:
      return mule_mblen(s);
    case kSjis:
    case kShiftJis2004:
      return sjis_mblen(s);
    case kEucCn:  // as in 17.5, whose own copy in pglite.wasm reports the same
                  // errors (later minors count SS2/SS3 characters as 3 bytes)
    case kBig5:
    case kGbk:
    case kUhc:
      return two_byte_mblen(s);
    case kGb18030:
      return gb18030_mblen(s);
    default:
      return 1;  // SQL_ASCII and the single-byte encodings
  }
}

// pg_encoding_mblen_or_incomplete(): INT_MAX when too few bytes remain.
int encoding_mblen_or_incomplete(int encoding, const uint8_t* s, int64_t remaining) {
  if (remaining < 1 || (encoding == kGb18030 && highbit(*s) && remaining < 2)) return INT_MAX;
  return encoding_mblen(encoding, s);
}

// ---- verifychar (wchar.c): length of the valid character at s, or -1 ----

bool utf8_islegal(const uint8_t* s, int length) {
  uint8_t a;
  switch (length) {
    default:
      return false;
    case 4:
      a = s[3];
      if (a < 0x80 || a > 0xbf) return false;
      [[fallthrough]];
    case 3:
      a = s[2];
      if (a < 0x80 || a > 0xbf) return false;
      [[fallthrough]];
    case 2:
      a = s[1];
      switch (*s) {
        case 0xe0:
          if (a < 0xa0 || a > 0xbf) return false;
          break;
        case 0xed:
          if (a < 0x80 || a > 0x9f) return false;
          break;
        case 0xf0:
          if (a < 0x90 || a > 0xbf) return false;
          break;
        case 0xf4:
          if (a < 0x80 || a > 0x8f) return false;
          break;
        default:
          if (a < 0x80 || a > 0xbf) return false;
          break;
      }
      [[fallthrough]];
    case 1:
      a = *s;
      if (a >= 0x80 && a < 0xc2) return false;
      if (a > 0xf4) return false;
      break;
  }
  return true;
}

int eucjp_verifychar(const uint8_t* s, int len) {
  uint8_t c1 = s[0];
  if (c1 == kSs2) {  // JIS X 0201
    if (len < 2) return -1;
    return s[1] >= 0xa1 && s[1] <= 0xdf ? 2 : -1;
  }
  if (c1 == kSs3) {  // JIS X 0212
    if (len < 3) return -1;
    return is_euc_range_valid(s[1]) && is_euc_range_valid(s[2]) ? 3 : -1;
  }
  if (!highbit(c1)) return 1;
  if (len < 2) return -1;  // JIS X 0208
  return is_euc_range_valid(c1) && is_euc_range_valid(s[1]) ? 2 : -1;
}

int euckr_verifychar(const uint8_t* s, int len) {  // also EUC_CN
  if (!highbit(s[0])) return 1;
  if (len < 2) return -1;
  return is_euc_range_valid(s[0]) && is_euc_range_valid(s[1]) ? 2 : -1;
}

int euctw_verifychar(const uint8_t* s, int len) {
  uint8_t c1 = s[0];
  if (c1 == kSs2) {  // CNS 11643 planes 1-7
    if (len < 4) return -1;
    if (s[1] < 0xa1 || s[1] > 0xa7) return -1;
    return is_euc_range_valid(s[2]) && is_euc_range_valid(s[3]) ? 4 : -1;
  }
  if (c1 == kSs3) return -1;
  if (!highbit(c1)) return 1;
  if (len < 2) return -1;
  return is_euc_range_valid(s[1]) ? 2 : -1;
}

int johab_verifychar(const uint8_t* s, int len) {
  int mbl = euc_mblen(s);
  if (len < mbl) return -1;
  if (!highbit(*s)) return mbl;
  for (int i = 1; i < mbl; i++)
    if (!is_euc_range_valid(s[i])) return -1;
  return mbl;
}

int mule_verifychar(const uint8_t* s, int len) {
  int mbl = mule_mblen(s);
  if (len < mbl) return -1;
  for (int i = 1; i < mbl; i++)
    if (!highbit(s[i])) return -1;
  return mbl;
}

int sjis_verifychar(const uint8_t* s, int len) {
  int mbl = sjis_mblen(s);
  if (len < mbl) return -1;
  if (mbl == 1) return mbl;
  return is_sjis_head(s[0]) && is_sjis_tail(s[1]) ? mbl : -1;
}

int two_byte_verifychar(const uint8_t* s, int len) {  // BIG5, GBK, UHC
  int mbl = two_byte_mblen(s);
  if (len < mbl) return -1;
  if (mbl == 2 && s[0] == kNonUtf8InvalidByte0 && s[1] == kNonUtf8InvalidByte1) return -1;
  for (int i = 1; i < mbl; i++)
    if (s[i] == 0) return -1;
  return mbl;
}

int gb18030_verifychar(const uint8_t* s, int len) {
  if (!highbit(*s)) return 1;
  if (len >= 4 && s[1] >= 0x30 && s[1] <= 0x39) {
    bool ok = s[0] >= 0x81 && s[0] <= 0xfe && s[2] >= 0x81 && s[2] <= 0xfe && s[3] >= 0x30 && s[3] <= 0x39;
    return ok ? 4 : -1;
  }
  if (len >= 2 && s[0] >= 0x81 && s[0] <= 0xfe) {
    bool ok = (s[1] >= 0x40 && s[1] <= 0x7e) || (s[1] >= 0x80 && s[1] <= 0xfe);
    return ok ? 2 : -1;
  }
  return -1;
}

int utf8_verifychar(const uint8_t* s, int len) {
  if ((*s & 0x80) == 0) return *s == 0 ? -1 : 1;
  int l = utf8_mblen(s);
  if (l > len) return -1;
  return utf8_islegal(s, l) ? l : -1;
}

int encoding_verifychar(int encoding, const uint8_t* s, int len) {
  switch (encoding) {
    case kEucJp:
    case kEucJis2004:
      return eucjp_verifychar(s, len);
    case kEucCn:
    case kEucKr:
      return euckr_verifychar(s, len);
    case kEucTw:
      return euctw_verifychar(s, len);
    case kUtf8:
      return utf8_verifychar(s, len);
    case kMule:
      return mule_verifychar(s, len);
    case kSjis:
    case kShiftJis2004:
      return sjis_verifychar(s, len);
    case kBig5:
    case kGbk:
    case kUhc:
      return two_byte_verifychar(s, len);
    case kGb18030:
      return gb18030_verifychar(s, len);
    case kJohab:
      return johab_verifychar(s, len);
    default:
      return 1;  // SQL_ASCII and the single-byte encodings
  }
}

// ---- errors ----

// The bytes of the offending character as mbutils.c prints them:
// "0x.. 0x.." (at most 8).
void format_bytes(char* out, size_t size, int encoding, const uint8_t* s, int len) {
  int l = encoding_mblen_or_incomplete(encoding, s, len);
  int n = l < len ? l : len;
  if (n > 8) n = 8;
  size_t pos = 0;
  out[0] = 0;
  for (int j = 0; j < n && pos < size; j++)
    pos += static_cast<size_t>(std::snprintf(out + pos, size - pos, j + 1 < n ? "0x%02x " : "0x%02x", s[j]));
}

[[noreturn]] void report_invalid_encoding(pgl_process* p, int encoding, const uint8_t* s, int len) {
  char bytes[48];
  format_bytes(bytes, sizeof bytes, encoding, s, len);
  char msg[160];
  std::snprintf(msg, sizeof msg, "invalid byte sequence for encoding \"%s\": %s", pg_encoding_name(encoding),
                bytes);
  raise_guest_error(p, "22021", msg);
}

[[noreturn]] void report_untranslatable_char(pgl_process* p, int src_encoding, int dest_encoding,
                                             const uint8_t* s, int len) {
  char bytes[48];
  format_bytes(bytes, sizeof bytes, src_encoding, s, len);
  char msg[200];
  std::snprintf(msg, sizeof msg,
                "character with byte sequence %s in encoding \"%s\" has no equivalent in encoding \"%s\"",
                bytes, pg_encoding_name(src_encoding), pg_encoding_name(dest_encoding));
  raise_guest_error(p, "22P05", msg);
}

void check_valid_encoding_number(pgl_process* p, int encoding) {
  if (valid_encoding(encoding)) return;
  char msg[64];
  std::snprintf(msg, sizeof msg, "invalid encoding number: %d", encoding);
  raise_guest_error(p, "22023", msg);
}

// ---- guest data ----

struct Guest {
  pgl_process* p;
  uint8_t* at(uint32_t addr) const { return p->memory.data + addr; }
  uint32_t u32(uint32_t addr) const {
    uint32_t v;
    std::memcpy(&v, at(addr), 4);
    return v;
  }
  uint16_t u16(uint32_t addr) const {
    uint16_t v;
    std::memcpy(&v, at(addr), 2);
    return v;
  }
  // A guest range the host may touch: inside the current memory.
  void check(uint32_t addr, uint64_t len) const {
    if (uint64_t(addr) + len > p->memory.size) {
      p->abort_reason = "encoding conversion: buffer outside guest memory";
      wasm_rt_trap(WASM_RT_TRAP_OOB);
    }
  }
};

// pg_mb_radix_tree as laid out by wasm32 (pg_wchar.h): two pointers, then
// per byte length a uint32 root and the lower/upper bounds of each byte.
struct RadixTree {
  uint32_t chars16, chars32;
  uint32_t b1root;
  uint8_t b1_lower, b1_upper;
  uint32_t b2root;
  uint8_t b2_1_lower, b2_1_upper, b2_2_lower, b2_2_upper;
  uint32_t b3root;
  uint8_t b3_1_lower, b3_1_upper, b3_2_lower, b3_2_upper, b3_3_lower, b3_3_upper;
  uint32_t b4root;
  uint8_t b4_1_lower, b4_1_upper, b4_2_lower, b4_2_upper, b4_3_lower, b4_3_upper, b4_4_lower, b4_4_upper;

  static RadixTree read(const Guest& g, uint32_t addr) {
    g.check(addr, 48);
    const uint8_t* b = g.at(addr);
    RadixTree t{};
    t.chars16 = g.u32(addr);
    t.chars32 = g.u32(addr + 4);
    t.b1root = g.u32(addr + 8);
    t.b1_lower = b[12];
    t.b1_upper = b[13];
    t.b2root = g.u32(addr + 16);
    t.b2_1_lower = b[20];
    t.b2_1_upper = b[21];
    t.b2_2_lower = b[22];
    t.b2_2_upper = b[23];
    t.b3root = g.u32(addr + 24);
    t.b3_1_lower = b[28];
    t.b3_1_upper = b[29];
    t.b3_2_lower = b[30];
    t.b3_2_upper = b[31];
    t.b3_3_lower = b[32];
    t.b3_3_upper = b[33];
    t.b4root = g.u32(addr + 36);
    t.b4_1_lower = b[40];
    t.b4_1_upper = b[41];
    t.b4_2_lower = b[42];
    t.b4_2_upper = b[43];
    t.b4_3_lower = b[44];
    t.b4_3_upper = b[45];
    t.b4_4_lower = b[46];
    t.b4_4_upper = b[47];
    return t;
  }

  // One array element; intermediate levels hold offsets into the same
  // array (16-bit trees keep them in uint16, as conv.c's idx does).
  uint32_t elem(const Guest& g, uint32_t idx) const {
    if (chars32) return g.u32(chars32 + 4 * idx);
    return g.u16(chars16 + 2 * idx);
  }
  uint32_t step(const Guest& g, uint32_t idx, uint8_t b, uint8_t lower) const {
    uint32_t v = elem(g, idx + b - lower);
    return chars32 ? v : static_cast<uint16_t>(v);
  }

  // conv.c pg_mb_radix_conv(): 0 when the character has no mapping.
  uint32_t convert(const Guest& g, int l, uint8_t b1, uint8_t b2, uint8_t b3, uint8_t b4) const {
    if (l == 4) {
      if (b1 < b4_1_lower || b1 > b4_1_upper || b2 < b4_2_lower || b2 > b4_2_upper || b3 < b4_3_lower ||
          b3 > b4_3_upper || b4 < b4_4_lower || b4 > b4_4_upper)
        return 0;
      uint32_t idx = chars32 ? b4root : static_cast<uint16_t>(b4root);
      idx = step(g, idx, b1, b4_1_lower);
      idx = step(g, idx, b2, b4_2_lower);
      idx = step(g, idx, b3, b4_3_lower);
      return elem(g, idx + b4 - b4_4_lower);
    }
    if (l == 3) {
      if (b2 < b3_1_lower || b2 > b3_1_upper || b3 < b3_2_lower || b3 > b3_2_upper || b4 < b3_3_lower ||
          b4 > b3_3_upper)
        return 0;
      uint32_t idx = chars32 ? b3root : static_cast<uint16_t>(b3root);
      idx = step(g, idx, b2, b3_1_lower);
      idx = step(g, idx, b3, b3_2_lower);
      return elem(g, idx + b4 - b3_3_lower);
    }
    if (l == 2) {
      if (b3 < b2_1_lower || b3 > b2_1_upper || b4 < b2_2_lower || b4 > b2_2_upper) return 0;
      uint32_t idx = chars32 ? b2root : static_cast<uint16_t>(b2root);
      idx = step(g, idx, b3, b2_1_lower);
      return elem(g, idx + b4 - b2_2_lower);
    }
    if (l == 1) {
      if (b4 < b1_lower || b4 > b1_upper) return 0;
      return elem(g, b4 + b1root - b1_lower);
    }
    return 0;
  }
};

// conv.c store_coded_char(): the non-zero bytes of code, high first.
uint32_t store_coded_char(const Guest& g, uint32_t dest, uint32_t code) {
  uint8_t* d = g.at(dest);
  uint32_t n = 0;
  if (code & 0xff000000) d[n++] = static_cast<uint8_t>(code >> 24);
  if (code & 0x00ff0000) d[n++] = static_cast<uint8_t>(code >> 16);
  if (code & 0x0000ff00) d[n++] = static_cast<uint8_t>(code >> 8);
  if (code & 0x000000ff) d[n++] = static_cast<uint8_t>(code);
  return dest + n;
}

// bsearch() over the combined-character maps: entries of three uint32,
// sorted by their first one (key_words == 1) or first two (== 2).
bool find_combined(const Guest& g, uint32_t map, uint32_t count, const uint32_t* key, int key_words,
                   uint32_t* entry) {
  if (!map || count == 0) return false;
  g.check(map, uint64_t(count) * 12);
  uint32_t lo = 0, hi = count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t e = map + mid * 12;
    int cmp = 0;
    for (int k = 0; k < key_words && cmp == 0; k++) {
      uint32_t v = g.u32(e + 4 * k);
      cmp = key[k] < v ? -1 : key[k] > v ? 1 : 0;
    }
    if (cmp == 0) {
      *entry = e;
      return true;
    }
    if (cmp < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return false;
}

// The optional utf_local_conversion_func, a guest function uint32(uint32).
uint32_t call_conv_func(Z_env_instance_t* env, uint32_t fn, uint32_t code) {
  static const uint32_t type = pgl_func_type_id("i:i");
  const wasm_rt_funcref_t* f = pgl_table_entry(env, fn, type);
  return reinterpret_cast<uint32_t (*)(void*, uint32_t)>(f->func)(f->module_instance, code);
}

}  // namespace

const char* pg_encoding_name(int encoding) {
  return encoding >= 0 && encoding < kPgEncodingCount ? kPgEncodingNames[encoding] : "";
}

void raise_guest_error(pgl_process* p, const char* sqlstate, const char* message) {
  using ErrStart = uint32_t (*)(void*, uint32_t, uint32_t);
  using ErrCode = uint32_t (*)(void*, uint32_t);
  using ErrMsg = uint32_t (*)(void*, uint32_t, uint32_t);
  using ErrFinish = void (*)(void*, uint32_t, uint32_t, uint32_t);
  const pgl_module_desc* d = p->modules[0]->desc;
  auto errstart = find_function<ErrStart>(d, "errstart");
  auto errcode = find_function<ErrCode>(d, "errcode");
  auto errmsg = find_function<ErrMsg>(d, "errmsg_internal");
  auto errfinish = find_function<ErrFinish>(d, "errfinish");
  void* inst = p->main_instance();
  size_t len = std::strlen(message);
  if (errstart && errcode && errmsg && errfinish && p->malloc_fn) {
    // One guest buffer per process: errmsg_internal copies the text.
    if (p->error_text_size < len + 1) {
      p->guest_free(p->error_text);
      p->error_text_size = static_cast<uint32_t>(len + 1 < 256 ? 256 : len + 1);
      p->error_text = p->guest_malloc(p->error_text_size);
    }
    if (p->error_text) {
      // The text is a format string: '%' must not reach it as a conversion.
      char* out = reinterpret_cast<char*>(p->memory.data + p->error_text);
      for (size_t i = 0; i <= len; i++) out[i] = message[i] == '%' ? '?' : message[i];
      constexpr auto sixbit = [](char c) { return static_cast<uint32_t>(c - '0') & 0x3F; };
      uint32_t code = 0;
      for (int i = 0; i < 5 && sqlstate[i]; i++) code |= sixbit(sqlstate[i]) << (6 * i);
      constexpr uint32_t kError = 21;  // elog.h
      if (errstart(inst, kError, 0)) {
        errcode(inst, code);
        errmsg(inst, p->error_text, 0);
        errfinish(inst, 0, 0, 0);
      }
    }
  }
  // errfinish(ERROR) does not return; without it the process cannot go on.
  p->abort_reason = std::string("cannot report error: ") + message;
  wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
}

}  // namespace pglite::shim

using pglite::shim::Guest;
using pglite::shim::RadixTree;

#define PGL_WEAK __attribute__((weak))

extern "C" {

PGL_WEAK void Z_envZ_check_encoding_conversion_args(Z_env_instance_t* env, u32 src_encoding,
                                                    u32 dest_encoding, u32 len, u32 expected_src,
                                                    u32 expected_dest) {
  using namespace pglite::shim;
  pgl_process* p = env->proc;
  int src = static_cast<int>(src_encoding), dest = static_cast<int>(dest_encoding);
  int esrc = static_cast<int>(expected_src), edest = static_cast<int>(expected_dest);
  char msg[128];
  if (!valid_encoding(src)) {
    std::snprintf(msg, sizeof msg, "invalid source encoding ID: %d", src);
    raise_guest_error(p, "XX000", msg);
  }
  if (src != esrc && esrc >= 0) {
    std::snprintf(msg, sizeof msg, "expected source encoding \"%s\", but got \"%s\"", pg_encoding_name(esrc),
                  pg_encoding_name(src));
    raise_guest_error(p, "XX000", msg);
  }
  if (!valid_encoding(dest)) {
    std::snprintf(msg, sizeof msg, "invalid destination encoding ID: %d", dest);
    raise_guest_error(p, "XX000", msg);
  }
  if (dest != edest && edest >= 0) {
    std::snprintf(msg, sizeof msg, "expected destination encoding \"%s\", but got \"%s\"",
                  pg_encoding_name(edest), pg_encoding_name(dest));
    raise_guest_error(p, "XX000", msg);
  }
  if (static_cast<int>(len) < 0)
    raise_guest_error(p, "XX000", "encoding conversion length must not be negative");
}

PGL_WEAK void Z_envZ_report_invalid_encoding(Z_env_instance_t* env, u32 encoding, u32 mbstr, u32 len) {
  Guest g{env->proc};
  int n = static_cast<int>(len);
  g.check(mbstr, n > 0 ? n : 0);
  pglite::shim::report_invalid_encoding(env->proc, static_cast<int>(encoding), g.at(mbstr), n);
}

PGL_WEAK void Z_envZ_report_untranslatable_char(Z_env_instance_t* env, u32 src_encoding, u32 dest_encoding,
                                                u32 mbstr, u32 len) {
  Guest g{env->proc};
  int n = static_cast<int>(len);
  g.check(mbstr, n > 0 ? n : 0);
  pglite::shim::report_untranslatable_char(env->proc, static_cast<int>(src_encoding),
                                           static_cast<int>(dest_encoding), g.at(mbstr), n);
}

PGL_WEAK u32 Z_envZ_pg_encoding_verifymbchar(Z_env_instance_t* env, u32 encoding, u32 mbstr, u32 len) {
  Guest g{env->proc};
  int n = static_cast<int>(len);
  if (n <= 0) return static_cast<u32>(-1);
  g.check(mbstr, static_cast<uint64_t>(n) < 8 ? n : 8);  // verifiers read at most 4 bytes
  int e = static_cast<int>(encoding);
  if (!pglite::shim::valid_encoding(e)) e = pglite::shim::kSqlAscii;
  return static_cast<u32>(pglite::shim::encoding_verifychar(e, g.at(mbstr), n));
}

PGL_WEAK u32 Z_envZ_pg_utf8_islegal(Z_env_instance_t* env, u32 source, u32 length) {
  Guest g{env->proc};
  g.check(source, length < 4 ? length : 4);
  return pglite::shim::utf8_islegal(g.at(source), static_cast<int>(length)) ? 1 : 0;
}

// conv.c local2local(), latin2mic() and latin2mic_with_table(): a
// single-byte encoding, byte by byte. A high byte goes through `tab` (a
// 128-entry table; 0: unchanged) and, for MULE, after its leading byte `lc`
// (0: none).
static u32 from_single_byte(Z_env_instance_t* env, u32 l, u32 p, u32 len, u32 src_encoding, u32 dest_encoding,
                            u32 tab, u32 lc, u32 no_error) {
  using namespace pglite::shim;
  Guest g{env->proc};
  int n = static_cast<int>(len);
  g.check(l, n > 0 ? n : 0);
  g.check(p, (lc ? 2 : 1) * uint64_t(n > 0 ? n : 0) + 1);
  if (tab) g.check(tab, 128);
  uint32_t start = l;
  while (n > 0) {
    uint8_t c1 = *g.at(l);
    if (c1 == 0) {
      if (no_error) break;
      report_invalid_encoding(env->proc, static_cast<int>(src_encoding), g.at(l), n);
    }
    if (!highbit(c1)) {
      *g.at(p++) = c1;
    } else {
      uint8_t c2 = tab ? *g.at(tab + c1 - 0x80) : c1;
      if (!c2) {
        if (no_error) break;
        report_untranslatable_char(env->proc, static_cast<int>(src_encoding), static_cast<int>(dest_encoding),
                                   g.at(l), n);
      }
      if (lc) *g.at(p++) = static_cast<uint8_t>(lc);
      *g.at(p++) = c2;
    }
    l++;
    n--;
  }
  *g.at(p) = 0;
  return l - start;
}

PGL_WEAK u32 Z_envZ_local2local(Z_env_instance_t* env, u32 l, u32 p, u32 len, u32 src_encoding,
                                u32 dest_encoding, u32 tab, u32 no_error) {
  return from_single_byte(env, l, p, len, src_encoding, dest_encoding, tab, 0, no_error);
}

PGL_WEAK u32 Z_envZ_latin2mic(Z_env_instance_t* env, u32 l, u32 p, u32 len, u32 lc, u32 encoding,
                              u32 no_error) {
  return from_single_byte(env, l, p, len, encoding, pglite::shim::kMule, 0, lc, no_error);
}

PGL_WEAK u32 Z_envZ_latin2mic_with_table(Z_env_instance_t* env, u32 l, u32 p, u32 len, u32 lc, u32 encoding,
                                         u32 tab, u32 no_error) {
  return from_single_byte(env, l, p, len, encoding, pglite::shim::kMule, tab, lc, no_error);
}

// conv.c mic2latin() and mic2latin_with_table() (tab != 0).
static u32 mic_to_latin(Z_env_instance_t* env, u32 mic, u32 p, u32 len, u32 lc, u32 encoding, u32 tab,
                        u32 no_error) {
  using namespace pglite::shim;
  Guest g{env->proc};
  int n = static_cast<int>(len);
  g.check(mic, n > 0 ? n : 0);
  g.check(p, uint64_t(n > 0 ? n : 0) + 1);
  if (tab) g.check(tab, 128);
  uint32_t start = mic;
  while (n > 0) {
    uint8_t c1 = *g.at(mic);
    if (c1 == 0) {
      if (no_error) break;
      report_invalid_encoding(env->proc, kMule, g.at(mic), n);
    }
    if (!highbit(c1)) {
      *g.at(p++) = c1;
      mic++;
      n--;
      continue;
    }
    int l = mule_mblen(g.at(mic));
    if (n < l) {
      if (no_error) break;
      report_invalid_encoding(env->proc, kMule, g.at(mic), n);
    }
    uint8_t c2 = l == 2 ? *g.at(mic + 1) : 0;
    if (l != 2 || c1 != lc || !highbit(c2) || (tab && (c2 = *g.at(tab + c2 - 0x80)) == 0)) {
      if (no_error) break;
      report_untranslatable_char(env->proc, kMule, static_cast<int>(encoding), g.at(mic), n);
    }
    *g.at(p++) = c2;
    mic += 2;
    n -= 2;
  }
  *g.at(p) = 0;
  return mic - start;
}

PGL_WEAK u32 Z_envZ_mic2latin(Z_env_instance_t* env, u32 mic, u32 p, u32 len, u32 lc, u32 encoding,
                              u32 no_error) {
  return mic_to_latin(env, mic, p, len, lc, encoding, 0, no_error);
}

PGL_WEAK u32 Z_envZ_mic2latin_with_table(Z_env_instance_t* env, u32 mic, u32 p, u32 len, u32 lc, u32 encoding,
                                         u32 tab, u32 no_error) {
  return mic_to_latin(env, mic, p, len, lc, encoding, tab, no_error);
}

// conv.c UtfToLocal(): for each character the combined map first (if
// given), then the radix tree, then the conversion function.
PGL_WEAK u32 Z_envZ_UtfToLocal(Z_env_instance_t* env, u32 utf, u32 len, u32 iso, u32 map, u32 cmap,
                               u32 cmapsize, u32 conv_func, u32 encoding, u32 no_error) {
  using namespace pglite::shim;
  pgl_process* proc = env->proc;
  Guest g{proc};
  check_valid_encoding_number(proc, static_cast<int>(encoding));
  int n = static_cast<int>(len);
  g.check(utf, n > 0 ? n : 0);
  g.check(iso, uint64_t(n > 0 ? n : 0) * 4 + 1);
  RadixTree tree{};
  if (map) tree = RadixTree::read(g, map);
  uint32_t start = utf;
  int l = 0;
  for (; n > 0; n -= l) {
    uint8_t b1 = 0, b2 = 0, b3 = 0, b4 = 0;
    if (*g.at(utf) == 0) break;
    l = utf8_mblen(g.at(utf));
    if (n < l) break;
    if (!utf8_islegal(g.at(utf), l)) break;
    if (l == 1) {
      *g.at(iso++) = *g.at(utf++);
      continue;
    }
    if (l == 2) {
      b3 = *g.at(utf++);
      b4 = *g.at(utf++);
    } else if (l == 3) {
      b2 = *g.at(utf++);
      b3 = *g.at(utf++);
      b4 = *g.at(utf++);
    } else {
      b1 = *g.at(utf++);
      b2 = *g.at(utf++);
      b3 = *g.at(utf++);
      b4 = *g.at(utf++);
    }
    uint32_t iutf = uint32_t(b1) << 24 | uint32_t(b2) << 16 | uint32_t(b3) << 8 | b4;

    if (cmap && n > l) {  // combined characters: a pair of UTF-8 characters
      uint32_t utf_save = utf;
      int len_save = n, l_save = l;
      n -= l;
      l = utf8_mblen(g.at(utf));
      if (n < l) {  // need more data to decide
        utf -= l_save;
        break;
      }
      if (!utf8_islegal(g.at(utf), l)) {
        if (!no_error) report_invalid_encoding(proc, kUtf8, g.at(utf), n);
        utf -= l_save;
        break;
      }
      if (l > 1) {  // ASCII is never part of a combined character
        uint32_t iutf2 = 0;
        for (int k = 0; k < l; k++) iutf2 = iutf2 << 8 | *g.at(utf++);
        uint32_t key[2] = {iutf, iutf2};
        uint32_t entry;
        if (find_combined(g, cmap, cmapsize, key, 2, &entry)) {
          iso = store_coded_char(g, iso, g.u32(entry + 8));
          continue;
        }
      }
      utf = utf_save;  // back up to reprocess the second character
      n = len_save;
      l = l_save;
    }

    if (map) {
      uint32_t converted = tree.convert(g, l, b1, b2, b3, b4);
      if (converted) {
        iso = store_coded_char(g, iso, converted);
        continue;
      }
    }
    if (conv_func) {
      uint32_t converted = call_conv_func(env, conv_func, iutf);
      if (converted) {
        iso = store_coded_char(g, iso, converted);
        continue;
      }
    }
    utf -= l;  // failed to translate this character
    if (no_error) break;
    report_untranslatable_char(proc, kUtf8, static_cast<int>(encoding), g.at(utf), n);
  }
  if (n > 0 && !no_error) report_invalid_encoding(proc, kUtf8, g.at(utf), n);
  *g.at(iso) = 0;
  return utf - start;
}

// conv.c LocalToUtf(): the radix tree first, then the combined map, then the
// conversion function.
PGL_WEAK u32 Z_envZ_LocalToUtf(Z_env_instance_t* env, u32 iso, u32 len, u32 utf, u32 map, u32 cmap,
                               u32 cmapsize, u32 conv_func, u32 encoding, u32 no_error) {
  using namespace pglite::shim;
  pgl_process* proc = env->proc;
  Guest g{proc};
  int enc = static_cast<int>(encoding);
  check_valid_encoding_number(proc, enc);
  int n = static_cast<int>(len);
  g.check(iso, n > 0 ? n : 0);
  g.check(utf, uint64_t(n > 0 ? n : 0) * 4 + 1);
  RadixTree tree{};
  if (map) tree = RadixTree::read(g, map);
  uint32_t start = iso;
  int l = 0;
  for (; n > 0; n -= l) {
    uint8_t b1 = 0, b2 = 0, b3 = 0, b4 = 0;
    if (*g.at(iso) == 0) break;
    if (!highbit(*g.at(iso))) {
      *g.at(utf++) = *g.at(iso++);
      l = 1;
      continue;
    }
    l = encoding_verifychar(enc, g.at(iso), n);
    if (l < 0) break;
    if (l == 1) {
      b4 = *g.at(iso++);
    } else if (l == 2) {
      b3 = *g.at(iso++);
      b4 = *g.at(iso++);
    } else if (l == 3) {
      b2 = *g.at(iso++);
      b3 = *g.at(iso++);
      b4 = *g.at(iso++);
    } else {
      b1 = *g.at(iso++);
      b2 = *g.at(iso++);
      b3 = *g.at(iso++);
      b4 = *g.at(iso++);
    }
    uint32_t iiso = uint32_t(b1) << 24 | uint32_t(b2) << 16 | uint32_t(b3) << 8 | b4;

    if (map) {
      uint32_t converted = tree.convert(g, l, b1, b2, b3, b4);
      if (converted) {
        utf = store_coded_char(g, utf, converted);
        continue;
      }
      uint32_t entry;
      if (cmap && find_combined(g, cmap, cmapsize, &iiso, 1, &entry)) {
        utf = store_coded_char(g, utf, g.u32(entry + 4));
        utf = store_coded_char(g, utf, g.u32(entry + 8));
        continue;
      }
    }
    if (conv_func) {
      uint32_t converted = call_conv_func(env, conv_func, iiso);
      if (converted) {
        utf = store_coded_char(g, utf, converted);
        continue;
      }
    }
    iso -= l;  // failed to translate this character
    if (no_error) break;
    report_untranslatable_char(proc, enc, kUtf8, g.at(iso), n);
  }
  if (n > 0 && !no_error) report_invalid_encoding(proc, enc, g.at(iso), n);
  *g.at(utf) = 0;
  return iso - start;
}

}  // extern "C"
