// Relations and what hangs on them: \d (no pattern) \dt \di \dv \dm \ds \dE,
// \dP, \dp (\z), \ddp, \dX, \dd and \dl.
#include <string>

#include "describe_internal.h"

namespace pglite::cli::describe {
namespace {

const NameMatch kRelation = schema_name("c.relname", "pg_catalog.pg_table_is_visible(c.oid)");

constexpr const char* kNotSystemOrToastSchema =
    "      AND n.nspname <> 'pg_catalog'\n"
    "      AND n.nspname !~ '^pg_toast'\n"
    "      AND n.nspname <> 'information_schema'\n";

// The joins that give an index its table (c2).
constexpr const char* kIndexTableJoins =
    "\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
    "\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid";

}  // namespace

// psql's listTables(). Without kind letters: all but indexes.
bool list_tables(Session& s, std::string_view kinds, const Pattern& pattern, bool verbose, bool system) {
  auto has = [&](char c) { return kinds.find(c) != std::string_view::npos; };
  bool tables = has('t'), indexes = has('i'), views = has('v'), matviews = has('m'), sequences = has('s'),
       foreign = has('E');
  if (!tables && !indexes && !views && !matviews && !sequences && !foreign) {
    tables = views = matviews = sequences = foreign = true;
  }
  const bool with_am = tables || matviews || indexes;
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  c.relname as \"Name\",\n"
      "  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' "
      "WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign "
      "table' "
      "WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as \"Type\",\n"
      "  pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\"";
  if (indexes) sql += ",\n  c2.relname as \"Table\"";
  if (verbose) {
    sql +=
        ",\n  CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' "
        "WHEN 'u' THEN 'unlogged' END as \"Persistence\"";
    if (with_am) sql += ",\n  am.amname as \"Access method\"";
    sql +=
        ",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) as \"Size\""
        ",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\"";
  }
  sql +=
      "\nFROM pg_catalog.pg_class c"
      "\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
  if (with_am) sql += "\n     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam";
  if (indexes) sql += kIndexTableJoins;
  sql += "\nWHERE c.relkind IN (";
  if (tables) {
    sql += "'r','p',";
    if (system || pattern) sql += "'t',";  // with S or a pattern, TOAST tables too
  }
  if (views) sql += "'v',";
  if (matviews) sql += "'m',";
  if (indexes) sql += "'i','I',";
  if (sequences) sql += "'S',";
  if (system || pattern) sql += "'s',";
  if (foreign) sql += "'f',";
  sql += "'')\n";
  if (!system && !pattern) sql += kNotSystemOrToastSchema;
  if (!s.match(sql, pattern, true, kRelation)) return false;
  // psql 15 says "relation(s)" whatever the kinds asked for, and succeeds.
  if (std::optional<Result> r = s.query_found(sql + "ORDER BY 1,2;", pattern, "relation")) {
    s.print(*r, "List of relations");
  }
  return true;
}

// \dP[tin]: listPartitionedTables().
bool list_partitioned_tables(Session& s, std::string_view kinds, const Pattern& pattern, bool verbose) {
  auto has = [&](char c) { return kinds.find(c) != std::string_view::npos; };
  bool tables = has('t'), indexes = has('i');
  const bool nested = has('n');
  if (!tables && !indexes) tables = indexes = true;
  const bool mixed = tables && indexes;
  const bool with_parent = nested || pattern;
  const char* title = indexes && !tables   ? "List of partitioned indexes"
                      : tables && !indexes ? "List of partitioned tables"
                                           : "List of partitioned relations";
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  c.relname as \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\"";
  if (mixed) {
    sql +=
        ",\n  CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "
        "\"Type\"";
  }
  if (with_parent) sql += ",\n  inh.inhparent::pg_catalog.regclass as \"Parent name\"";
  if (indexes) sql += ",\n c2.oid::pg_catalog.regclass as \"Table\"";
  if (verbose) {
    if (nested) sql += ",\n  s.dps as \"Leaf partition size\"";
    sql += ",\n  s.tps as \"Total size\"";
    sql += ",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\"";
  }
  sql +=
      "\nFROM pg_catalog.pg_class c"
      "\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
  if (indexes) sql += kIndexTableJoins;
  if (with_parent) sql += "\n     LEFT JOIN pg_catalog.pg_inherits inh ON c.oid = inh.inhrelid";
  if (verbose) {
    sql +=
        ",\n     LATERAL (SELECT pg_catalog.pg_size_pretty(sum("
        "\n                 CASE WHEN ppt.isleaf AND ppt.level = 1"
        "\n                      THEN pg_catalog.pg_table_size(ppt.relid) ELSE 0 END)) AS dps"
        ",\n                     pg_catalog.pg_size_pretty(sum(pg_catalog.pg_table_size(ppt.relid))) AS tps"
        "\n              FROM pg_catalog.pg_partition_tree(c.oid) ppt) s";
  }
  sql += "\nWHERE c.relkind IN (";
  if (tables) sql += "'p',";
  if (indexes) sql += "'I',";
  sql += "'')\n";
  if (!nested && !pattern) sql += " AND NOT c.relispartition\n";
  if (!pattern) sql += kNotSystemOrToastSchema;
  const std::string order_by = std::string("ORDER BY \"Schema\", ") + (mixed ? "\"Type\" DESC, " : "") +
                               (with_parent ? "\"Parent name\" NULLS FIRST, " : "") + "\"Name\";";
  return s.list(sql, pattern, true, kRelation, order_by.c_str(), title);
}

// \dp and \z: permissionsList().
bool list_privileges(Session& s, const Pattern& pattern) {
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  c.relname as \"Name\",\n"
      "  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' "
      "WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' END as "
      "\"Type\",\n"
      "  " +
      acl_column("c.relacl") +
      ",\n"
      "  pg_catalog.array_to_string(ARRAY(\n"
      "    SELECT attname || E':\\n  ' || pg_catalog.array_to_string(attacl, E'\\n  ')\n"
      "    FROM pg_catalog.pg_attribute a\n"
      "    WHERE attrelid = c.oid AND NOT attisdropped AND attacl IS NOT NULL\n"
      "  ), E'\\n') AS \"Column privileges\",\n"
      "  pg_catalog.array_to_string(ARRAY(\n"
      "    SELECT polname\n"
      "    || CASE WHEN NOT polpermissive THEN E' (RESTRICTIVE)' ELSE '' END\n"
      "    || CASE WHEN polcmd != '*' THEN E' (' || polcmd::pg_catalog.text || E'):' ELSE E':' END\n"
      "    || CASE WHEN polqual IS NOT NULL THEN E'\\n  (u): ' || pg_catalog.pg_get_expr(polqual, polrelid) "
      "ELSE E'' END\n"
      "    || CASE WHEN polwithcheck IS NOT NULL THEN E'\\n  (c): ' || pg_catalog.pg_get_expr(polwithcheck, "
      "polrelid) ELSE E'' END\n"
      "    || CASE WHEN polroles <> '{0}' THEN E'\\n  to: ' || pg_catalog.array_to_string(ARRAY(SELECT "
      "rolname "
      "FROM pg_catalog.pg_roles WHERE oid = ANY (polroles) ORDER BY 1), E', ') ELSE E'' END\n"
      "    FROM pg_catalog.pg_policy pol\n"
      "    WHERE polrelid = c.oid), E'\\n')\n"
      "    AS \"Policies\"\n"
      "FROM pg_catalog.pg_class c\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
      "WHERE c.relkind IN ('r','v','m','S','f','p')\n";
  return s.list(sql, pattern, true,
                schema_name("c.relname", "n.nspname !~ '^pg_' AND pg_catalog.pg_table_is_visible(c.oid)"),
                "ORDER BY 1, 2;", "Access privileges");
}

// \ddp: listDefaultACLs(); the pattern matches the schema or the owner.
bool list_default_privileges(Session& s, const Pattern& pattern) {
  std::string sql =
      "SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS \"Owner\",\n"
      "  n.nspname AS \"Schema\",\n"
      "  CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function' "
      "WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS \"Type\",\n"
      "  " +
      acl_column("d.defaclacl") +
      "\nFROM pg_catalog.pg_default_acl d\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace\n";
  return s.list(sql, pattern, false,
                {{nullptr, "n.nspname", "pg_catalog.pg_get_userbyid(d.defaclrole)", nullptr}, 3},
                "ORDER BY 1, 2, 3;", "Default access privileges");
}

// \dX: listExtendedStats().
bool list_extended_statistics(Session& s, const Pattern& pattern) {
  std::string sql =
      "SELECT \n"
      "es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS \"Schema\", \n"
      "es.stxname AS \"Name\", \n"
      "pg_catalog.format('%s FROM %s', \n"
      "  pg_catalog.pg_get_statisticsobjdef_columns(es.oid), \n"
      "  es.stxrelid::pg_catalog.regclass) AS \"Definition\",\n"
      "CASE WHEN 'd' = any(es.stxkind) THEN 'defined' \n"
      "END AS \"Ndistinct\", \n"
      "CASE WHEN 'f' = any(es.stxkind) THEN 'defined' \n"
      "END AS \"Dependencies\",\n"
      "CASE WHEN 'm' = any(es.stxkind) THEN 'defined' \n"
      "END AS \"MCV\"  \n"
      "FROM pg_catalog.pg_statistic_ext es \n";
  return s.list(sql, pattern, false,
                schema_name("es.stxname", "pg_catalog.pg_statistics_obj_is_visible(es.oid)", nullptr,
                            "es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text"),
                "ORDER BY 1, 2;", "List of extended statistics");
}

// \dd: objectDescription(), comments on constraints, operator classes and
// families, rules and triggers (the objects without a \d command of their
// own).
bool list_object_descriptions(Session& s, const Pattern& pattern, bool system) {
  struct Branch {
    const char* select;
    bool have_where;
    const char* name;
    const char* visibility;
  };
  static const Branch kBranches[] = {
      {"  SELECT pgc.oid as oid, pgc.tableoid AS tableoid,\n  n.nspname as nspname,\n"
       "  CAST(pgc.conname AS pg_catalog.text) as name,  CAST('table constraint' AS pg_catalog.text) as "
       "object\n"
       "  FROM pg_catalog.pg_constraint pgc\n"
       "    JOIN pg_catalog.pg_class c ON c.oid = pgc.conrelid\n"
       "    LEFT JOIN pg_catalog.pg_namespace n     ON n.oid = c.relnamespace\n",
       false, "pgc.conname", "pg_catalog.pg_table_is_visible(c.oid)"},
      {"  SELECT pgc.oid as oid, pgc.tableoid AS tableoid,\n  n.nspname as nspname,\n"
       "  CAST(pgc.conname AS pg_catalog.text) as name,  CAST('domain constraint' AS pg_catalog.text) as "
       "object\n"
       "  FROM pg_catalog.pg_constraint pgc\n"
       "    JOIN pg_catalog.pg_type t ON t.oid = pgc.contypid\n"
       "    LEFT JOIN pg_catalog.pg_namespace n     ON n.oid = t.typnamespace\n",
       false, "pgc.conname", "pg_catalog.pg_type_is_visible(t.oid)"},
      {"  SELECT o.oid as oid, o.tableoid as tableoid,\n  n.nspname as nspname,\n"
       "  CAST(o.opcname AS pg_catalog.text) as name,\n"
       "  CAST('operator class' AS pg_catalog.text) as object\n"
       "  FROM pg_catalog.pg_opclass o\n"
       "    JOIN pg_catalog.pg_am am ON o.opcmethod = am.oid\n"
       "    JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace\n",
       true, "o.opcname", "pg_catalog.pg_opclass_is_visible(o.oid)"},
      {"  SELECT opf.oid as oid, opf.tableoid as tableoid,\n  n.nspname as nspname,\n"
       "  CAST(opf.opfname AS pg_catalog.text) AS name,\n"
       "  CAST('operator family' AS pg_catalog.text) as object\n"
       "  FROM pg_catalog.pg_opfamily opf\n"
       "    JOIN pg_catalog.pg_am am ON opf.opfmethod = am.oid\n"
       "    JOIN pg_catalog.pg_namespace n ON opf.opfnamespace = n.oid\n",
       true, "opf.opfname", "pg_catalog.pg_opfamily_is_visible(opf.oid)"},
      {"  SELECT r.oid as oid, r.tableoid as tableoid,\n  n.nspname as nspname,\n"
       "  CAST(r.rulename AS pg_catalog.text) as name,  CAST('rule' AS pg_catalog.text) as object\n"
       "  FROM pg_catalog.pg_rewrite r\n"
       "       JOIN pg_catalog.pg_class c ON c.oid = r.ev_class\n"
       "       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
       "  WHERE r.rulename != '_RETURN'\n",
       true, "r.rulename", "pg_catalog.pg_table_is_visible(c.oid)"},
      {"  SELECT t.oid as oid, t.tableoid as tableoid,\n  n.nspname as nspname,\n"
       "  CAST(t.tgname AS pg_catalog.text) as name,  CAST('trigger' AS pg_catalog.text) as object\n"
       "  FROM pg_catalog.pg_trigger t\n"
       "       JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid\n"
       "       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n",
       false, "t.tgname", "pg_catalog.pg_table_is_visible(c.oid)"},
  };
  std::string sql =
      "SELECT DISTINCT tt.nspname AS \"Schema\", tt.name AS \"Name\", tt.object AS \"Object\", d.description "
      "AS "
      "\"Description\"\n"
      "FROM (\n";
  for (const Branch& b : kBranches) {
    if (&b != kBranches) sql += "UNION ALL\n";
    sql += b.select;
    bool have_where = b.have_where;
    if (!system && !pattern) {
      sql += not_system_schema(have_where);
      have_where = true;
    }
    if (!s.match(sql, pattern, have_where, schema_name(b.name, b.visibility))) return false;
  }
  sql +=
      ") AS tt\n"
      "  JOIN pg_catalog.pg_description d ON (tt.oid = d.objoid AND tt.tableoid = d.classoid AND d.objsubid "
      "= 0)\n";
  s.print(s.query(sql + "ORDER BY 1, 2, 3;"), "Object descriptions");
  return true;
}

// \dl: listLargeObjects().
bool list_large_objects(Session& s, bool verbose) {
  std::string sql =
      "SELECT oid as \"ID\",\n"
      "  pg_catalog.pg_get_userbyid(lomowner) as \"Owner\",\n  ";
  if (verbose) sql += acl_column("lomacl") + ",\n  ";
  sql +=
      "pg_catalog.obj_description(oid, 'pg_largeobject') as \"Description\"\n"
      "FROM pg_catalog.pg_largeobject_metadata\n";
  s.print(s.query(sql + "ORDER BY oid"), "Large objects");
  return true;
}

}  // namespace pglite::cli::describe
