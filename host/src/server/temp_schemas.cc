#include "server/temp_schemas.h"

#include "pglite/sql_quote.h"

namespace pglite::internal::temp_schemas {
namespace {

// Schema names starting with pg_ are reserved: renaming to or from one
// needs allow_system_table_mods, set for this transaction only.
constexpr std::string_view kSystemMods = "SET LOCAL allow_system_table_mods = on";

std::string parked(std::string_view name, uint64_t client) {
  return std::string(name) + "_pgl" + std::to_string(client);
}

std::string rename(std::string_view from, std::string_view to) {
  return "ALTER SCHEMA " + quote_identifier(from) + " RENAME TO " + quote_identifier(to);
}

}  // namespace

std::string names_sql(TempNamespace oids) {
  return "SELECT (SELECT nspname FROM pg_catalog.pg_namespace WHERE oid = " + std::to_string(oids.schema) +
         "), (SELECT nspname FROM pg_catalog.pg_namespace WHERE oid = " + std::to_string(oids.toast_schema) +
         ")";
}

std::string park_sql(const Names& names, uint64_t client) {
  return std::string(kSystemMods) + "; " + rename(names.schema, parked(names.schema, client)) + "; " +
         rename(names.toast, parked(names.toast, client));
}

std::string unpark_sql(const Names& names, uint64_t client) {
  return std::string(kSystemMods) + "; " + rename(parked(names.schema, client), names.schema) + "; " +
         rename(parked(names.toast, client), names.toast);
}

std::string refresh_sql(TempNamespace oids) {
  return "UPDATE pg_catalog.pg_class SET relname = relname WHERE relnamespace IN (" +
         std::to_string(oids.schema) + ", " + std::to_string(oids.toast_schema) + ")";
}

std::string drop_sql(const Names& names, uint64_t client, bool is_parked) {
  std::string schema = is_parked ? parked(names.schema, client) : names.schema;
  std::string toast = is_parked ? parked(names.toast, client) : names.toast;
  return std::string(kSystemMods) + "; DROP SCHEMA IF EXISTS " + quote_identifier(schema) + ", " +
         quote_identifier(toast) + " CASCADE";
}

const char* const kFindParkedSql =
    "SELECT coalesce('SET LOCAL allow_system_table_mods = on; ' || pg_catalog.string_agg("
    "pg_catalog.format('DROP SCHEMA IF EXISTS %I CASCADE', nspname), '; '), '') FROM pg_catalog.pg_namespace "
    "WHERE nspname ~ '^pg_(toast_)?temp_[0-9]+_pgl[0-9]+$'";

}  // namespace pglite::internal::temp_schemas
