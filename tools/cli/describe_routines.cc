// Functions and operators, and how indexes use them: \df \da \do \dC
// \dA[cfop].
#include <algorithm>
#include <string>
#include <vector>

#include "describe_internal.h"

namespace pglite::cli::describe {
namespace {

const NameMatch kFunction = schema_name("p.proname", "pg_catalog.pg_function_is_visible(p.oid)");

// The access method pattern of \dAc \dAf \dAo \dAp; sets `have_where`.
bool match_access_method(Session& s, std::string& sql, const Pattern& pattern, bool& have_where) {
  have_where = false;
  return !pattern || s.match(sql, pattern, false, global_name("am.amname"), &have_where);
}

// An operator family's name, schema-qualified unless visible (\dAf \dAo
// \dAp); `family` and `schema` are the aliases of pg_opfamily and its
// pg_namespace.
std::string operator_family_column(const char* family, const char* schema) {
  const std::string f = family;
  return "  CASE\n"
         "    WHEN pg_catalog.pg_opfamily_is_visible(" +
         f +
         ".oid)\n"
         "    THEN pg_catalog.format('%I', " +
         f +
         ".opfname)\n"
         "    ELSE pg_catalog.format('%I.%I', " +
         schema + ".nspname, " + f +
         ".opfname)\n"
         "  END AS \"Operator family\"";
}

// \dAc's and \dAf's type pattern, like \dT's.
const NameMatch kType = schema_name("t.typname", "pg_catalog.pg_type_is_visible(t.oid)",
                                    "pg_catalog.format_type(t.oid, NULL)", "tn.nspname");

}  // namespace

// \df[anptw]: describeFunctions(). `kinds` is the command after "\df".
bool list_functions(Session& s, std::string_view kinds, const Pattern& pattern,
                    const std::vector<std::string>& arg_patterns, bool verbose, bool system) {
  if (kinds.find_first_not_of("anptwS+") != std::string_view::npos) {
    s.error("\\df only takes [anptwS+] as options");
    return true;
  }
  auto has = [&](char c) { return kinds.find(c) != std::string_view::npos; };
  bool agg = has('a'), normal = has('n'), proc = has('p'), trigger = has('t'), window = has('w');
  if (!agg && !normal && !proc && !trigger && !window) agg = normal = proc = trigger = window = true;

  std::string sql =
      "SELECT n.nspname as \"Schema\",\n"
      "  p.proname as \"Name\",\n"
      "  pg_catalog.pg_get_function_result(p.oid) as \"Result data type\",\n"
      "  pg_catalog.pg_get_function_arguments(p.oid) as \"Argument data types\",\n"
      " CASE p.prokind\n"
      "  WHEN 'a' THEN 'agg'\n"
      "  WHEN 'w' THEN 'window'\n"
      "  WHEN 'p' THEN 'proc'\n"
      "  ELSE 'func'\n"
      " END as \"Type\"";
  if (verbose) {
    sql +=
        ",\n CASE\n"
        "  WHEN p.provolatile = 'i' THEN 'immutable'\n"
        "  WHEN p.provolatile = 's' THEN 'stable'\n"
        "  WHEN p.provolatile = 'v' THEN 'volatile'\n"
        " END as \"Volatility\""
        ",\n CASE\n"
        "  WHEN p.proparallel = 'r' THEN 'restricted'\n"
        "  WHEN p.proparallel = 's' THEN 'safe'\n"
        "  WHEN p.proparallel = 'u' THEN 'unsafe'\n"
        " END as \"Parallel\""
        ",\n pg_catalog.pg_get_userbyid(p.proowner) as \"Owner\""
        ",\n CASE WHEN prosecdef THEN 'definer' ELSE 'invoker' END AS \"Security\"";
    sql += ",\n " + acl_column("p.proacl");
    sql +=
        ",\n l.lanname as \"Language\""
        ",\n COALESCE(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc) as \"Source code\""
        ",\n pg_catalog.obj_description(p.oid, 'pg_proc') as \"Description\"";
  }
  sql +=
      "\nFROM pg_catalog.pg_proc p"
      "\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n";
  for (std::size_t i = 0; i < arg_patterns.size(); ++i) {
    sql += type_join(i, "p.proargtypes[" + std::to_string(i) + "]");
  }
  if (verbose) sql += "     LEFT JOIN pg_catalog.pg_language l ON l.oid = p.prolang\n";

  bool have_where = false;
  auto where_and = [&] {
    sql += have_where ? "      AND " : "WHERE ";
    have_where = true;
  };
  if (normal && agg && proc && trigger && window) {
    // everything
  } else if (normal) {
    if (!agg) where_and(), sql += "p.prokind <> 'a'\n";
    if (!proc) where_and(), sql += "p.prokind <> 'p'\n";
    if (!trigger) where_and(), sql += "p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype\n";
    if (!window) where_and(), sql += "p.prokind <> 'w'\n";
  } else {
    bool needs_or = false;
    sql += "WHERE (\n       ";
    have_where = true;
    auto alternative = [&](const char* condition) {
      if (needs_or) sql += "       OR ";
      sql += condition;
      needs_or = true;
    };
    if (agg) alternative("p.prokind = 'a'\n");
    if (trigger) alternative("p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype\n");
    if (proc) alternative("p.prokind = 'p'\n");
    if (window) alternative("p.prokind = 'w'\n");
    sql += "      )\n";
  }
  if (!s.match(sql, pattern, have_where, kFunction) || !match_argument_types(s, sql, arg_patterns, false)) {
    return false;
  }
  if (!system && !pattern) sql += not_system_schema(true);
  s.print(s.query(sql + "ORDER BY 1, 2, 4;"), "List of functions");
  return true;
}

// \da: describeAggregates().
bool list_aggregates(Session& s, const Pattern& pattern, bool system) {
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
  if (!system && !pattern) sql += not_system_schema(true);
  return s.list(sql, pattern, true, kFunction, "ORDER BY 1, 2, 4;", "List of aggregate functions");
}

// \do: describeOperators(). One argument pattern is a prefix operator's
// right argument; two are both.
bool list_operators(Session& s, const Pattern& pattern, const std::vector<std::string>& arg_patterns,
                    bool verbose, bool system) {
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
  const std::vector<std::string> args(arg_patterns.begin(),
                                      arg_patterns.begin() + std::min<std::size_t>(arg_patterns.size(), 2));
  if (args.size() == 1) sql += type_join(0, "o.oprright");
  if (args.size() == 2) sql += type_join(0, "o.oprleft") + type_join(1, "o.oprright");
  const bool hide_system = !system && !pattern;
  if (hide_system) sql += not_system_schema(false);
  NameMatch name = schema_name("o.oprname", "pg_catalog.pg_operator_is_visible(o.oid)");
  name.force_escape = true;
  if (!s.match(sql, pattern, hide_system, name)) return false;
  if (args.size() == 1) sql += "  AND o.oprleft = 0\n";
  if (!match_argument_types(s, sql, args, true)) return false;
  s.print(s.query(sql + "ORDER BY 1, 2, 3, 4;"), "List of operators");
  return true;
}

// \dC: listCasts(); the pattern matches the source or the target type, by
// either name.
bool list_casts(Session& s, const Pattern& pattern, bool verbose) {
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
  sql += "WHERE ( (true";
  if (!s.match(sql, pattern, true,
               schema_name("ts.typname", "pg_catalog.pg_type_is_visible(ts.oid)",
                           "pg_catalog.format_type(ts.oid, NULL)", "ns.nspname"))) {
    return false;
  }
  sql += ") OR (true";
  if (!s.match(sql, pattern, true,
               schema_name("tt.typname", "pg_catalog.pg_type_is_visible(tt.oid)",
                           "pg_catalog.format_type(tt.oid, NULL)", "nt.nspname"))) {
    return false;
  }
  s.print(s.query(sql + ") )\nORDER BY 1, 2;"), "List of casts");
  return true;
}

// \dA: describeAccessMethods().
bool list_access_methods(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT amname AS \"Name\",\n"
      "  CASE amtype WHEN 'i' THEN 'Index' WHEN 't' THEN 'Table' END AS \"Type\"";
  if (verbose) {
    sql +=
        ",\n  amhandler AS \"Handler\""
        ",\n  pg_catalog.obj_description(oid, 'pg_am') AS \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_am\n";
  return s.list(sql, pattern, false, global_name("amname"), "ORDER BY 1;", "List of access methods");
}

// \dAc: listOperatorClasses().
bool list_operator_classes(Session& s, const Pattern& am, const Pattern& type, bool verbose) {
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
    sql += ",\n" + operator_family_column("of", "ofn") +
           ",\n pg_catalog.pg_get_userbyid(c.opcowner) AS \"Owner\"\n";
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
  if (!match_access_method(s, sql, am, have_where)) return false;
  if (type && !s.match(sql, type, have_where, kType)) return false;
  s.print(s.query(sql + "ORDER BY 1, 2, 4;"), "List of operator classes");
  return true;
}

// \dAf: listOperatorFamilies(); the type pattern matches any of the
// family's input types.
bool list_operator_families(Session& s, const Pattern& am, const Pattern& type, bool verbose) {
  std::string sql = "SELECT\n  am.amname AS \"AM\",\n" + operator_family_column("f", "n") +
                    ",\n"
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
  if (!match_access_method(s, sql, am, have_where)) return false;
  if (type) {
    sql += std::string("  ") + (have_where ? "AND" : "WHERE") +
           " EXISTS (\n"
           "    SELECT 1\n"
           "    FROM pg_catalog.pg_type t\n"
           "    JOIN pg_catalog.pg_opclass oc ON oc.opcintype = t.oid\n"
           "    LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace\n"
           "    WHERE oc.opcfamily = f.oid\n";
    if (!s.match(sql, type, true, kType)) return false;
    sql += "  )\n";
  }
  s.print(s.query(sql + "ORDER BY 1, 2;"), "List of operator families");
  return true;
}

// \dAo: listOpFamilyOperators().
bool list_family_operators(Session& s, const Pattern& am, const Pattern& family, bool verbose) {
  std::string sql = "SELECT\n  am.amname AS \"AM\",\n" + operator_family_column("of", "nsf") +
                    ",\n"
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
  return match_access_method(s, sql, am, have_where) &&
         s.list(sql, family, have_where, {{"nsf.nspname", "of.opfname", nullptr, nullptr}, 3},
                "ORDER BY 1, 2,\n"
                "  o.amoplefttype = o.amoprighttype DESC,\n"
                "  pg_catalog.format_type(o.amoplefttype, NULL),\n"
                "  pg_catalog.format_type(o.amoprighttype, NULL),\n"
                "  o.amopstrategy;",
                "List of operators of operator families");
}

// \dAp: listOpFamilyFunctions().
bool list_family_functions(Session& s, const Pattern& am, const Pattern& family, bool verbose) {
  std::string sql = "SELECT\n  am.amname AS \"AM\",\n" + operator_family_column("of", "ns") +
                    ",\n"
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
  return match_access_method(s, sql, am, have_where) &&
         s.list(sql, family, have_where, {{"ns.nspname", "of.opfname", nullptr, nullptr}, 3},
                "ORDER BY 1, 2,\n"
                "  ap.amproclefttype = ap.amprocrighttype DESC,\n"
                "  3, 4, 5;",
                "List of support functions of operator families");
}

}  // namespace pglite::cli::describe
