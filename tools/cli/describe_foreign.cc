// Objects that reach outside the database: foreign data (\des \dew \det
// \deu) and logical replication (\dRp \dRs).
#include <string>
#include <vector>

#include "describe_internal.h"

namespace pglite::cli::describe {
namespace {

// psql's rendering of an options array, "(name 'value', ...)".
std::string options_column(const char* column) {
  return std::string(" CASE WHEN ") + column +
         " IS NULL THEN '' ELSE '(' || pg_catalog.array_to_string(ARRAY(SELECT "
         "pg_catalog.quote_ident(option_name) "
         "|| ' ' || pg_catalog.quote_literal(option_value) FROM pg_catalog.pg_options_to_table(" +
         column + ")), ', ') || ')' END AS \"FDW options\"";
}

}  // namespace

// \des: listForeignServers().
bool list_foreign_servers(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT s.srvname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(s.srvowner) AS \"Owner\",\n"
      "  f.fdwname AS \"Foreign-data wrapper\"";
  if (verbose) {
    sql += ",\n  " + acl_column("s.srvacl") +
           ",\n  s.srvtype AS \"Type\""
           ",\n  s.srvversion AS \"Version\",\n " +
           options_column("srvoptions") + ",\n  d.description AS \"Description\"";
  }
  sql +=
      "\nFROM pg_catalog.pg_foreign_server s\n"
      "     JOIN pg_catalog.pg_foreign_data_wrapper f ON f.oid=s.srvfdw\n";
  if (verbose) {
    sql +=
        "LEFT JOIN pg_catalog.pg_description d\n"
        "       ON d.classoid = s.tableoid AND d.objoid = s.oid AND d.objsubid = 0\n";
  }
  return s.list(sql, pattern, false, global_name("s.srvname"), "ORDER BY 1;", "List of foreign servers");
}

// \dew: listForeignDataWrappers().
bool list_foreign_data_wrappers(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT fdw.fdwname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(fdw.fdwowner) AS \"Owner\",\n"
      "  fdw.fdwhandler::pg_catalog.regproc AS \"Handler\",\n"
      "  fdw.fdwvalidator::pg_catalog.regproc AS \"Validator\"";
  if (verbose) {
    sql += ",\n  " + acl_column("fdwacl") + ",\n" + options_column("fdwoptions") +
           ",\n  d.description AS \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_foreign_data_wrapper fdw\n";
  if (verbose) {
    sql +=
        "LEFT JOIN pg_catalog.pg_description d\n"
        "       ON d.classoid = fdw.tableoid AND d.objoid = fdw.oid AND d.objsubid = 0\n";
  }
  return s.list(sql, pattern, false, global_name("fdwname"), "ORDER BY 1;", "List of foreign-data wrappers");
}

// \det: listForeignTables().
bool list_foreign_tables(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT n.nspname AS \"Schema\",\n"
      "  c.relname AS \"Table\",\n"
      "  s.srvname AS \"Server\"";
  if (verbose) sql += ",\n" + options_column("ftoptions") + ",\n  d.description AS \"Description\"";
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
  return s.list(sql, pattern, false, schema_name("c.relname", "pg_catalog.pg_table_is_visible(c.oid)"),
                "ORDER BY 1, 2;", "List of foreign tables");
}

// \deu: listUserMappings(); the pattern matches the server or the user.
bool list_user_mappings(Session& s, const Pattern& pattern, bool verbose) {
  std::string sql =
      "SELECT um.srvname AS \"Server\",\n"
      "  um.usename AS \"User name\"";
  if (verbose) sql += ",\n" + options_column("umoptions");
  sql += "\nFROM pg_catalog.pg_user_mappings um\n";
  return s.list(sql, pattern, false, {{nullptr, "um.srvname", "um.usename", nullptr}, 1}, "ORDER BY 1, 2;",
                "List of user mappings");
}

// \dRp: listPublications().
bool list_publications(Session& s, const Pattern& pattern) {
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
  return s.list(sql, pattern, false, global_name("pubname"), "ORDER BY 1;", "List of publications");
}

namespace {

// \dRp+'s footers: the tables of a publication not FOR ALL TABLES, and its
// schemas.
std::vector<std::string> publication_footers(Session& s, const std::string& oid) {
  std::vector<std::string> footers;
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
  add_footer_list(footers, "Tables:", tables, [&](std::size_t t) {
    std::string line = "    \"" + cell(tables, t, 0) + "." + cell(tables, t, 1) + "\"";
    if (!tables.is_null(t, 3)) line += " (" + cell(tables, t, 3) + ")";
    if (!tables.is_null(t, 2)) line += " WHERE " + cell(tables, t, 2);
    return line;
  });
  Result schemas = s.query(
      "SELECT n.nspname\n"
      "FROM pg_catalog.pg_namespace n\n"
      "     JOIN pg_catalog.pg_publication_namespace pn ON n.oid = pn.pnnspid\n"
      "WHERE pn.pnpubid = " +
      oid + "\nORDER BY 1");
  add_footer_list(footers, "Tables from schemas:", schemas,
                  [&](std::size_t t) { return "    \"" + cell(schemas, t, 0) + "\""; });
  return footers;
}

}  // namespace

// \dRp+: describePublications(), one table per publication.
bool describe_publications(Session& s, const Pattern& pattern) {
  const std::string sql =
      "SELECT oid, pubname,\n"
      "  pg_catalog.pg_get_userbyid(pubowner) AS owner,\n"
      "  puballtables, pubinsert, pubupdate, pubdelete, pubtruncate, pubviaroot\n"
      "FROM pg_catalog.pg_publication\n";
  return s.describe_each(
      sql, pattern, false, global_name("pubname"), "ORDER BY 2;", "publication",
      [&](const Result& pubs, std::size_t i) {
        std::vector<std::optional<std::string>> row;
        for (std::size_t c = 2; c <= 8; ++c) row.push_back(cell(pubs, i, c));
        std::vector<std::string> footers;
        if (!is_true(pubs, i, 3)) footers = publication_footers(s, sql_literal(cell(pubs, i, 0)));
        s.print(s.make_table(
                    {"Owner", "All tables", "Inserts", "Updates", "Deletes", "Truncates", "Via root"}, {row}),
                "Publication " + cell(pubs, i, 1), footers, false);
        return true;
      });
}

// \dRs: describeSubscriptions(), those of the current database.
bool list_subscriptions(Session& s, const Pattern& pattern, bool verbose) {
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
  return s.list(sql, pattern, true, global_name("subname"), "ORDER BY 1;", "List of subscriptions");
}

}  // namespace pglite::cli::describe
