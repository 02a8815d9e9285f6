// Data types and what converts or compares them: \dT \dD \dO \dc.
#include <string>

#include "describe_internal.h"

namespace pglite::cli::describe {

// \dT: describeTypes(). Types match by their internal or external name.
bool list_types(Session& s, const Pattern& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  pg_catalog.format_type(t.oid, NULL) AS \"Name\",\n";
  if (verbose) {
    sql +=
        "  t.typname AS \"Internal name\",\n"
        "  CASE WHEN t.typrelid != 0\n"
        "      THEN CAST('tuple' AS pg_catalog.text)\n"
        "    WHEN t.typlen < 0\n"
        "      THEN CAST('var' AS pg_catalog.text)\n"
        "    ELSE CAST(t.typlen AS pg_catalog.text)\n"
        "  END AS \"Size\",\n"
        "  pg_catalog.array_to_string(ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e "
        "WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), E'\\n') AS \"Elements\",\n"
        "  pg_catalog.pg_get_userbyid(t.typowner) AS \"Owner\",\n" +
        acl_column("t.typacl") + ",\n";
  }
  sql +=
      "  pg_catalog.obj_description(t.oid, 'pg_type') as \"Description\"\n"
      "FROM pg_catalog.pg_type t\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n"
      // Composite types only when standalone; arrays only when asked for.
      "WHERE (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = "
      "t.typrelid))\n";
  if (!pattern || pattern->find("[]") == std::string::npos) {
    sql +=
        "  AND NOT EXISTS(SELECT 1 FROM pg_catalog.pg_type el WHERE el.oid = t.typelem AND el.typarray = "
        "t.oid)\n";
  }
  if (!system && !pattern) sql += not_system_schema(true);
  return s.list(
      sql, pattern ? Pattern(map_typename_pattern(*pattern)) : std::nullopt, true,
      schema_name("t.typname", "pg_catalog.pg_type_is_visible(t.oid)", "pg_catalog.format_type(t.oid, NULL)"),
      "ORDER BY 1, 2;", "List of data types");
}

// \dD: listDomains().
bool list_domains(Session& s, const Pattern& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "       t.typname as \"Name\",\n"
      "       pg_catalog.format_type(t.typbasetype, t.typtypmod) as \"Type\",\n"
      "       (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type bt\n"
      "        WHERE c.oid = t.typcollation AND bt.oid = t.typbasetype AND t.typcollation <> "
      "bt.typcollation) as "
      "\"Collation\",\n"
      "       CASE WHEN t.typnotnull THEN 'not null' END as \"Nullable\",\n"
      "       t.typdefault as \"Default\",\n"
      "       pg_catalog.array_to_string(ARRAY(\n"
      "         SELECT pg_catalog.pg_get_constraintdef(r.oid, true) FROM pg_catalog.pg_constraint r WHERE "
      "t.oid = "
      "r.contypid\n"
      "       ), ' ') as \"Check\"";
  if (verbose) sql += ",\n  " + acl_column("t.typacl") + ",\n       d.description as \"Description\"";
  sql +=
      "\nFROM pg_catalog.pg_type t\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n";
  if (verbose) {
    sql +=
        "     LEFT JOIN pg_catalog.pg_description d ON d.classoid = t.tableoid AND d.objoid = t.oid AND "
        "d.objsubid "
        "= 0\n";
  }
  sql += "WHERE t.typtype = 'd'\n";
  if (!system && !pattern) sql += not_system_schema(true);
  return s.list(sql, pattern, true, schema_name("t.typname", "pg_catalog.pg_type_is_visible(t.oid)"),
                "ORDER BY 1, 2;", "List of domains");
}

// \dO: listCollations(). psql 15's query reads pg_collation.colliculocale,
// which PostgreSQL 17 renamed colllocale: the same columns from the new name.
bool list_collations(Session& s, const Pattern& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT n.nspname AS \"Schema\",\n"
      "       c.collname AS \"Name\",\n"
      "       c.collcollate AS \"Collate\",\n"
      "       c.collctype AS \"Ctype\",\n"
      "       c.colllocale AS \"ICU Locale\",\n"
      "       CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "
      "\"Provider\",\n"
      "       CASE WHEN c.collisdeterministic THEN 'yes' ELSE 'no' END AS \"Deterministic?\"";
  if (verbose) sql += ",\n       pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\"";
  sql +=
      "\nFROM pg_catalog.pg_collation c, pg_catalog.pg_namespace n\n"
      "WHERE n.oid = c.collnamespace\n";
  if (!system && !pattern) sql += not_system_schema(true);
  // Only collations usable with the database's encoding.
  sql +=
      "      AND c.collencoding IN (-1, pg_catalog.pg_char_to_encoding(pg_catalog.getdatabaseencoding()))\n";
  return s.list(sql, pattern, true, schema_name("c.collname", "pg_catalog.pg_collation_is_visible(c.oid)"),
                "ORDER BY 1, 2;", "List of collations");
}

// \dc: listConversions().
bool list_conversions(Session& s, const Pattern& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT n.nspname AS \"Schema\",\n"
      "       c.conname AS \"Name\",\n"
      "       pg_catalog.pg_encoding_to_char(c.conforencoding) AS \"Source\",\n"
      "       pg_catalog.pg_encoding_to_char(c.contoencoding) AS \"Destination\",\n"
      "       CASE WHEN c.condefault THEN 'yes' ELSE 'no' END AS \"Default?\"";
  if (verbose) sql += ",\n       d.description AS \"Description\"";
  sql +=
      "\nFROM pg_catalog.pg_conversion c\n"
      "     JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace\n";
  if (verbose) {
    sql +=
        "LEFT JOIN pg_catalog.pg_description d ON d.classoid = c.tableoid\n"
        "          AND d.objoid = c.oid AND d.objsubid = 0\n";
  }
  sql += "WHERE true\n";
  if (!system && !pattern) sql += not_system_schema(true);
  return s.list(sql, pattern, true, schema_name("c.conname", "pg_catalog.pg_conversion_is_visible(c.oid)"),
                "ORDER BY 1, 2;", "List of conversions");
}

}  // namespace pglite::cli::describe
