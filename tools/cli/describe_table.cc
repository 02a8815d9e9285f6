// \d NAME: psql's describeTableDetails() and describeOneTableDetails().
#include "describe_table.h"

#include <cstdlib>
#include <string>
#include <vector>

namespace pglite::cli::describe {
namespace {

// psql's title for a relation of `kind`: Table "schema.name" and the like.
std::string relation_title(char kind, bool unlogged, const std::string& schema, const std::string& name) {
  static const struct {
    char kind;
    const char* title;
    const char* unlogged_title;  // nullptr: the same
  } kTitles[] = {
      {'r', "Table", "Unlogged table"},
      {'v', "View", nullptr},
      {'m', "Materialized view", "Unlogged materialized view"},
      {'i', "Index", "Unlogged index"},
      {'I', "Partitioned index", "Unlogged partitioned index"},
      {'t', "TOAST table", nullptr},
      {'c', "Composite type", nullptr},
      {'f', "Foreign table", nullptr},
      {'p', "Partitioned table", "Unlogged partitioned table"},
      {'S', "Sequence", "Unlogged sequence"},
  };
  std::string title = "?" + std::string(1, kind) + "?";
  for (const auto& t : kTitles) {
    if (t.kind == kind) title = unlogged && t.unlogged_title ? t.unlogged_title : t.title;
  }
  return title + " \"" + schema + "." + name + "\"";
}

bool describe_sequence(Session& s, const std::string& schema, const std::string& name, const std::string& oid,
                       const TableInfo& info) {
  Result r = s.query(
      "SELECT pg_catalog.format_type(seqtypid, NULL) AS \"Type\",\n"
      "       seqstart AS \"Start\",\n"
      "       seqmin AS \"Minimum\",\n"
      "       seqmax AS \"Maximum\",\n"
      "       seqincrement AS \"Increment\",\n"
      "       CASE WHEN seqcycle THEN 'yes' ELSE 'no' END AS \"Cycles?\",\n"
      "       seqcache AS \"Cache\"\n"
      "FROM pg_catalog.pg_sequence\n"
      "WHERE seqrelid = " +
      sql_literal(oid) + ";");
  // The column that owns the sequence.
  Result owner = s.query(
      "SELECT pg_catalog.quote_ident(nspname) || '.' ||\n"
      "   pg_catalog.quote_ident(relname) || '.' ||\n"
      "   pg_catalog.quote_ident(attname),\n"
      "   d.deptype\n"
      "FROM pg_catalog.pg_class c\n"
      "INNER JOIN pg_catalog.pg_depend d ON c.oid=d.refobjid\n"
      "INNER JOIN pg_catalog.pg_namespace n ON n.oid=c.relnamespace\n"
      "INNER JOIN pg_catalog.pg_attribute a ON (\n"
      " a.attrelid=c.oid AND\n"
      " a.attnum=d.refobjsubid)\n"
      "WHERE d.classid='pg_catalog.pg_class'::pg_catalog.regclass\n"
      " AND d.refclassid='pg_catalog.pg_class'::pg_catalog.regclass\n"
      " AND d.objid=" +
      sql_literal(oid) + "\n AND d.deptype IN ('a', 'i')");
  std::vector<std::string> footers;
  if (owner.rows() == 1) {
    std::string type = cell(owner, 0, 1);
    if (type == "a") footers.push_back("Owned by: " + cell(owner, 0, 0));
    if (type == "i") footers.push_back("Sequence for identity column: " + cell(owner, 0, 0));
  }
  s.print(r, relation_title('S', info.persistence == 'u', schema, name), footers, false);
  return true;
}

// \d NAME's table, a row per attribute: Column, Type, then Collation,
// Nullable and Default (from five query columns) where relevant, then one
// table column per further query column (`word` turns a catalog code into
// psql's word). `q` is the relation's quoted oid.
struct ColumnTable {
  std::vector<std::string> headers;
  Rows rows;
};
ColumnTable describe_columns(Session& s, char kind, const std::string& q, bool verbose) {
  const bool details = kind_in(kind, "rvmfcp"), index = kind_in(kind, "iI");
  struct Column {
    std::string sql;
    const char* header;
    std::string (*word)(const std::string& code) = nullptr;
  };
  std::vector<Column> columns;
  if (index) {
    columns.push_back(
        {"CASE WHEN a.attnum <= (SELECT i.indnkeyatts FROM pg_catalog.pg_index i WHERE "
         "i.indexrelid = " +
             q + ") THEN 'yes' ELSE 'no' END AS is_key",
         "Key?"});
    columns.push_back({"pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, TRUE) AS indexdef", "Definition"});
  }
  if (kind == 'f') {
    columns.push_back(
        {"CASE WHEN attfdwoptions IS NULL THEN '' ELSE "
         "  '(' || pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) "
         "|| ' ' || pg_catalog.quote_literal(option_value)  FROM "
         "pg_catalog.pg_options_to_table(attfdwoptions)), ', ') || ')' END AS attfdwoptions",
         "FDW options"});
  }
  if (verbose) {
    columns.push_back({"a.attstorage", "Storage", [](const std::string& c) -> std::string {
                         return c == "p"   ? "plain"
                                : c == "m" ? "main"
                                : c == "x" ? "extended"
                                : c == "e" ? "external"
                                           : "???";
                       }});
    if (kind_in(kind, "rpm")) {
      columns.push_back(
          {"a.attcompression AS attcompression", "Compression", [](const std::string& c) -> std::string {
             return c == "p" ? "pglz" : c == "l" ? "lz4" : c.empty() ? "" : "???";
           }});
    }
    if (kind_in(kind, "riImfp")) {
      columns.push_back({"CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget",
                         "Stats target"});
    }
    if (details) columns.push_back({"pg_catalog.col_description(a.attrelid, a.attnum)", "Description"});
  }
  std::string sql = "SELECT a.attname,\n  pg_catalog.format_type(a.atttypid, a.atttypmod)";
  if (details) {
    // "pretty" expressions avoid excess parentheses.
    sql +=
        ",\n  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)"
        "\n   FROM pg_catalog.pg_attrdef d"
        "\n   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef)"
        ",\n  a.attnotnull"
        ",\n  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t\n"
        "   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS "
        "attcollation"
        ",\n  a.attidentity"
        ",\n  a.attgenerated";
  }
  for (const Column& c : columns) sql += ",\n  " + c.sql;
  sql += "\nFROM pg_catalog.pg_attribute a\nWHERE a.attrelid = " + q +
         " AND a.attnum > 0 AND NOT a.attisdropped\nORDER BY a.attnum;";
  Result attrs = s.query(sql);

  ColumnTable table;
  table.headers = {"Column", "Type"};
  if (details) table.headers.insert(table.headers.end(), {"Collation", "Nullable", "Default"});
  for (const Column& c : columns) table.headers.push_back(c.header);
  const std::size_t first_column = details ? 7 : 2;
  for (std::size_t i = 0; i < attrs.rows(); ++i) {
    std::vector<std::optional<std::string>> row = {cell(attrs, i, 0), cell(attrs, i, 1)};
    if (details) {
      const std::string def = cell(attrs, i, 2), identity = cell(attrs, i, 5), generated = cell(attrs, i, 6);
      row.push_back(cell(attrs, i, 4));
      row.push_back(is_true(attrs, i, 3) ? "not null" : "");
      row.push_back(identity == "a"    ? "generated always as identity"
                    : identity == "d"  ? "generated by default as identity"
                    : generated == "s" ? "generated always as (" + def + ") stored"
                                       : def);
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string value = cell(attrs, i, first_column + c);
      row.push_back(columns[c].word ? columns[c].word(value) : value);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

bool describe_one_table(Session& s, const std::string& schema, const std::string& name,
                        const std::string& oid, bool verbose) {
  const std::string q = sql_literal(oid);
  Result t = s.query(
      "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, "
      "c.relforcerowsecurity, false AS relhasoids, c.relispartition, "
      "pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from "
      "pg_catalog.unnest(tc.reloptions) x), ', ')\n"
      ", c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE "
      "c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, am.amname\n"
      "FROM pg_catalog.pg_class c\n"
      " LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n"
      "LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)\n"
      "WHERE c.oid = " +
      q + ";");
  if (t.rows() == 0) {
    s.error("Did not find any relation with OID " + oid + ".");
    return false;
  }
  TableInfo info;
  info.checks = std::atoi(cell(t, 0, 0).c_str());
  info.relkind = cell(t, 0, 1).empty() ? '\0' : cell(t, 0, 1)[0];
  info.has_index = is_true(t, 0, 2);
  info.has_rules = is_true(t, 0, 3);
  info.has_triggers = is_true(t, 0, 4);
  info.row_security = is_true(t, 0, 5);
  info.force_row_security = is_true(t, 0, 6);
  info.is_partition = is_true(t, 0, 8);
  info.reloptions = cell(t, 0, 9);
  info.tablespace = cell(t, 0, 10);
  info.reloftype = cell(t, 0, 11);
  info.persistence = cell(t, 0, 12).empty() ? 'p' : cell(t, 0, 12)[0];
  info.replident = cell(t, 0, 13).empty() ? 'd' : cell(t, 0, 13)[0];
  if (!t.is_null(0, 14)) info.relam = cell(t, 0, 14);
  const char kind = info.relkind;

  if (kind == 'S') return describe_sequence(s, schema, name, oid, info);

  const bool index = kind_in(kind, "iI");
  const ColumnTable columns = describe_columns(s, kind, q, verbose);

  std::vector<std::string> footers;
  if (info.is_partition) {
    std::string part_sql =
        "SELECT inhparent::pg_catalog.regclass,\n"
        "  pg_catalog.pg_get_expr(c.relpartbound, c.oid),\n  inhdetachpending";
    if (verbose) part_sql += ",\n  pg_catalog.pg_get_partition_constraintdef(c.oid)";
    part_sql +=
        "\nFROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i ON c.oid = inhrelid\nWHERE c.oid = " + q +
        ";";
    Result r = s.query(part_sql);
    if (r.rows() > 0) {
      footers.push_back("Partition of: " + cell(r, 0, 0) + " " + cell(r, 0, 1) +
                        (is_true(r, 0, 2) ? " DETACH PENDING" : ""));
      if (verbose) {
        std::string constraint = cell(r, 0, 3);
        footers.push_back(constraint.empty() ? "No partition constraint"
                                             : "Partition constraint: " + constraint);
      }
    }
  }
  if (kind == 'p') {
    Result r = s.query("SELECT pg_catalog.pg_get_partkeydef(" + q + "::pg_catalog.oid);");
    if (r.rows() == 1) footers.push_back("Partition key: " + cell(r, 0, 0));
  }
  if (kind == 't') {
    Result r = s.query(
        "SELECT n.nspname, c.relname\n"
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
        "WHERE reltoastrelid = " +
        q + ";");
    if (r.rows() == 1) footers.push_back("Owning table: \"" + cell(r, 0, 0) + "." + cell(r, 0, 1) + "\"");
  }

  if (index) {
    Result r = s.query(
        "SELECT i.indisunique, i.indisprimary, i.indisclustered, i.indisvalid,\n"
        "  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = "
        "i.indrelid AND "
        "conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferrable) AS condeferrable,\n"
        "  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = "
        "i.indrelid AND "
        "conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferred) AS condeferred,\n"
        "i.indisreplident,\n"
        "i.indnullsnotdistinct,\n"
        "  a.amname, c2.relname, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)\n"
        "FROM pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_am a\n"
        "WHERE i.indexrelid = c.oid AND c.oid = " +
        q + " AND c.relam = a.oid\nAND i.indrelid = c2.oid;");
    if (r.rows() != 1) return false;
    std::string line;
    if (is_true(r, 0, 1)) {
      line = "primary key, ";
    } else if (is_true(r, 0, 0)) {
      line = "unique";
      if (is_true(r, 0, 7)) line += " nulls not distinct";
      line += ", ";
    }
    line += cell(r, 0, 8) + ", ";
    line += "for table \"" + schema + "." + cell(r, 0, 9) + "\"";  // index and table share the schema
    std::string predicate = cell(r, 0, 10);
    if (!predicate.empty()) line += ", predicate (" + predicate + ")";
    if (is_true(r, 0, 2)) line += ", clustered";
    if (!is_true(r, 0, 3)) line += ", invalid";
    if (is_true(r, 0, 4)) line += ", deferrable";
    if (is_true(r, 0, 5)) line += ", initially deferred";
    if (is_true(r, 0, 6)) line += ", replica identity";
    footers.push_back(line);
    if (kind == 'i') add_tablespace_footer(s, footers, kind, info.tablespace, true);
  }
  const bool table_like = kind_in(kind, "rmfpIt");
  if (table_like && !index) add_table_footers(s, footers, oid, info);

  if (kind_in(kind, "vm") && verbose) {
    Result r = s.query("SELECT pg_catalog.pg_get_viewdef(" + q + "::pg_catalog.oid, true);");
    if (r.rows() > 0) {
      footers.push_back("View definition:");
      footers.push_back(cell(r, 0, 0));
      if (info.has_rules) {
        Result rules = s.query(
            "SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true))\n"
            "FROM pg_catalog.pg_rewrite r\n"
            "WHERE r.ev_class = " +
            q + " AND r.rulename != '_RETURN' ORDER BY 1;");
        add_footer_list(footers, "Rules:", rules,
                        [&](std::size_t i) { return " " + rule_definition(cell(rules, i, 1)); });
      }
    }
  }

  if (info.has_triggers) add_trigger_footers(s, footers, oid);

  if (table_like) add_inheritance_footers(s, footers, schema, oid, info, verbose);

  if (verbose && !info.reloptions.empty()) footers.push_back("Options: " + info.reloptions);

  s.print(s.make_table(columns.headers, columns.rows),
          relation_title(kind, info.persistence == 'u', schema, name), footers, false);
  return true;
}

}  // namespace

bool describe_table_details(Session& s, const Pattern& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT c.oid,\n"
      "  n.nspname,\n"
      "  c.relname\n"
      "FROM pg_catalog.pg_class c\n"
      "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n";
  const bool hide_system = !system && !pattern;
  if (hide_system) sql += not_system_schema(false);
  return s.describe_each(sql, pattern, hide_system,
                         schema_name("c.relname", "pg_catalog.pg_table_is_visible(c.oid)"), "ORDER BY 2, 3;",
                         "relation", [&](const Result& relations, std::size_t i) {
                           return describe_one_table(s, cell(relations, i, 1), cell(relations, i, 2),
                                                     cell(relations, i, 0), verbose);
                         });
}

}  // namespace pglite::cli::describe
