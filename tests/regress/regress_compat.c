/*
 * Functions that PostgreSQL 15.18's regress.c and the 17.12 server headers
 * (tests/regress/prepare.sh builds the CI suite's regress.so with them) call
 * but the native 17.5 reference server does not export yet. Each does what
 * the 17.5 code it stands for does; only the regression suite loads this.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"

/* The bounded variants of pg_mblen() came with a later 17.x release. */
int pg_mblen_cstr(const char *mbstr) { return pg_mblen(mbstr); }
int pg_mblen_unbounded(const char *mbstr) { return pg_mblen(mbstr); }

int pg_mblen_range(const char *mbstr, const char *end) {
  int len = pg_mblen(mbstr);
  return mbstr + len > end ? (int) (end - mbstr) : len;
}

int pg_mblen_with_len(const char *mbstr, int limit) {
  int len = pg_mblen(mbstr);
  return len > limit ? limit : len;
}

/* A macro in 17.5's fmgr.h, a function in later headers. */
HeapTupleHeader DatumGetHeapTupleHeader(Datum d) {
  return (HeapTupleHeader) PG_DETOAST_DATUM(d);
}
