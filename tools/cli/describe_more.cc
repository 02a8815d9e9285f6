// The other listing commands of psql 15 that are one catalog query each:
// \dT \da \db \dp (\z) \dD \dL \dA \do \dC \dc \dy \des \dew \det \deu \ddp
// \drds \dX.
#include <string>
#include <vector>

#include "describe_internal.h"

namespace pglite::cli::describe {
namespace {

constexpr const char* kNotSystemSchema =
    "      AND n.nspname <> 'pg_catalog'\n"
    "      AND n.nspname <> 'information_schema'\n";

std::string acl(const char* column) {
  return std::string("pg_catalog.array_to_string(") + column + ", E'\\n') AS \"Access privileges\"";
}

// psql's options rendering, "(name 'value', ...)", for an options array.
std::string fdw_options(const char* column, const char* label) {
  return std::string(" CASE WHEN ") + column +
         " IS NULL THEN '' ELSE '(' || pg_catalog.array_to_string(ARRAY(SELECT "
         "pg_catalog.quote_ident(option_name) "
         "|| ' ' || pg_catalog.quote_literal(option_value) FROM pg_catalog.pg_options_to_table(" +
         column + ")), ', ') || ')' END AS \"" + label + "\"";
}

// Runs `sql` + ORDER BY and prints it under `title`.
bool list(Session& s, std::string sql, const char* order_by, const char* title) {
  sql += order_by;
  s.print(s.query(sql), title);
  return true;
}

using Pattern = std::optional<std::string>;

bool types(Session& s, const Pattern& pattern, bool verbose, bool system) {
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
        acl("t.typacl") + ",\n";
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
  if (!system && !pattern) sql += kNotSystemSchema;
  Pattern mapped = pattern ? Pattern(map_typename_pattern(*pattern)) : std::nullopt;
  if (!s.validate_pattern(sql, mapped, true, false,
                          {"n.nspname", "t.typname", "pg_catalog.format_type(t.oid, NULL)",
                           "pg_catalog.pg_type_is_visible(t.oid)"},
                          3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of data types");
}

bool aggregates(Session& s, const Pattern& pattern, bool system) {
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  p.proname AS \"Name\",\n"
      "  pg_catalog.format_type(p.prorettype, NULL) AS \"Result data type\",\n"
      "  CASE WHEN p.pronargs = 0\n"
      "    THEN CAST('*' AS pg_catalog.text)\n"
      "    ELSE pg_catalog.pg_get_function_arguments(p.oid)\n"
      "  END AS \"Argument data types\",\n"
      "  pg_catalog.obj_description(p.oid, 'pg_proc') as \"Description\"\n"
      "FROM pg_catalog.pg_proc p\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n"
      "WHERE p.prokind = 'a'\n";
  if (!system && !pattern) sql += kNotSystemSchema;
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"n.nspname", "p.proname", nullptr, "pg_catalog.pg_function_is_visible(p.oid)"},
                          3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2, 4;", "List of aggregate functions");
}

bool tablespaces(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT spcname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(spcowner) AS \"Owner\",\n"
      "  pg_catalog.pg_tablespace_location(oid) AS \"Location\"";
  if (verbose) {
    sql += ",\n  " + acl("spcacl") +
           ",\n  spcoptions AS \"Options\""
           ",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_tablespace_size(oid)) AS \"Size\""
           ",\n  pg_catalog.shobj_description(oid, 'pg_tablespace') AS \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_tablespace\n";
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "spcname", nullptr, nullptr}, 1))
    return false;
  return list(s, sql, "ORDER BY 1;", "List of tablespaces");
}

bool privileges(Session& s, const Pattern& pattern) {
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  c.relname as \"Name\",\n"
      "  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' "
      "WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' END as "
      "\"Type\",\n"
      "  " +
      acl("c.relacl") +
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
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"n.nspname", "c.relname", nullptr,
                           "n.nspname !~ '^pg_' AND pg_catalog.pg_table_is_visible(c.oid)"},
                          3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "Access privileges");
}

bool domains(Session& s, const Pattern& pattern, bool verbose, bool system) {
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
  if (verbose) sql += ",\n  " + acl("t.typacl") + ",\n       d.description as \"Description\"";
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
  if (!system && !pattern) sql += kNotSystemSchema;
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"n.nspname", "t.typname", nullptr, "pg_catalog.pg_type_is_visible(t.oid)"}, 3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of domains");
}

bool languages(Session& s, const Pattern& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT l.lanname AS \"Name\",\n"
      "       pg_catalog.pg_get_userbyid(l.lanowner) as \"Owner\",\n"
      "       l.lanpltrusted AS \"Trusted\"";
  if (verbose) {
    sql +=
        ",\n       NOT l.lanispl AS \"Internal language\""
        ",\n       l.lanplcallfoid::pg_catalog.regprocedure AS \"Call handler\""
        ",\n       l.lanvalidator::pg_catalog.regprocedure AS \"Validator\""
        ",\n       l.laninline::pg_catalog.regprocedure AS \"Inline handler\""
        ",\n       " +
        acl("l.lanacl");
  }
  sql +=
      ",\n       d.description AS \"Description\"\n"
      "FROM pg_catalog.pg_language l\n"
      "LEFT JOIN pg_catalog.pg_description d\n"
      "  ON d.classoid = l.tableoid AND d.objoid = l.oid\n"
      "  AND d.objsubid = 0\n";
  if (pattern &&
      !s.validate_pattern(sql, pattern, false, false, {nullptr, "l.lanname", nullptr, nullptr}, 2)) {
    return false;
  }
  if (!system && !pattern) sql += "WHERE l.lanplcallfoid != 0\n";
  return list(s, sql, "ORDER BY 1;", "List of languages");
}

bool access_methods(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT amname AS \"Name\",\n"
      "  CASE amtype WHEN 'i' THEN 'Index' WHEN 't' THEN 'Table' END AS \"Type\"";
  if (verbose) {
    sql +=
        ",\n  amhandler AS \"Handler\""
        ",\n  pg_catalog.obj_description(oid, 'pg_am') AS \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_am\n";
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "amname", nullptr, nullptr}, 1)) return false;
  return list(s, sql, "ORDER BY 1;", "List of access methods");
}

bool operators(Session& s, const Pattern& pattern, const std::vector<std::string>& args, bool verbose,
               bool system) {
  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  o.oprname AS \"Name\",\n"
      "  CASE WHEN o.oprkind='l' THEN NULL ELSE pg_catalog.format_type(o.oprleft, NULL) END AS \"Left arg "
      "type\",\n"
      "  CASE WHEN o.oprkind='r' THEN NULL ELSE pg_catalog.format_type(o.oprright, NULL) END AS \"Right arg "
      "type\",\n"
      "  pg_catalog.format_type(o.oprresult, NULL) AS \"Result type\",\n";
  if (verbose) sql += "  o.oprcode AS \"Function\",\n";
  sql +=
      "  coalesce(pg_catalog.obj_description(o.oid, 'pg_operator'),\n"
      "           pg_catalog.obj_description(o.oprcode, 'pg_proc')) AS \"Description\"\n"
      "FROM pg_catalog.pg_operator o\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace\n";
  // One argument pattern: a prefix operator's right argument; two: both.
  const std::size_t nargs = args.size() > 2 ? 2 : args.size();
  if (nargs == 1) {
    sql +=
        "     LEFT JOIN pg_catalog.pg_type t0 ON t0.oid = o.oprright\n"
        "     LEFT JOIN pg_catalog.pg_namespace nt0 ON nt0.oid = t0.typnamespace\n";
  } else if (nargs == 2) {
    sql +=
        "     LEFT JOIN pg_catalog.pg_type t0 ON t0.oid = o.oprleft\n"
        "     LEFT JOIN pg_catalog.pg_namespace nt0 ON nt0.oid = t0.typnamespace\n"
        "     LEFT JOIN pg_catalog.pg_type t1 ON t1.oid = o.oprright\n"
        "     LEFT JOIN pg_catalog.pg_namespace nt1 ON nt1.oid = t1.typnamespace\n";
  }
  if (!system && !pattern) {
    sql +=
        "WHERE n.nspname <> 'pg_catalog'\n"
        "      AND n.nspname <> 'information_schema'\n";
  }
  if (!s.validate_pattern(sql, pattern, !system && !pattern, true,
                          {"n.nspname", "o.oprname", nullptr, "pg_catalog.pg_operator_is_visible(o.oid)"},
                          3)) {
    return false;
  }
  if (nargs == 1) sql += "  AND o.oprleft = 0\n";
  for (std::size_t i = 0; i < nargs; ++i) {
    std::string n = std::to_string(i);
    if (args[i] == "-") {
      sql += "  AND t" + n + ".typname IS NULL\n";
      continue;
    }
    std::string nspname = "nt" + n + ".nspname", typname = "t" + n + ".typname",
                ft = "pg_catalog.format_type(t" + n + ".oid, NULL)",
                visible = "pg_catalog.pg_type_is_visible(t" + n + ".oid)";
    if (!s.validate_pattern(sql, map_typename_pattern(args[i]), true, true,
                            {nspname.c_str(), typname.c_str(), ft.c_str(), visible.c_str()}, 3)) {
      return false;
    }
  }
  return list(s, sql, "ORDER BY 1, 2, 3, 4;", "List of operators");
}

bool casts(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT pg_catalog.format_type(castsource, NULL) AS \"Source type\",\n"
      "       pg_catalog.format_type(casttarget, NULL) AS \"Target type\",\n"
      "       CASE WHEN c.castmethod = 'b' THEN '(binary coercible)'\n"
      "            WHEN c.castmethod = 'i' THEN '(with inout)'\n"
      "            ELSE p.proname\n"
      "       END AS \"Function\",\n"
      "       CASE WHEN c.castcontext = 'e' THEN 'no'\n"
      "            WHEN c.castcontext = 'a' THEN 'in assignment'\n"
      "            ELSE 'yes'\n"
      "       END AS \"Implicit?\"";
  if (verbose) sql += ",\n       d.description AS \"Description\"";
  sql +=
      "\nFROM pg_catalog.pg_cast c LEFT JOIN pg_catalog.pg_proc p ON c.castfunc = p.oid\n"
      "     LEFT JOIN pg_catalog.pg_type ts ON c.castsource = ts.oid\n"
      "     LEFT JOIN pg_catalog.pg_namespace ns ON ns.oid = ts.typnamespace\n"
      "     LEFT JOIN pg_catalog.pg_type tt ON c.casttarget = tt.oid\n"
      "     LEFT JOIN pg_catalog.pg_namespace nt ON nt.oid = tt.typnamespace\n";
  if (verbose) {
    sql +=
        "     LEFT JOIN pg_catalog.pg_description d ON d.classoid = c.tableoid AND d.objoid = c.oid AND "
        "d.objsubid = "
        "0\n";
  }
  // The pattern matches the source or the target type, by either name.
  sql += "WHERE ( (true";
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"ns.nspname", "ts.typname", "pg_catalog.format_type(ts.oid, NULL)",
                           "pg_catalog.pg_type_is_visible(ts.oid)"},
                          3)) {
    return false;
  }
  sql += ") OR (true";
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"nt.nspname", "tt.typname", "pg_catalog.format_type(tt.oid, NULL)",
                           "pg_catalog.pg_type_is_visible(tt.oid)"},
                          3)) {
    return false;
  }
  sql += ") )\n";
  return list(s, sql, "ORDER BY 1, 2;", "List of casts");
}

bool conversions(Session& s, const Pattern& pattern, bool verbose, bool system) {
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
  if (!system && !pattern) sql += kNotSystemSchema;
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"n.nspname", "c.conname", nullptr, "pg_catalog.pg_conversion_is_visible(c.oid)"},
                          3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of conversions");
}

bool event_triggers(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT evtname as \"Name\", evtevent as \"Event\", pg_catalog.pg_get_userbyid(e.evtowner) as "
      "\"Owner\",\n"
      " case evtenabled when 'O' then 'enabled'  when 'R' then 'replica'  when 'A' then 'always'  when 'D' "
      "then "
      "'disabled' end as \"Enabled\",\n"
      " e.evtfoid::pg_catalog.regproc as \"Function\", pg_catalog.array_to_string(array(select x from "
      "pg_catalog.unnest(evttags) as t(x)), ', ') as \"Tags\"";
  if (verbose) sql += ",\npg_catalog.obj_description(e.oid, 'pg_event_trigger') as \"Description\"";
  sql += "\nFROM pg_catalog.pg_event_trigger e ";
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "evtname", nullptr, nullptr}, 1))
    return false;
  return list(s, sql, "ORDER BY 1", "List of event triggers");
}

bool foreign_servers(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT s.srvname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(s.srvowner) AS \"Owner\",\n"
      "  f.fdwname AS \"Foreign-data wrapper\"";
  if (verbose) {
    sql += ",\n  " + acl("s.srvacl") +
           ",\n  s.srvtype AS \"Type\""
           ",\n  s.srvversion AS \"Version\",\n " +
           fdw_options("srvoptions", "FDW options") + ",\n  d.description AS \"Description\"";
  }
  sql +=
      "\nFROM pg_catalog.pg_foreign_server s\n"
      "     JOIN pg_catalog.pg_foreign_data_wrapper f ON f.oid=s.srvfdw\n";
  if (verbose) {
    sql +=
        "LEFT JOIN pg_catalog.pg_description d\n"
        "       ON d.classoid = s.tableoid AND d.objoid = s.oid AND d.objsubid = 0\n";
  }
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "s.srvname", nullptr, nullptr}, 1))
    return false;
  return list(s, sql, "ORDER BY 1;", "List of foreign servers");
}

bool foreign_data_wrappers(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT fdw.fdwname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(fdw.fdwowner) AS \"Owner\",\n"
      "  fdw.fdwhandler::pg_catalog.regproc AS \"Handler\",\n"
      "  fdw.fdwvalidator::pg_catalog.regproc AS \"Validator\"";
  if (verbose) {
    sql += ",\n  " + acl("fdwacl") + ",\n" + fdw_options("fdwoptions", "FDW options") +
           ",\n  d.description AS \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_foreign_data_wrapper fdw\n";
  if (verbose) {
    sql +=
        "LEFT JOIN pg_catalog.pg_description d\n"
        "       ON d.classoid = fdw.tableoid AND d.objoid = fdw.oid AND d.objsubid = 0\n";
  }
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "fdwname", nullptr, nullptr}, 1))
    return false;
  return list(s, sql, "ORDER BY 1;", "List of foreign-data wrappers");
}

bool foreign_tables(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT n.nspname AS \"Schema\",\n"
      "  c.relname AS \"Table\",\n"
      "  s.srvname AS \"Server\"";
  if (verbose)
    sql += ",\n" + fdw_options("ftoptions", "FDW options") + ",\n  d.description AS \"Description\"";
  sql +=
      "\nFROM pg_catalog.pg_foreign_table ft\n"
      "  INNER JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid\n"
      "  INNER JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
      "  INNER JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver\n";
  if (verbose) {
    sql +=
        "   LEFT JOIN pg_catalog.pg_description d\n"
        "          ON d.classoid = c.tableoid AND d.objoid = c.oid AND d.objsubid = 0\n";
  }
  if (!s.validate_pattern(sql, pattern, false, false,
                          {"n.nspname", "c.relname", nullptr, "pg_catalog.pg_table_is_visible(c.oid)"}, 3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of foreign tables");
}

bool user_mappings(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT um.srvname AS \"Server\",\n"
      "  um.usename AS \"User name\"";
  if (verbose) sql += ",\n" + fdw_options("umoptions", "FDW options");
  sql += "\nFROM pg_catalog.pg_user_mappings um\n";
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "um.srvname", "um.usename", nullptr}, 1)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of user mappings");
}

bool default_acls(Session& s, const Pattern& pattern) {
  std::string sql =
      "SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS \"Owner\",\n"
      "  n.nspname AS \"Schema\",\n"
      "  CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function' "
      "WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS \"Type\",\n"
      "  " +
      acl("d.defaclacl") +
      "\nFROM pg_catalog.pg_default_acl d\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace\n";
  if (!s.validate_pattern(sql, pattern, false, false,
                          {nullptr, "n.nspname", "pg_catalog.pg_get_userbyid(d.defaclrole)", nullptr}, 3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2, 3;", "Default access privileges");
}

bool role_settings(Session& s, const Pattern& role, const Pattern& database) {
  std::string sql =
      "SELECT rolname AS \"Role\", datname AS \"Database\",\n"
      "pg_catalog.array_to_string(setconfig, E'\\n') AS \"Settings\"\n"
      "FROM pg_catalog.pg_db_role_setting s\n"
      "LEFT JOIN pg_catalog.pg_database d ON d.oid = setdatabase\n"
      "LEFT JOIN pg_catalog.pg_roles r ON r.oid = setrole\n";
  bool have_where = false;
  if (!s.validate_pattern(sql, role, false, false, {nullptr, "r.rolname", nullptr, nullptr}, 1,
                          &have_where) ||
      !s.validate_pattern(sql, database, have_where, false, {nullptr, "d.datname", nullptr, nullptr}, 1)) {
    return false;
  }
  sql += "ORDER BY 1, 2;";
  Result r = s.query(sql);
  if (r.rows() == 0) {
    if (role && database) {
      s.error("Did not find any settings for role \"" + *role + "\" and database \"" + *database + "\".");
    } else if (role) {
      s.error("Did not find any settings for role \"" + *role + "\".");
    } else {
      s.error("Did not find any settings.");
    }
    return true;
  }
  s.print(r, "List of settings");
  return true;
}

bool extended_statistics(Session& s, const Pattern& pattern) {
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
  if (!s.validate_pattern(sql, pattern, false, false,
                          {"es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text", "es.stxname", nullptr,
                           "pg_catalog.pg_statistics_obj_is_visible(es.oid)"},
                          3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of extended statistics");
}

}  // namespace

std::optional<bool> run_more(Session& s, std::string_view cmd, const std::vector<std::string>& words,
                             std::size_t& used, bool verbose, bool system) {
  // cmd is the command without its backslash, e.g. "dT+".
  auto next = [&]() -> Pattern {
    if (used < words.size()) return words[used++];
    return std::nullopt;
  };
  if (cmd.size() < 2 || cmd[0] != 'd') {
    if (cmd == "z") return privileges(s, next());
    return std::nullopt;
  }
  const char c2 = cmd.size() > 2 ? cmd[2] : '\0';
  switch (cmd[1]) {
    case 'T':
      return types(s, next(), verbose, system);
    case 'a':
      return aggregates(s, next(), system);
    case 'b':
      return tablespaces(s, next(), verbose);
    case 'p':
      return privileges(s, next());
    case 'D':
      return domains(s, next(), verbose, system);
    case 'L':
      return languages(s, next(), verbose, system);
    case 'A':
      if (c2 != '\0' && c2 != '+') return std::nullopt;
      return access_methods(s, next(), verbose);
    case 'o': {
      if (c2 != '\0' && c2 != '+' && c2 != 'S') return std::nullopt;
      Pattern pattern = next();
      std::vector<std::string> args;
      while (used < words.size()) args.push_back(words[used++]);
      return operators(s, pattern, args, verbose, system);
    }
    case 'C':
      return casts(s, next(), verbose);
    case 'c':
      return conversions(s, next(), verbose, system);
    case 'y':
      return event_triggers(s, next(), verbose);
    case 'e':
      switch (c2) {
        case 's':
          return foreign_servers(s, next(), verbose);
        case 'w':
          return foreign_data_wrappers(s, next(), verbose);
        case 't':
          return foreign_tables(s, next(), verbose);
        case 'u':
          return user_mappings(s, next(), verbose);
        default:
          return std::nullopt;
      }
    case 'd':
      if (cmd.substr(0, 3) != "ddp") return std::nullopt;  // \dd itself is not implemented
      return default_acls(s, next());
    case 'r':
      if (cmd.size() >= 4 && cmd[2] == 'd' && cmd[3] == 's') {
        Pattern role = next();
        Pattern database = next();
        return role_settings(s, role, database);
      }
      return std::nullopt;
    case 'X':
      return extended_statistics(s, next());
    default:
      return std::nullopt;
  }
}

}  // namespace pglite::cli::describe
