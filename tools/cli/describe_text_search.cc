// Text search: \dF (configurations), \dFp (parsers), \dFd (dictionaries),
// \dFt (templates).
#include <string>

#include "describe_internal.h"

namespace pglite::cli::describe {
namespace {

const NameMatch kConfig = schema_name("c.cfgname", "pg_catalog.pg_ts_config_is_visible(c.oid)");
const NameMatch kParser = schema_name("p.prsname", "pg_catalog.pg_ts_parser_is_visible(p.oid)");

// "schema.name", or "name" when the schema column is NULL.
std::string qualified(const Result& r, std::size_t row, std::size_t schema_col, std::size_t name_col) {
  return r.is_null(row, schema_col) ? cell(r, row, name_col)
                                    : cell(r, row, schema_col) + "." + cell(r, row, name_col);
}

// \dF+ for one configuration: its token-to-dictionaries map.
bool describe_ts_config(Session& s, const Result& configs, std::size_t i) {
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
  s.print(map,
          "Text search configuration \"" + qualified(configs, i, 2, 1) + "\"\nParser: \"" +
              qualified(configs, i, 4, 3) + "\"",
          {}, false);
  return true;
}

// \dFp+ for one parser: its functions, then its token types.
bool describe_ts_parser(Session& s, const Result& parsers, std::size_t i) {
  const std::string oid = sql_literal(cell(parsers, i, 0));
  static const char* const kMethods[][2] = {{"Start parse", "prsstart"},
                                            {"Get next token", "prstoken"},
                                            {"End parse", "prsend"},
                                            {"Get headline", "prsheadline"},
                                            {"Get token types", "prslextype"}};
  std::string methods;
  for (const auto& m : kMethods) {
    if (!methods.empty()) methods += "UNION ALL\n";
    methods += std::string("SELECT '") + m[0] + "' AS \"Method\",\n   p." + m[1] +
               "::pg_catalog.regproc AS \"Function\",\n   pg_catalog.obj_description(p." + m[1] +
               ", 'pg_proc') as \"Description\"\n FROM pg_catalog.pg_ts_parser p\n WHERE p.oid = " + oid +
               "\n";
  }
  const std::string name = qualified(parsers, i, 1, 2);
  s.print(s.query(methods), "Text search parser \"" + name + "\"", {}, false);
  s.print(s.query("SELECT t.alias as \"Token name\",\n  t.description as \"Description\"\n"
                  "FROM pg_catalog.ts_token_type( " +
                  oid + "::pg_catalog.oid ) as t\nORDER BY 1;"),
          "Token types for parser \"" + name + "\"");
  return true;
}

}  // namespace

// \dF: listTSConfigs(); \dF+: listTSConfigsVerbose().
bool list_ts_configs(Session& s, const Pattern& pattern, bool verbose) {
  if (!verbose) {
    return s.list(
        "SELECT\n"
        "   n.nspname as \"Schema\",\n"
        "   c.cfgname as \"Name\",\n"
        "   pg_catalog.obj_description(c.oid, 'pg_ts_config') as \"Description\"\n"
        "FROM pg_catalog.pg_ts_config c\n"
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace\n",
        pattern, false, kConfig, "ORDER BY 1, 2;", "List of text search configurations");
  }
  return s.describe_each(
      "SELECT c.oid, c.cfgname,\n"
      "   n.nspname,\n"
      "   p.prsname,\n"
      "   np.nspname as pnspname\n"
      "FROM pg_catalog.pg_ts_config c\n"
      "   LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace,\n"
      " pg_catalog.pg_ts_parser p\n"
      "   LEFT JOIN pg_catalog.pg_namespace np ON np.oid = p.prsnamespace\n"
      "WHERE  p.oid = c.cfgparser\n",
      pattern, true, kConfig, "ORDER BY 3, 2;", "text search configuration",
      [&](const Result& configs, std::size_t i) { return describe_ts_config(s, configs, i); });
}

// \dFp: listTSParsers(); \dFp+: listTSParsersVerbose().
bool list_ts_parsers(Session& s, const Pattern& pattern, bool verbose) {
  if (!verbose) {
    return s.list(
        "SELECT\n"
        "  n.nspname as \"Schema\",\n"
        "  p.prsname as \"Name\",\n"
        "  pg_catalog.obj_description(p.oid, 'pg_ts_parser') as \"Description\"\n"
        "FROM pg_catalog.pg_ts_parser p\n"
        "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n",
        pattern, false, kParser, "ORDER BY 1, 2;", "List of text search parsers");
  }
  return s.describe_each(
      "SELECT p.oid,\n"
      "  n.nspname,\n"
      "  p.prsname\n"
      "FROM pg_catalog.pg_ts_parser p\n"
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n",
      pattern, false, kParser, "ORDER BY 1, 2;", "text search parser",
      [&](const Result& parsers, std::size_t i) { return describe_ts_parser(s, parsers, i); });
}

// \dFd: listTSDictionaries().
bool list_ts_dictionaries(Session& s, const Pattern& pattern, bool verbose) {
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
  return s.list(sql, pattern, false, schema_name("d.dictname", "pg_catalog.pg_ts_dict_is_visible(d.oid)"),
                "ORDER BY 1, 2;", "List of text search dictionaries");
}

// \dFt: listTSTemplates().
bool list_ts_templates(Session& s, const Pattern& pattern, bool verbose) {
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
  return s.list(sql, pattern, false, schema_name("t.tmplname", "pg_catalog.pg_ts_template_is_visible(t.oid)"),
                "ORDER BY 1, 2;", "List of text search templates");
}

}  // namespace pglite::cli::describe
