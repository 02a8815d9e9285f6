/*
 * Postgres functions and variables the regression modules (regress.c,
 * contrib/spi) use but PGlite's postgres.wasm does not export: it exports
 * only what its own extensions need, and a side module whose data or function
 * addresses nothing defines cannot be loaded at all. Linked into the modules
 * with hidden visibility, so they bind here. Each does what the PostgreSQL 17
 * code it stands for does (parse_coerce.c, execUtils.c, lsyscache.c,
 * encnames.c, pg_lzcompress.c), through functions postgres.wasm does export;
 * only the regression suite loads them.
 */
// clang-format off
#include "postgres.h"  // first, as in every backend source
// clang-format on

#include "access/htup_details.h"
#include "catalog/pg_cast.h"
#include "catalog/pg_type.h"
#include "common/pg_lzcompress.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#define HIDDEN __attribute__((visibility("hidden")))

/* regress.c's get_environ reads it; PGlite's environment is not exported. */
static char* no_environment[] = {NULL};
HIDDEN char** environ = no_environment;

/* encnames.c's table (15's regress.c names encodings with it). */
#define E(name) \
  { #name, PG_##name }
HIDDEN const pg_enc2name pg_enc2name_tbl[] = {
    E(SQL_ASCII),     E(EUC_JP),  E(EUC_CN),  E(EUC_KR),  E(EUC_TW),     E(EUC_JIS_2004), E(UTF8),
    E(MULE_INTERNAL), E(LATIN1),  E(LATIN2),  E(LATIN3),  E(LATIN4),     E(LATIN5),       E(LATIN6),
    E(LATIN7),        E(LATIN8),  E(LATIN9),  E(LATIN10), E(WIN1256),    E(WIN1258),      E(WIN866),
    E(WIN874),        E(KOI8R),   E(WIN1251), E(WIN1252), E(ISO_8859_5), E(ISO_8859_6),   E(ISO_8859_7),
    E(ISO_8859_8),    E(WIN1250), E(WIN1253), E(WIN1254), E(WIN1255),    E(WIN1257),      E(KOI8U),
    E(SJIS),          E(BIG5),    E(GBK),     E(UHC),     E(GB18030),    E(JOHAB),        E(SHIFT_JIS_2004),
};
#undef E

/* pg_lzcompress.c's strategy that compresses everything (15's regress.c). */
static const PGLZ_Strategy strategy_always_data = {0, INT_MAX, 0, INT_MAX, 128, 6};
HIDDEN const PGLZ_Strategy* const PGLZ_strategy_always = &strategy_always_data;

/* Builtins whose addresses regress.c passes to DirectFunctionCall: the same
   functions, reached through the function manager. */
static Datum call_builtin(Oid fn, FunctionCallInfo fcinfo) {
  FmgrInfo flinfo;
  fmgr_info(fn, &flinfo);
  return flinfo.fn_addr(fcinfo);
}

HIDDEN Datum lseg_intersect(PG_FUNCTION_ARGS) { return call_builtin(F_LSEG_INTERSECT, fcinfo); }
HIDDEN Datum lseg_interpt(PG_FUNCTION_ARGS) { return call_builtin(F_LSEG_INTERPT, fcinfo); }
HIDDEN Datum point_distance(PG_FUNCTION_ARGS) { return call_builtin(F_POINT_DISTANCE, fcinfo); }

/* execUtils.c */
HIDDEN Datum GetAttributeByName(HeapTupleHeader tuple, const char* attname, bool* isNull) {
  AttrNumber attrno = InvalidAttrNumber;
  HeapTupleData tmptup;
  TupleDesc tupDesc;
  Datum result;
  Datum* values;
  bool* nulls;

  if (attname == NULL) elog(ERROR, "invalid attribute name");
  if (isNull == NULL) elog(ERROR, "a NULL isNull pointer was passed");
  if (tuple == NULL) {
    *isNull = true;
    return (Datum)0;
  }
  tupDesc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(tuple), HeapTupleHeaderGetTypMod(tuple));
  for (int i = 0; i < tupDesc->natts; i++) {
    Form_pg_attribute att = TupleDescAttr(tupDesc, i);
    if (strncmp(NameStr(att->attname), attname, NAMEDATALEN) == 0) {
      attrno = att->attnum;
      break;
    }
  }
  if (attrno == InvalidAttrNumber) elog(ERROR, "attribute \"%s\" does not exist", attname);
  tmptup.t_len = HeapTupleHeaderGetDatumLength(tuple);
  ItemPointerSetInvalid(&(tmptup.t_self));
  tmptup.t_tableOid = InvalidOid;
  tmptup.t_data = tuple;
  /* heap_deform_tuple rather than the headers' heap_getattr, which calls a
     check later 17.x releases added and 17.5 does not have. */
  values = palloc(tupDesc->natts * sizeof(Datum));
  nulls = palloc(tupDesc->natts * sizeof(bool));
  heap_deform_tuple(&tmptup, tupDesc, values, nulls);
  result = values[attrno - 1];
  *isNull = nulls[attrno - 1];
  ReleaseTupleDesc(tupDesc);
  return result;
}

/* lsyscache.c / parse_type.c helpers IsBinaryCoercible needs. */
static bool type_has_typtype(Oid typid, char typtype) { return get_typtype(typid) == typtype; }

static bool is_complex(Oid typid) {
  HeapTuple tup;
  Oid relid;
  for (;;) {
    Form_pg_type typ;
    tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
    if (!HeapTupleIsValid(tup)) elog(ERROR, "cache lookup failed for type %u", typid);
    typ = (Form_pg_type)GETSTRUCT(tup);
    if (typ->typtype != TYPTYPE_DOMAIN) {
      relid = typ->typrelid;
      break;
    }
    typid = typ->typbasetype;
    ReleaseSysCache(tup);
  }
  ReleaseSysCache(tup);
  return OidIsValid(relid);
}

/* parse_coerce.c (IsBinaryCoercibleWithCast without the cast OID) */
HIDDEN bool IsBinaryCoercible(Oid srctype, Oid targettype) {
  HeapTuple tuple;
  Form_pg_cast castForm;
  bool result;

  if (srctype == targettype) return true;
  if (targettype == ANYOID || targettype == ANYELEMENTOID || targettype == ANYCOMPATIBLEOID) return true;
  if (OidIsValid(srctype)) srctype = getBaseType(srctype);
  if (srctype == targettype) return true;
  if (targettype == ANYARRAYOID || targettype == ANYCOMPATIBLEARRAYOID)
    if (OidIsValid(get_element_type(srctype))) return true;
  if (targettype == ANYNONARRAYOID || targettype == ANYCOMPATIBLENONARRAYOID)
    if (!OidIsValid(get_element_type(srctype))) return true;
  if (targettype == ANYENUMOID)
    if (type_has_typtype(srctype, TYPTYPE_ENUM)) return true;
  if (targettype == ANYRANGEOID || targettype == ANYCOMPATIBLERANGEOID)
    if (type_has_typtype(srctype, TYPTYPE_RANGE)) return true;
  if (targettype == ANYMULTIRANGEOID || targettype == ANYCOMPATIBLEMULTIRANGEOID)
    if (type_has_typtype(srctype, TYPTYPE_MULTIRANGE)) return true;
  if (targettype == RECORDOID)
    if (is_complex(srctype)) return true;
  if (targettype == RECORDARRAYOID) {
    Oid elemtype = get_element_type(srctype);
    if (OidIsValid(elemtype) && is_complex(elemtype)) return true;
  }
  tuple = SearchSysCache2(CASTSOURCETARGET, ObjectIdGetDatum(srctype), ObjectIdGetDatum(targettype));
  if (!HeapTupleIsValid(tuple)) return false;
  castForm = (Form_pg_cast)GETSTRUCT(tuple);
  result = castForm->castmethod == COERCION_METHOD_BINARY && castForm->castcontext == COERCION_CODE_IMPLICIT;
  ReleaseSysCache(tuple);
  return result;
}
