// pg_encoding_to_char(): pg_dump.wasm imports it instead of linking
// Postgres' common encoding table, so the host provides it. The names are
// Postgres' encoding ids in order (pg_wchar.h, stable across versions).
#include <string_view>

#include "pg_encoding.h"
#include "process.h"

namespace pglite::shim {

const char* const kPgEncodingNames[kPgEncodingCount] = {
    "SQL_ASCII",     "EUC_JP",  "EUC_CN",  "EUC_KR",  "EUC_TW",     "EUC_JIS_2004", "UTF8",
    "MULE_INTERNAL", "LATIN1",  "LATIN2",  "LATIN3",  "LATIN4",     "LATIN5",       "LATIN6",
    "LATIN7",        "LATIN8",  "LATIN9",  "LATIN10", "WIN1256",    "WIN1258",      "WIN866",
    "WIN874",        "KOI8R",   "WIN1251", "WIN1252", "ISO_8859_5", "ISO_8859_6",   "ISO_8859_7",
    "ISO_8859_8",    "WIN1250", "WIN1253", "WIN1254", "WIN1255",    "WIN1257",      "KOI8U",
    "SJIS",          "BIG5",    "GBK",     "UHC",     "GB18030",    "JOHAB",        "SHIFT_JIS_2004",
};

}  // namespace pglite::shim

namespace {

// A guest copy of `text`, made once per process (the guest may keep it).
u32 interned(pgl_process* p, std::string_view text) {
  auto it = p->interned_strings.find(text);
  if (it != p->interned_strings.end()) return it->second;
  u32 addr = p->guest_strdup(text);
  if (addr == 0) return 0;
  p->interned_strings.emplace(std::string(text), addr);
  return addr;
}

}  // namespace

extern "C" u32 Z_envZ_pg_encoding_to_char(Z_env_instance_t* env, u32 encoding) {
  return interned(env->proc, pglite::shim::pg_encoding_name(static_cast<int>(encoding)));
}
