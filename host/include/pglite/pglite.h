/* pglite-native C API: embedded PostgreSQL 17, modelled on SQLite's.
 *
 *   pglite_db* db;
 *   if (pglite_open_temporary(&db, NULL) != PGLITE_OK) { ...pglite_errmsg(db)...; }
 *   const char* params[] = {"42", NULL};             // NULL entry = SQL NULL
 *   pglite_result* res;
 *   if (pglite_query(db, "SELECT $1::int, $2::text", 2, params, &res) == PGLITE_OK) {
 *     printf("%s\n", pglite_result_value(res, 0, 0));
 *     pglite_result_free(res);
 *   }
 *   pglite_close(db);
 *
 * pglite_exec() runs statements without returning rows; pglite_exec_result()
 * and pglite_query() return a pglite_result.
 *
 * Every function catches all errors: no C++ exception crosses this boundary.
 * Functions returning int return a PGLITE_* status; the details of the last
 * failure on a handle are available through pglite_errmsg(), pglite_sqlstate(),
 * pglite_errdetail() and pglite_errhint() until the next call on that handle.
 * A handle may be used from one thread at a time.
 */
#ifndef PGLITE_PGLITE_H
#define PGLITE_PGLITE_H

#include <stddef.h>

#include "pglite/export.h"
#include "pglite/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
#define PGLITE_OK 0
#define PGLITE_ERROR 1  /* SQL or host error; see pglite_sqlstate() */
#define PGLITE_MISUSE 2 /* NULL handle/argument, closed database, bad index */
#define PGLITE_BROKEN 3 /* the instance failed (trap); every later call fails too */
#define PGLITE_NOMEM 4  /* out of memory */
#define PGLITE_BUSY 5   /* data directory locked by another process (55006) */

typedef struct pglite_db pglite_db;
typedef struct pglite_result pglite_result;

/* One server setting (GUC) passed at startup. */
typedef struct pglite_setting {
  const char* name;
  const char* value;
} pglite_setting;

/* Callbacks run on the calling thread after the call that produced them. */
typedef void (*pglite_notice_fn)(void* ctx, const char* severity, const char* sqlstate, const char* message);
typedef void (*pglite_notification_fn)(void* ctx, const char* channel, const char* payload, int pid);

/* Zero-initialise and set what you need; NULL options means all defaults. */
typedef struct pglite_options {
  const pglite_setting* settings; /* array of nsettings entries, may be NULL */
  int nsettings;
  int relaxed_durability; /* nonzero: fsync=off (see Options::relaxed_durability) */
  const char* user;       /* NULL: "postgres" */
  const char* database;   /* NULL: "postgres" */
  pglite_notice_fn on_notice;
  pglite_notification_fn on_notification; /* every NOTIFY on a LISTENed channel */
  void* callback_ctx;                     /* passed to both callbacks */
  const char* const* extensions;          /* created at open if missing; may be NULL */
  int nextensions;
  size_t memory_limit; /* bytes of wasm memory at most; 0: the module's 2 GiB, 512 MiB on a 32-bit host */
} pglite_options;

/* Version of the library, as SQLite's sqlite3_libversion(): the
 * PGLITE_VERSION_STRING ("0.1.0") and PGLITE_VERSION_NUMBER (1000) it was
 * built as, which may differ from the header's when linked dynamically. */
PGLITE_EXPORT const char* pglite_libversion(void);
PGLITE_EXPORT int pglite_libversion_number(void);
/* The PostgreSQL release the library embeds, e.g. "17.5". */
PGLITE_EXPORT const char* pglite_postgres_version(void);

/* Extensions built into the library (CREATE EXTENSION names), sorted; a
   NULL-terminated static array, empty without extensions. */
PGLITE_EXPORT const char* const* pglite_available_extensions(void);

/* Open a fresh temporary database (deleted by pglite_close), or the database
 * at `path` (created on first use). As in SQLite, *db receives a handle even
 * on most failures so that pglite_errmsg(*db) can explain them; close it with
 * pglite_close(). *db is NULL only for PGLITE_NOMEM/PGLITE_MISUSE. */
PGLITE_EXPORT int pglite_open_temporary(pglite_db** db, const pglite_options* options);
PGLITE_EXPORT int pglite_open(const char* path, pglite_db** db, const pglite_options* options);

/* Shut down cleanly and free the handle (also when the return is not OK).
 * NULL is a no-op returning PGLITE_OK. */
PGLITE_EXPORT int pglite_close(pglite_db* db);

/* Run one or more ;-separated statements (simple protocol), discarding
 * their results. */
PGLITE_EXPORT int pglite_exec(pglite_db* db, const char* sql);

/* Like pglite_exec(), but on success *result receives the last statement's
 * result, to be freed with pglite_result_free(); on failure it is NULL. */
PGLITE_EXPORT int pglite_exec_result(pglite_db* db, const char* sql, pglite_result** result);

/* Run one statement with $1..$n bound to `values` (text format, server-
 * inferred types; a NULL entry is SQL NULL). result may be NULL. */
PGLITE_EXPORT int pglite_query(pglite_db* db, const char* sql, int nparams, const char* const* values,
                               pglite_result** result);

/* Run an SQL script as `psql -v ON_ERROR_STOP=1 -f` would (pg_dump's plain
 * format included); see pglite::Database::exec_script. */
PGLITE_EXPORT int pglite_exec_script(pglite_db* db, const char* script);

/* Dump the database as plain SQL with pg_dump 18, in-process. `args` are
 * extra pg_dump options (nargs of them, may be NULL when 0); connection,
 * output and format options fail with SQLSTATE 22023. On success *sql
 * receives a malloc'ed NUL-terminated script (free() it) and *len, if not
 * NULL, its length. */
PGLITE_EXPORT int pglite_dump_sql(pglite_db* db, int nargs, const char* const* args, char** sql, size_t* len);

/* Write the data directory as a .tar.zst at `path` after a checkpoint, and
 * open a new database from such an archive: at `path`, or in memory when
 * path is NULL (a temporary database). Hostile archives fail (22023/XX001). */
PGLITE_EXPORT int pglite_export_archive(pglite_db* db, const char* path);
PGLITE_EXPORT int pglite_open_from_archive(const char* archive, const char* path, pglite_db** db,
                                           const pglite_options* options);

/* An independent temporary database with db's current contents and options
 * (see pglite::Database::clone); *out receives a handle as pglite_open_temporary
 * does. 25001 inside a transaction block. */
PGLITE_EXPORT int pglite_clone(pglite_db* db, pglite_db** out);

/* Nonzero inside a transaction block (including a failed one). */
PGLITE_EXPORT int pglite_in_transaction(pglite_db* db);

/* Details of the last failure on `db` ("" / "00000" after success). The
 * strings stay valid until the next call on `db`. pglite_errmsg(NULL)
 * describes a failed allocation of the handle itself. */
PGLITE_EXPORT int pglite_errcode(pglite_db* db);
PGLITE_EXPORT const char* pglite_errmsg(pglite_db* db);
PGLITE_EXPORT const char* pglite_sqlstate(pglite_db* db);
PGLITE_EXPORT const char* pglite_errdetail(pglite_db* db);
PGLITE_EXPORT const char* pglite_errhint(pglite_db* db);
/* English description of a status code. */
PGLITE_EXPORT const char* pglite_errstr(int code);

/* Result access. Out-of-range indices return NULL / 0 / -1 as noted. */
PGLITE_EXPORT long long pglite_result_nrows(const pglite_result* result);
PGLITE_EXPORT int pglite_result_ncols(const pglite_result* result);
PGLITE_EXPORT const char* pglite_result_column_name(const pglite_result* result, int col);  /* NULL */
PGLITE_EXPORT unsigned int pglite_result_column_type(const pglite_result* result, int col); /* type OID; 0 */
/* NUL-terminated text of a cell; NULL for SQL NULL or out of range. Valid
 * until pglite_result_free(). */
PGLITE_EXPORT const char* pglite_result_value(const pglite_result* result, long long row, int col);
PGLITE_EXPORT int pglite_result_value_length(const pglite_result* result, long long row, int col); /* -1 */
/* 1 for SQL NULL and for out-of-range indices. */
PGLITE_EXPORT int pglite_result_is_null(const pglite_result* result, long long row, int col);
/* "" if none. */
PGLITE_EXPORT const char* pglite_result_command_tag(const pglite_result* result);
PGLITE_EXPORT long long pglite_result_affected_rows(const pglite_result* result);
PGLITE_EXPORT void pglite_result_free(pglite_result* result);

#ifdef __cplusplus
}
#endif

#endif /* PGLITE_PGLITE_H */
