// Temporary tables per client on one backend. Postgres gives a backend one
// pair of temporary schemas (pg_temp_N and pg_toast_temp_N, created on
// first use). The server points the backend at the running client's pair
// (Backend::set_temp_namespace) and renames the other clients' pairs out of
// the way ("parks" them as pg_temp_N_pgl<client>), so a client that needs a
// new pair never finds, and empties, someone else's under the standard
// name. This file writes the SQL for that: plain statements (no DO block,
// so plpgsql is never loaded on a client's behalf), run as a superuser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "backend/backend.h"

namespace pglite::internal::temp_schemas {

/// The standard names of the backend's pair (the same for every client).
struct Names {
  std::string schema;  ///< pg_temp_N
  std::string toast;   ///< pg_toast_temp_N
  bool known() const { return !schema.empty(); }
};

/// One row (schema, toast) naming the pair `oids` has now.
std::string names_sql(TempNamespace oids);

/// A client's pair under the standard names -> parked names, and back.
std::string park_sql(const Names& names, uint64_t client);
std::string unpark_sql(const Names& names, uint64_t client);
/// Makes Postgres build its relcache entries of the tables in the pair
/// `oids` anew (a no-op update of their pg_class rows invalidates them).
/// An entry keeps whether its table is this session's own temporary table
/// (rd_islocaltemp) from the temporary schema current when it was built;
/// another client's commit builds entries of this client's tables while
/// its schemas are parked (it empties their ON COMMIT DELETE ROWS tables:
/// Postgres keeps one list of ON COMMIT actions per backend). Run with
/// `oids` current, after unpark_sql().
std::string refresh_sql(TempNamespace oids);
/// Drops a client's pair and its tables: under the standard names if
/// `parked` is false, else under the client's parked names.
std::string drop_sql(const Names& names, uint64_t client, bool parked);

/// One row, one column: the DROP statements (as drop_sql) for every parked
/// pair in the database, "" if none. Run its result to sweep pairs left by
/// a server that was killed or whose backend crashed.
extern const char* const kFindParkedSql;

}  // namespace pglite::internal::temp_schemas
