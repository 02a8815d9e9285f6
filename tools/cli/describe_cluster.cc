// The database cluster's and the database's own objects: \l \dn \du (\dg)
// \drds \db \dL \dx \dy.
#include <cstdlib>
#include <string>
#include <vector>

#include "describe_internal.h"

namespace pglite::cli::describe {

// \l: listAllDbs(). psql 15's query reads pg_database.daticulocale, which
// PostgreSQL 17 renamed datlocale: the same columns from the new name.
bool list_databases(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT d.datname as \"Name\",\n"
      "       pg_catalog.pg_get_userbyid(d.datdba) as \"Owner\",\n"
      "       pg_catalog.pg_encoding_to_char(d.encoding) as \"Encoding\",\n"
      "       d.datcollate as \"Collate\",\n"
      "       d.datctype as \"Ctype\",\n"
      "       d.datlocale as \"ICU Locale\",\n"
      "       CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Locale Provider\",\n"
      "       " +
      acl_column("d.datacl");
  if (verbose) {
    sql +=
        ",\n       CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')\n"
        "            THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))\n"
        "            ELSE 'No Access'\n"
        "       END as \"Size\""
        ",\n       t.spcname as \"Tablespace\""
        ",\n       pg_catalog.shobj_description(d.oid, 'pg_database') as \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_database d\n";
  if (verbose) sql += "  JOIN pg_catalog.pg_tablespace t on d.dattablespace = t.oid\n";
  return s.list(sql, pattern, false, global_name("d.datname"), "ORDER BY 1;", "List of databases");
}

// \dn: listSchemas(); with a pattern, the schema's publications too.
bool list_schemas(Session& s, const Pattern& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT n.nspname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"";
  if (verbose) {
    sql += ",\n  " + acl_column("n.nspacl");
    sql += ",\n  pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_namespace n\n";
  const bool hide_system = !system && !pattern;
  if (hide_system) sql += "WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n";
  if (!s.match(sql, pattern, hide_system, global_name("n.nspname", 2))) return false;
  Result r = s.query(sql + "ORDER BY 1;");
  std::vector<std::string> footers;
  if (pattern) {
    // psql compares the pattern text verbatim here.
    Result pubs = s.query(
        "SELECT pubname \n"
        "FROM pg_catalog.pg_publication p\n"
        "     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n"
        "     JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid \n"
        "WHERE n.nspname = " +
        sql_literal(*pattern) + "\nORDER BY 1");
    add_footer_list(footers, "Publications:", pubs,
                    [&](std::size_t i) { return "    \"" + cell(pubs, i, 0) + "\""; });
  }
  s.print(r, "List of schemas", footers, footers.empty());
  return true;
}

// \du and \dg: describeRoles(), whose attributes psql words client-side.
bool list_roles(Session& s, const Pattern& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT r.rolname, r.rolsuper, r.rolinherit,\n"
      "  r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,\n"
      "  r.rolconnlimit, r.rolvaliduntil,\n"
      "  ARRAY(SELECT b.rolname\n"
      "        FROM pg_catalog.pg_auth_members m\n"
      "        JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)\n"
      "        WHERE m.member = r.oid) as memberof";
  if (verbose) sql += "\n, pg_catalog.shobj_description(r.oid, 'pg_authid') AS description";
  sql += "\n, r.rolreplication\n, r.rolbypassrls\nFROM pg_catalog.pg_roles r\n";
  if (!system && !pattern) sql += "WHERE r.rolname !~ '^pg_'\n";
  if (!s.match(sql, pattern, false, global_name("r.rolname"))) return false;
  Result r = s.query(sql + "ORDER BY 1;");

  // An attribute is listed when its column is `when`.
  static const struct {
    const char* column;
    bool when;
    const char* attribute;
  } kAttributes[] = {
      {"rolsuper", true, "Superuser"},        {"rolinherit", false, "No inheritance"},
      {"rolcreaterole", true, "Create role"}, {"rolcreatedb", true, "Create DB"},
      {"rolcanlogin", false, "Cannot login"}, {"rolreplication", true, "Replication"},
      {"rolbypassrls", true, "Bypass RLS"},
  };
  Rows rows;
  for (std::size_t i = 0; i < r.rows(); ++i) {
    std::string attrs;
    for (const auto& a : kAttributes) {
      if (is_true(r, i, r.column_index(a.column)) != a.when) continue;
      attrs += (attrs.empty() ? "" : ", ") + std::string(a.attribute);
    }
    auto add_line = [&](const std::string& line) { attrs += (attrs.empty() ? "" : "\n") + line; };
    const int conns = std::atoi(cell(r, i, 6).c_str());
    if (conns == 0) add_line("No connections");
    if (conns > 0) add_line(std::to_string(conns) + (conns == 1 ? " connection" : " connections"));
    if (!cell(r, i, 7).empty()) add_line("Password valid until " + cell(r, i, 7));
    rows.push_back({cell(r, i, 0), attrs, cell(r, i, 8)});
    if (verbose) rows.back().push_back(cell(r, i, 9));
  }
  std::vector<std::string> headers = {"Role name", "Attributes", "Member of"};
  if (verbose) headers.push_back("Description");
  s.print(s.make_table(headers, rows), "List of roles", {}, false);
  return true;
}

// \drds: listDbRoleSettings().
bool list_role_settings(Session& s, const Pattern& role, const Pattern& database) {
  std::string sql =
      "SELECT rolname AS \"Role\", datname AS \"Database\",\n"
      "pg_catalog.array_to_string(setconfig, E'\\n') AS \"Settings\"\n"
      "FROM pg_catalog.pg_db_role_setting s\n"
      "LEFT JOIN pg_catalog.pg_database d ON d.oid = setdatabase\n"
      "LEFT JOIN pg_catalog.pg_roles r ON r.oid = setrole\n";
  bool have_where = false;
  if (!s.match(sql, role, false, global_name("r.rolname"), &have_where) ||
      !s.match(sql, database, have_where, global_name("d.datname"))) {
    return false;
  }
  Result r = s.query(sql + "ORDER BY 1, 2;");
  if (r.rows() > 0) {
    s.print(r, "List of settings");
  } else if (role && database) {
    s.error("Did not find any settings for role \"" + *role + "\" and database \"" + *database + "\".");
  } else if (role) {
    s.error("Did not find any settings for role \"" + *role + "\".");
  } else {
    s.error("Did not find any settings.");
  }
  return true;
}

// \db: describeTablespaces().
bool list_tablespaces(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT spcname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(spcowner) AS \"Owner\",\n"
      "  pg_catalog.pg_tablespace_location(oid) AS \"Location\"";
  if (verbose) {
    sql += ",\n  " + acl_column("spcacl") +
           ",\n  spcoptions AS \"Options\""
           ",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_tablespace_size(oid)) AS \"Size\""
           ",\n  pg_catalog.shobj_description(oid, 'pg_tablespace') AS \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_tablespace\n";
  return s.list(sql, pattern, false, global_name("spcname"), "ORDER BY 1;", "List of tablespaces");
}

// \dL: listLanguages(). Without S or a pattern, only procedural languages.
bool list_languages(Session& s, const Pattern& pattern, bool verbose, bool system) {
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
        acl_column("l.lanacl");
  }
  sql +=
      ",\n       d.description AS \"Description\"\n"
      "FROM pg_catalog.pg_language l\n"
      "LEFT JOIN pg_catalog.pg_description d\n"
      "  ON d.classoid = l.tableoid AND d.objoid = l.oid\n"
      "  AND d.objsubid = 0\n";
  if (!s.match(sql, pattern, false, global_name("l.lanname", 2))) return false;
  if (!system && !pattern) sql += "WHERE l.lanplcallfoid != 0\n";
  s.print(s.query(sql + "ORDER BY 1;"), "List of languages");
  return true;
}

// \dx: listExtensions().
bool list_extensions(Session& s, const Pattern& pattern) {
  std::string sql =
      "SELECT e.extname AS \"Name\", e.extversion AS \"Version\", n.nspname AS \"Schema\", "
      "c.description AS \"Description\"\n"
      "FROM pg_catalog.pg_extension e "
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
      "LEFT JOIN pg_catalog.pg_description c ON c.objoid = e.oid "
      "AND c.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass\n";
  return s.list(sql, pattern, false, global_name("e.extname"), "ORDER BY 1;", "List of installed extensions");
}

// \dx+: listExtensionContents(), the objects of each extension.
bool describe_extensions(Session& s, const Pattern& pattern) {
  return s.describe_each(
      "SELECT e.extname, e.oid\nFROM pg_catalog.pg_extension e\n", pattern, false, global_name("e.extname"),
      "ORDER BY 1;", "extension", [&](const Result& extensions, std::size_t i) {
        Result objects = s.query(
            "SELECT pg_catalog.pg_describe_object(classid, objid, 0) AS \"Object description\"\n"
            "FROM pg_catalog.pg_depend\n"
            "WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND refobjid = " +
            sql_literal(cell(extensions, i, 1)) + " AND deptype = 'e'\nORDER BY 1;");
        s.print(objects, "Objects in extension \"" + cell(extensions, i, 0) + "\"");
        return true;
      });
}

// \dy: listEventTriggers().
bool list_event_triggers(Session& s, const Pattern& pattern, bool verbose) {
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
  return s.list(sql, pattern, false, global_name("evtname"), "ORDER BY 1", "List of event triggers");
}

}  // namespace pglite::cli::describe
