#include "server/session_handoff.h"

#include <vector>

#include "protocol/sql_quote.h"

namespace pglite::internal::handoff {
namespace {

// Renaming or dropping a pg_temp/pg_toast_temp schema is allowed only with
// allow_system_table_mods, set here for this transaction only. Schemas are
// named by OID: their names are whatever parking made them.
std::string for_each_schema(TempNamespace schemas, const std::string& statement) {
  return "DO $pglite$DECLARE n name; BEGIN "
         "PERFORM set_config('allow_system_table_mods', 'on', true); "
         "FOR n IN SELECT nspname FROM pg_namespace WHERE oid IN (" +
         std::to_string(schemas.schema) + ", " + std::to_string(schemas.toast_schema) + ") LOOP EXECUTE " +
         statement + "; END LOOP; END$pglite$";
}

}  // namespace

const char* const kSweepParkedSql =
    "DO $pglite$DECLARE n name; BEGIN "
    "PERFORM set_config('allow_system_table_mods', 'on', true); "
    "FOR n IN SELECT nspname FROM pg_namespace WHERE nspname ~ '^pg_(toast_)?temp_[0-9]+_pgl[0-9]+$' "
    "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', n); END LOOP; END$pglite$";

std::string park_temp_sql(TempNamespace schemas, uint64_t client) {
  return for_each_schema(
      schemas, "format('ALTER SCHEMA %I RENAME TO %I', n, n || '_pgl" + std::to_string(client) + "')");
}

std::string unpark_temp_sql(TempNamespace schemas) {
  return for_each_schema(schemas,
                         "format('ALTER SCHEMA %I RENAME TO %I', n, regexp_replace(n, '_pgl[0-9]+$', ''))");
}

std::string drop_temp_sql(TempNamespace schemas) {
  return for_each_schema(schemas, "format('DROP SCHEMA %I CASCADE', n)");
}

std::string startup_settings_sql(const std::vector<std::pair<std::string, std::string>>& settings) {
  std::string sql;
  for (const auto& [name, value] : settings) {
    if (!sql.empty()) sql += "; ";
    // set_config() takes list values (search_path=a,b) as they are; SET would quote them.
    sql += "SELECT set_config(" + quote_literal(name) + ", " + quote_literal(value) + ", false)";
  }
  return sql;
}

std::string listen_sql(const std::set<std::string>& channels) {
  std::string sql;
  for (const std::string& channel : channels) {
    if (!sql.empty()) sql += "; ";
    sql += "LISTEN " + quote_identifier(channel);
  }
  return sql;
}

}  // namespace pglite::internal::handoff
