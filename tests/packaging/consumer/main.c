/* C consumer of an installed pglite, built with pkg-config: opens a
 * temporary database, runs a query and checks the library's version against
 * the header's. */
#include <pglite/pglite.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

static void check(int ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

int main(void) {
  pglite_db* db = NULL;
  pglite_result* res = NULL;
  const char* params[] = {"41"};

  check(strcmp(pglite_libversion(), PGLITE_VERSION_STRING) == 0,
        "pglite_libversion() == PGLITE_VERSION_STRING");
  check(pglite_libversion_number() == PGLITE_VERSION_NUMBER, "pglite_libversion_number()");
  check(strcmp(pglite_postgres_version(), PGLITE_POSTGRES_VERSION_STRING) == 0, "pglite_postgres_version()");
  if (pglite_open_temporary(&db, NULL) != PGLITE_OK) {
    fprintf(stderr, "FAILED: open: %s\n", pglite_errmsg(db));
    pglite_close(db);
    return 1;
  }
  if (pglite_query(db, "SELECT $1::int + 1", 1, params, &res) != PGLITE_OK) {
    fprintf(stderr, "FAILED: query: %s\n", pglite_errmsg(db));
    ++failures;
  } else {
    check(pglite_result_nrows(res) == 1 && strcmp(pglite_result_value(res, 0, 0), "42") == 0,
          "SELECT $1::int + 1");
    pglite_result_free(res);
  }
  check(pglite_exec(db, "SELECT * FROM no_such_table") == PGLITE_ERROR &&
            strcmp(pglite_sqlstate(db), "42P01") == 0,
        "SQLSTATE 42P01 for a missing table");
  check(pglite_close(db) == PGLITE_OK, "close");
  if (failures) return 1;
  printf("ok: pglite %s (PostgreSQL %s)\n", pglite_libversion(), pglite_postgres_version());
  return 0;
}
