// psql 15's other describe commands: \dT \da \db \dp (\z) \dD \dL \dA[cfop]
// \do \dC \dc \dd \dy \des \dew \det \deu \ddp \drds \dX \dP \dl \dO \dRp \dRs
// \dF[dpt].
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

bool partitioned_tables(Session& s, std::string_view kinds, const Pattern& pattern, bool verbose) {
  auto has = [&](char c) { return kinds.find(c) != std::string_view::npos; };
  bool tables = has('t'), indexes = has('i');
  const bool nested = has('n');
  if (!tables && !indexes) tables = indexes = true;
  const bool mixed = tables && indexes;
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
  if (nested || pattern) sql += ",\n  inh.inhparent::pg_catalog.regclass as \"Parent name\"";
  if (indexes) sql += ",\n c2.oid::pg_catalog.regclass as \"Table\"";
  if (verbose) {
    if (nested) sql += ",\n  s.dps as \"Leaf partition size\"";
    sql += ",\n  s.tps as \"Total size\"";
    sql += ",\n  pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\"";
  }
  sql +=
      "\nFROM pg_catalog.pg_class c"
      "\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
  if (indexes) {
    sql +=
        "\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
        "\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid";
  }
  if (nested || pattern) sql += "\n     LEFT JOIN pg_catalog.pg_inherits inh ON c.oid = inh.inhrelid";
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
  if (!pattern) {
    sql +=
        "      AND n.nspname <> 'pg_catalog'\n"
        "      AND n.nspname !~ '^pg_toast'\n"
        "      AND n.nspname <> 'information_schema'\n";
  }
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"n.nspname", "c.relname", nullptr, "pg_catalog.pg_table_is_visible(c.oid)"}, 3)) {
    return false;
  }
  sql += std::string("ORDER BY \"Schema\", ") + (mixed ? "\"Type\" DESC, " : "") +
         (nested || pattern ? "\"Parent name\" NULLS FIRST, " : "") + "\"Name\";";
  s.print(s.query(sql), title);
  return true;
}

bool large_objects(Session& s, bool verbose) {
  std::string sql =
      "SELECT oid as \"ID\",\n"
      "  pg_catalog.pg_get_userbyid(lomowner) as \"Owner\",\n  ";
  if (verbose) sql += acl("lomacl") + ",\n  ";
  sql +=
      "pg_catalog.obj_description(oid, 'pg_largeobject') as \"Description\"\n"
      "FROM pg_catalog.pg_largeobject_metadata\n";
  return list(s, sql, "ORDER BY oid", "Large objects");
}

bool publications(Session& s, const Pattern& pattern) {
  std::string sql =
      "SELECT pubname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(pubowner) AS \"Owner\",\n"
      "  puballtables AS \"All tables\",\n"
      "  pubinsert AS \"Inserts\",\n"
      "  pubupdate AS \"Updates\",\n"
      "  pubdelete AS \"Deletes\",\n"
      "  pubtruncate AS \"Truncates\",\n"
      "  pubviaroot AS \"Via root\"\n"
      "FROM pg_catalog.pg_publication\n";
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "pubname", nullptr, nullptr}, 1))
    return false;
  return list(s, sql, "ORDER BY 1;", "List of publications");
}

// \dRp+: one table per publication, with its tables and schemas.
bool describe_publications(Session& s, const Pattern& pattern) {
  std::string sql =
      "SELECT oid, pubname,\n"
      "  pg_catalog.pg_get_userbyid(pubowner) AS owner,\n"
      "  puballtables, pubinsert, pubupdate, pubdelete, pubtruncate, pubviaroot\n"
      "FROM pg_catalog.pg_publication\n";
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "pubname", nullptr, nullptr}, 1))
    return false;
  sql += "ORDER BY 2;";
  Result pubs = s.query(sql);
  if (pubs.rows() == 0) {
    s.error(pattern ? "Did not find any publication named \"" + *pattern + "\"."
                    : "Did not find any publications.");
    return false;
  }
  for (std::size_t i = 0; i < pubs.rows(); ++i) {
    const std::string oid = sql_literal(cell(pubs, i, 0));
    std::vector<std::optional<std::string>> row;
    for (std::size_t c = 2; c <= 8; ++c) row.push_back(cell(pubs, i, c));
    std::vector<std::string> footers;
    if (!is_true(pubs, i, 3)) {
      Result tables = s.query(
          "SELECT n.nspname, c.relname, pg_get_expr(pr.prqual, c.oid), (CASE WHEN pr.prattrs IS NOT NULL "
          "THEN\n"
          "     pg_catalog.array_to_string(ARRAY(SELECT attname\n"
          "              FROM pg_catalog.generate_series(0, "
          "pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], "
          "1)) s,\n"
          "                pg_catalog.pg_attribute\n"
          "        WHERE attrelid = c.oid AND attnum = prattrs[s]), ', ')\n"
          "       ELSE NULL END)\n"
          "FROM pg_catalog.pg_class c,\n"
          "     pg_catalog.pg_namespace n,\n"
          "     pg_catalog.pg_publication_rel pr\n"
          "WHERE c.relnamespace = n.oid\n"
          "  AND c.oid = pr.prrelid\n"
          "  AND pr.prpubid = " +
          oid + "\nORDER BY 1,2");
      if (tables.rows() > 0) footers.push_back("Tables:");
      for (std::size_t t = 0; t < tables.rows(); ++t) {
        std::string line = "    \"" + cell(tables, t, 0) + "." + cell(tables, t, 1) + "\"";
        if (!tables.is_null(t, 3)) line += " (" + cell(tables, t, 3) + ")";
        if (!tables.is_null(t, 2)) line += " WHERE " + cell(tables, t, 2);
        footers.push_back(line);
      }
      Result schemas = s.query(
          "SELECT n.nspname\n"
          "FROM pg_catalog.pg_namespace n\n"
          "     JOIN pg_catalog.pg_publication_namespace pn ON n.oid = pn.pnnspid\n"
          "WHERE pn.pnpubid = " +
          oid + "\nORDER BY 1");
      if (schemas.rows() > 0) footers.push_back("Tables from schemas:");
      for (std::size_t t = 0; t < schemas.rows(); ++t)
        footers.push_back("    \"" + cell(schemas, t, 0) + "\"");
    }
    s.print(s.make_table({"Owner", "All tables", "Inserts", "Updates", "Deletes", "Truncates", "Via root"},
                         {row}),
            "Publication " + cell(pubs, i, 1), footers, false);
  }
  return true;
}

bool subscriptions(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT subname AS \"Name\"\n"
      ",  pg_catalog.pg_get_userbyid(subowner) AS \"Owner\"\n"
      ",  subenabled AS \"Enabled\"\n"
      ",  subpublications AS \"Publication\"\n";
  if (verbose) {
    sql +=
        ", subbinary AS \"Binary\"\n"
        ", substream AS \"Streaming\"\n"
        ", subtwophasestate AS \"Two-phase commit\"\n"
        ", subdisableonerr AS \"Disable on error\"\n"
        ",  subsynccommit AS \"Synchronous commit\"\n"
        ",  subconninfo AS \"Conninfo\"\n"
        ", subskiplsn AS \"Skip LSN\"\n";
  }
  sql +=
      "FROM pg_catalog.pg_subscription\n"
      "WHERE subdbid = (SELECT oid\n"
      "                 FROM pg_catalog.pg_database\n"
      "                 WHERE datname = pg_catalog.current_database())\n";
  if (!s.validate_pattern(sql, pattern, true, false, {nullptr, "subname", nullptr, nullptr}, 1)) return false;
  return list(s, sql, "ORDER BY 1;", "List of subscriptions");
}

bool ts_configs(Session& s, const Pattern& pattern, bool verbose) {
  if (!verbose) {
    std::string sql =
        "SELECT\n"
        "   n.nspname as \"Schema\",\n"
        "   c.cfgname as \"Name\",\n"
        "   pg_catalog.obj_description(c.oid, 'pg_ts_config') as \"Description\"\n"
        "FROM pg_catalog.pg_ts_config c\n"
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace\n";
    if (!s.validate_pattern(sql, pattern, false, false,
                            {"n.nspname", "c.cfgname", nullptr, "pg_catalog.pg_ts_config_is_visible(c.oid)"},
                            3)) {
      return false;
    }
    return list(s, sql, "ORDER BY 1, 2;", "List of text search configurations");
  }
  std::string sql =
      "SELECT c.oid, c.cfgname,\n"
      "   n.nspname,\n"
      "   p.prsname,\n"
      "   np.nspname as pnspname\n"
      "FROM pg_catalog.pg_ts_config c\n"
      "   LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace,\n"
      " pg_catalog.pg_ts_parser p\n"
      "   LEFT JOIN pg_catalog.pg_namespace np ON np.oid = p.prsnamespace\n"
      "WHERE  p.oid = c.cfgparser\n";
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"n.nspname", "c.cfgname", nullptr, "pg_catalog.pg_ts_config_is_visible(c.oid)"},
                          3)) {
    return false;
  }
  sql += "ORDER BY 3, 2;";
  Result configs = s.query(sql);
  if (configs.rows() == 0) {
    s.error(pattern ? "Did not find any text search configuration named \"" + *pattern + "\"."
                    : "Did not find any text search configurations.");
    return false;
  }
  for (std::size_t i = 0; i < configs.rows(); ++i) {
    Result map = s.query(
        "SELECT\n"
        "  ( SELECT t.alias FROM\n"
        "    pg_catalog.ts_token_type(c.cfgparser) AS t\n"
        "    WHERE t.tokid = m.maptokentype ) AS \"Token\",\n"
        "  pg_catalog.btrim(\n"
        "    ARRAY( SELECT mm.mapdict::pg_catalog.regdictionary\n"
        "           FROM pg_catalog.pg_ts_config_map AS mm\n"
        "           WHERE mm.mapcfg = m.mapcfg AND mm.maptokentype = m.maptokentype\n"
        "           ORDER BY mapcfg, maptokentype, mapseqno\n"
        "    ) :: pg_catalog.text,\n"
        "  '{}') AS \"Dictionaries\"\n"
        "FROM pg_catalog.pg_ts_config AS c, pg_catalog.pg_ts_config_map AS m\n"
        "WHERE c.oid = " +
        sql_literal(cell(configs, i, 0)) +
        " AND m.mapcfg = c.oid\n"
        "GROUP BY m.mapcfg, m.maptokentype, c.cfgparser\n"
        "ORDER BY 1;");
    std::string title = configs.is_null(i, 2) ? "Text search configuration \"" + cell(configs, i, 1) + "\""
                                              : "Text search configuration \"" + cell(configs, i, 2) + "." +
                                                    cell(configs, i, 1) + "\"";
    title += configs.is_null(i, 4) ? "\nParser: \"" + cell(configs, i, 3) + "\""
                                   : "\nParser: \"" + cell(configs, i, 4) + "." + cell(configs, i, 3) + "\"";
    s.print(map, title, {}, false);
  }
  return true;
}

bool ts_parsers(Session& s, const Pattern& pattern, bool verbose) {
  if (!verbose) {
    std::string sql =
        "SELECT\n"
        "  n.nspname as \"Schema\",\n"
        "  p.prsname as \"Name\",\n"
        "  pg_catalog.obj_description(p.oid, 'pg_ts_parser') as \"Description\"\n"
        "FROM pg_catalog.pg_ts_parser p\n"
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n";
    if (!s.validate_pattern(sql, pattern, false, false,
                            {"n.nspname", "p.prsname", nullptr, "pg_catalog.pg_ts_parser_is_visible(p.oid)"},
                            3)) {
      return false;
    }
    return list(s, sql, "ORDER BY 1, 2;", "List of text search parsers");
  }
  std::string sql =
      "SELECT p.oid,\n"
      "  n.nspname,\n"
      "  p.prsname\n"
      "FROM pg_catalog.pg_ts_parser p\n"
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n";
  if (!s.validate_pattern(sql, pattern, false, false,
                          {"n.nspname", "p.prsname", nullptr, "pg_catalog.pg_ts_parser_is_visible(p.oid)"},
                          3)) {
    return false;
  }
  sql += "ORDER BY 1, 2;";
  Result parsers = s.query(sql);
  if (parsers.rows() == 0) {
    s.error(pattern ? "Did not find any text search parser named \"" + *pattern + "\"."
                    : "Did not find any text search parsers.");
    return false;
  }
  for (std::size_t i = 0; i < parsers.rows(); ++i) {
    const std::string oid = sql_literal(cell(parsers, i, 0));
    std::string methods;
    static const char* const kMethods[][2] = {{"Start parse", "prsstart"},
                                              {"Get next token", "prstoken"},
                                              {"End parse", "prsend"},
                                              {"Get headline", "prsheadline"},
                                              {"Get token types", "prslextype"}};
    for (const auto& m : kMethods) {
      if (!methods.empty()) methods += "UNION ALL\n";
      methods += std::string("SELECT '") + m[0] + "' AS \"Method\",\n   p." + m[1] +
                 "::pg_catalog.regproc AS \"Function\",\n   pg_catalog.obj_description(p." + m[1] +
                 ", 'pg_proc') as \"Description\"\n FROM pg_catalog.pg_ts_parser p\n WHERE p.oid = " + oid +
                 "\n";
    }
    const std::string name =
        parsers.is_null(i, 1) ? cell(parsers, i, 2) : cell(parsers, i, 1) + "." + cell(parsers, i, 2);
    s.print(s.query(methods), "Text search parser \"" + name + "\"", {}, false);
    s.print(s.query("SELECT t.alias as \"Token name\",\n  t.description as \"Description\"\n"
                    "FROM pg_catalog.ts_token_type( " +
                    oid + "::pg_catalog.oid ) as t\nORDER BY 1;"),
            "Token types for parser \"" + name + "\"");
  }
  return true;
}

bool ts_dictionaries(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT\n"
      "  n.nspname as \"Schema\",\n"
      "  d.dictname as \"Name\",\n";
  if (verbose) {
    sql +=
        "  ( SELECT COALESCE(nt.nspname, '(null)')::pg_catalog.text || '.' || t.tmplname FROM\n"
        "    pg_catalog.pg_ts_template t\n"
        "    LEFT JOIN pg_catalog.pg_namespace nt ON nt.oid = t.tmplnamespace\n"
        "    WHERE d.dicttemplate = t.oid ) AS  \"Template\",\n"
        "  d.dictinitoption as \"Init options\",\n";
  }
  sql +=
      "  pg_catalog.obj_description(d.oid, 'pg_ts_dict') as \"Description\"\n"
      "FROM pg_catalog.pg_ts_dict d\n"
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace\n";
  if (!s.validate_pattern(sql, pattern, false, false,
                          {"n.nspname", "d.dictname", nullptr, "pg_catalog.pg_ts_dict_is_visible(d.oid)"},
                          3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of text search dictionaries");
}

bool ts_templates(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT\n"
      "  n.nspname AS \"Schema\",\n"
      "  t.tmplname AS \"Name\",\n";
  if (verbose) {
    sql +=
        "  t.tmplinit::pg_catalog.regproc AS \"Init\",\n"
        "  t.tmpllexize::pg_catalog.regproc AS \"Lexize\",\n";
  }
  sql +=
      "  pg_catalog.obj_description(t.oid, 'pg_ts_template') AS \"Description\"\n"
      "FROM pg_catalog.pg_ts_template t\n"
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace\n";
  if (!s.validate_pattern(sql, pattern, false, false,
                          {"n.nspname", "t.tmplname", nullptr, "pg_catalog.pg_ts_template_is_visible(t.oid)"},
                          3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of text search templates");
}

// The access method pattern of \dAc \dAf \dAo \dAp.
bool access_method_clause(Session& s, std::string& sql, const Pattern& pattern, bool& have_where) {
  have_where = false;
  if (!pattern) return true;
  return s.validate_pattern(sql, pattern, false, false, {nullptr, "am.amname", nullptr, nullptr}, 1,
                            &have_where);
}

constexpr const char* kTypeName = "pg_catalog.format_type(t.oid, NULL)";

bool operator_classes(Session& s, const Pattern& am, const Pattern& type, bool verbose) {
  std::string sql =
      "SELECT\n"
      "  am.amname AS \"AM\",\n"
      "  pg_catalog.format_type(c.opcintype, NULL) AS \"Input type\",\n"
      "  CASE\n"
      "    WHEN c.opckeytype <> 0 AND c.opckeytype <> c.opcintype\n"
      "    THEN pg_catalog.format_type(c.opckeytype, NULL)\n"
      "    ELSE NULL\n"
      "  END AS \"Storage type\",\n"
      "  CASE\n"
      "    WHEN pg_catalog.pg_opclass_is_visible(c.oid)\n"
      "    THEN pg_catalog.format('%I', c.opcname)\n"
      "    ELSE pg_catalog.format('%I.%I', n.nspname, c.opcname)\n"
      "  END AS \"Operator class\",\n"
      "  (CASE WHEN c.opcdefault\n"
      "    THEN 'yes'\n"
      "    ELSE 'no'\n"
      "  END) AS \"Default?\"";
  if (verbose) {
    sql +=
        ",\n  CASE\n"
        "    WHEN pg_catalog.pg_opfamily_is_visible(of.oid)\n"
        "    THEN pg_catalog.format('%I', of.opfname)\n"
        "    ELSE pg_catalog.format('%I.%I', ofn.nspname, of.opfname)\n"
        "  END AS \"Operator family\",\n"
        " pg_catalog.pg_get_userbyid(c.opcowner) AS \"Owner\"\n";
  }
  sql +=
      "\nFROM pg_catalog.pg_opclass c\n"
      "  LEFT JOIN pg_catalog.pg_am am on am.oid = c.opcmethod\n"
      "  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace\n"
      "  LEFT JOIN pg_catalog.pg_type t ON t.oid = c.opcintype\n"
      "  LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace\n";
  if (verbose) {
    sql +=
        "  LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = c.opcfamily\n"
        "  LEFT JOIN pg_catalog.pg_namespace ofn ON ofn.oid = of.opfnamespace\n";
  }
  bool have_where = false;
  if (!access_method_clause(s, sql, am, have_where)) return false;
  if (type && !s.validate_pattern(
                  sql, type, have_where, false,
                  {"tn.nspname", "t.typname", kTypeName, "pg_catalog.pg_type_is_visible(t.oid)"}, 3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2, 4;", "List of operator classes");
}

bool operator_families(Session& s, const Pattern& am, const Pattern& type, bool verbose) {
  std::string sql =
      "SELECT\n"
      "  am.amname AS \"AM\",\n"
      "  CASE\n"
      "    WHEN pg_catalog.pg_opfamily_is_visible(f.oid)\n"
      "    THEN pg_catalog.format('%I', f.opfname)\n"
      "    ELSE pg_catalog.format('%I.%I', n.nspname, f.opfname)\n"
      "  END AS \"Operator family\",\n"
      "  (SELECT\n"
      "     pg_catalog.string_agg(pg_catalog.format_type(oc.opcintype, NULL), ', ')\n"
      "   FROM pg_catalog.pg_opclass oc\n"
      "   WHERE oc.opcfamily = f.oid) \"Applicable types\"";
  if (verbose) sql += ",\n  pg_catalog.pg_get_userbyid(f.opfowner) AS \"Owner\"\n";
  sql +=
      "\nFROM pg_catalog.pg_opfamily f\n"
      "  LEFT JOIN pg_catalog.pg_am am on am.oid = f.opfmethod\n"
      "  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace\n";
  bool have_where = false;
  if (!access_method_clause(s, sql, am, have_where)) return false;
  if (type) {
    sql += std::string("  ") + (have_where ? "AND" : "WHERE") +
           " EXISTS (\n"
           "    SELECT 1\n"
           "    FROM pg_catalog.pg_type t\n"
           "    JOIN pg_catalog.pg_opclass oc ON oc.opcintype = t.oid\n"
           "    LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace\n"
           "    WHERE oc.opcfamily = f.oid\n";
    if (!s.validate_pattern(sql, type, true, false,
                            {"tn.nspname", "t.typname", kTypeName, "pg_catalog.pg_type_is_visible(t.oid)"},
                            3)) {
      return false;
    }
    sql += "  )\n";
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of operator families");
}

bool family_operators(Session& s, const Pattern& am, const Pattern& family, bool verbose) {
  std::string sql =
      "SELECT\n"
      "  am.amname AS \"AM\",\n"
      "  CASE\n"
      "    WHEN pg_catalog.pg_opfamily_is_visible(of.oid)\n"
      "    THEN pg_catalog.format('%I', of.opfname)\n"
      "    ELSE pg_catalog.format('%I.%I', nsf.nspname, of.opfname)\n"
      "  END AS \"Operator family\",\n"
      "  o.amopopr::pg_catalog.regoperator AS \"Operator\"\n"
      ",  o.amopstrategy AS \"Strategy\",\n"
      "  CASE o.amoppurpose\n"
      "    WHEN 'o' THEN 'ordering'\n"
      "    WHEN 's' THEN 'search'\n"
      "  END AS \"Purpose\"\n";
  if (verbose) sql += ", ofs.opfname AS \"Sort opfamily\"\n";
  sql +=
      "FROM pg_catalog.pg_amop o\n"
      "  LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = o.amopfamily\n"
      "  LEFT JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod AND am.oid = o.amopmethod\n"
      "  LEFT JOIN pg_catalog.pg_namespace nsf ON of.opfnamespace = nsf.oid\n";
  if (verbose) sql += "  LEFT JOIN pg_catalog.pg_opfamily ofs ON ofs.oid = o.amopsortfamily\n";
  bool have_where = false;
  if (!access_method_clause(s, sql, am, have_where)) return false;
  if (family && !s.validate_pattern(sql, family, have_where, false,
                                    {"nsf.nspname", "of.opfname", nullptr, nullptr}, 3)) {
    return false;
  }
  return list(s, sql,
              "ORDER BY 1, 2,\n"
              "  o.amoplefttype = o.amoprighttype DESC,\n"
              "  pg_catalog.format_type(o.amoplefttype, NULL),\n"
              "  pg_catalog.format_type(o.amoprighttype, NULL),\n"
              "  o.amopstrategy;",
              "List of operators of operator families");
}

bool family_functions(Session& s, const Pattern& am, const Pattern& family, bool verbose) {
  std::string sql =
      "SELECT\n"
      "  am.amname AS \"AM\",\n"
      "  CASE\n"
      "    WHEN pg_catalog.pg_opfamily_is_visible(of.oid)\n"
      "    THEN pg_catalog.format('%I', of.opfname)\n"
      "    ELSE pg_catalog.format('%I.%I', ns.nspname, of.opfname)\n"
      "  END AS \"Operator family\",\n"
      "  pg_catalog.format_type(ap.amproclefttype, NULL) AS \"Registered left type\",\n"
      "  pg_catalog.format_type(ap.amprocrighttype, NULL) AS \"Registered right type\",\n"
      "  ap.amprocnum AS \"Number\"\n";
  sql += verbose ? ", ap.amproc::pg_catalog.regprocedure AS \"Function\"\n" : ", p.proname AS \"Function\"\n";
  sql +=
      "FROM pg_catalog.pg_amproc ap\n"
      "  LEFT JOIN pg_catalog.pg_opfamily of ON of.oid = ap.amprocfamily\n"
      "  LEFT JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod\n"
      "  LEFT JOIN pg_catalog.pg_namespace ns ON of.opfnamespace = ns.oid\n"
      "  LEFT JOIN pg_catalog.pg_proc p ON ap.amproc = p.oid\n";
  bool have_where = false;
  if (!access_method_clause(s, sql, am, have_where)) return false;
  if (family && !s.validate_pattern(sql, family, have_where, false,
                                    {"ns.nspname", "of.opfname", nullptr, nullptr}, 3)) {
    return false;
  }
  return list(s, sql,
              "ORDER BY 1, 2,\n"
              "  ap.amproclefttype = ap.amprocrighttype DESC,\n"
              "  3, 4, 5;",
              "List of support functions of operator families");
}

// \dO: psql 15's query reads pg_collation.colliculocale, which PostgreSQL 17
// renamed colllocale: the same columns from the new name.
bool collations(Session& s, const Pattern& pattern, bool verbose, bool system) {
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
  if (!system && !pattern) sql += kNotSystemSchema;
  // Only collations usable with the database's encoding.
  sql +=
      "      AND c.collencoding IN (-1, pg_catalog.pg_char_to_encoding(pg_catalog.getdatabaseencoding()))\n";
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"n.nspname", "c.collname", nullptr, "pg_catalog.pg_collation_is_visible(c.oid)"},
                          3)) {
    return false;
  }
  return list(s, sql, "ORDER BY 1, 2;", "List of collations");
}

// \dd: comments on constraints, operator classes and families, rules and
// triggers (the objects without a \d command of their own).
bool object_descriptions(Session& s, const Pattern& pattern, bool system) {
  const bool filter = !system && !pattern;
  std::string sql =
      "SELECT DISTINCT tt.nspname AS \"Schema\", tt.name AS \"Name\", tt.object AS \"Object\", d.description "
      "AS "
      "\"Description\"\n"
      "FROM (\n";
  struct Branch {
    const char* select;
    bool have_where;
    const char* name;
    const char* visibility;
  };
  const Branch branches[] = {
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
  bool first = true;
  for (const Branch& b : branches) {
    if (!first) sql += "UNION ALL\n";
    first = false;
    sql += b.select;
    bool have_where = b.have_where;
    if (filter) {
      sql += have_where ? "      AND " : "WHERE ";
      sql += "n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n";
      have_where = true;
    }
    if (!s.validate_pattern(sql, pattern, have_where, false, {"n.nspname", b.name, nullptr, b.visibility},
                            3)) {
      return false;
    }
  }
  sql +=
      ") AS tt\n"
      "  JOIN pg_catalog.pg_description d ON (tt.oid = d.objoid AND tt.tableoid = d.classoid AND d.objsubid "
      "= 0)\n";
  return list(s, sql, "ORDER BY 1, 2, 3;", "Object descriptions");
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
    case 'A': {
      Pattern pattern = next();
      Pattern second = pattern && c2 != '\0' && c2 != '+' ? next() : std::nullopt;
      switch (c2) {
        case '\0':
        case '+':
          return access_methods(s, pattern, verbose);
        case 'c':
          return operator_classes(s, pattern, second, verbose);
        case 'f':
          return operator_families(s, pattern, second, verbose);
        case 'o':
          return family_operators(s, pattern, second, verbose);
        case 'p':
          return family_functions(s, pattern, second, verbose);
        default:
          return std::nullopt;
      }
    }
    case 'P':
      if (c2 != '\0' && c2 != '+' && c2 != 't' && c2 != 'i' && c2 != 'n') return std::nullopt;
      return partitioned_tables(s, cmd.substr(2), next(), verbose);
    case 'l':
      return large_objects(s, verbose);
    case 'O':
      return collations(s, next(), verbose, system);
    case 'R':
      if (c2 == 'p') return verbose ? describe_publications(s, next()) : publications(s, next());
      if (c2 == 's') return subscriptions(s, next(), verbose);
      return std::nullopt;
    case 'F':
      switch (c2) {
        case '\0':
        case '+':
          return ts_configs(s, next(), verbose);
        case 'p':
          return ts_parsers(s, next(), verbose);
        case 'd':
          return ts_dictionaries(s, next(), verbose);
        case 't':
          return ts_templates(s, next(), verbose);
        default:
          return std::nullopt;
      }
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
      if (cmd.substr(0, 3) == "ddp") return default_acls(s, next());
      return object_descriptions(s, next(), system);
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
