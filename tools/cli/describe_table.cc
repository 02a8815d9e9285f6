// \d NAME: psql's describeTableDetails() and describeOneTableDetails().
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "describe_internal.h"

namespace pglite::cli::describe {
namespace {

struct TableInfo {
  int checks = 0;
  char relkind = 0;
  bool has_index = false;
  bool has_rules = false;
  bool has_triggers = false;
  bool row_security = false;
  bool force_row_security = false;
  bool is_partition = false;
  std::string reloptions;
  std::string tablespace;  // oid, "0" for the default
  std::string reloftype;
  char persistence = 'p';
  char replident = 'd';
  std::optional<std::string> relam;
};

// Whether relkind `kind` is one of `kinds` (psql's relkind tests).
bool kind_in(char kind, std::string_view kinds) { return kinds.find(kind) != std::string_view::npos; }

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

// A rule's definition after "CREATE RULE ".
std::string rule_definition(const std::string& create_rule) {
  return create_rule.size() > 12 ? create_rule.substr(12) : create_rule;
}

// Rules and triggers are listed by how they fire: each group (group(row),
// -1 for none) under its heading, in query order within a group.
void add_grouped_footers(std::vector<std::string>& footers, const Result& r,
                         const std::vector<const char*>& headings,
                         const std::function<int(std::size_t)>& group,
                         const std::function<std::string(std::size_t)>& line) {
  for (std::size_t g = 0; g < headings.size(); ++g) {
    bool have_heading = false;
    for (std::size_t i = 0; i < r.rows(); ++i) {
      if (group(i) != static_cast<int>(g)) continue;
      if (!have_heading) footers.push_back(headings[g]);
      have_heading = true;
      footers.push_back(line(i));
    }
  }
}

// add_tablespace_footer(): the tablespace of a relation outside the default
// one, as its own footer or appended to the last one (`newline` false).
void add_tablespace_footer(Session& s, std::vector<std::string>& footers, char relkind,
                           const std::string& tablespace, bool newline) {
  if (!kind_in(relkind, "rmipIt") || tablespace.empty() || tablespace == "0") return;
  Result r =
      s.query("SELECT spcname FROM pg_catalog.pg_tablespace\nWHERE oid = " + sql_literal(tablespace) + ";");
  if (r.rows() == 0) return;
  std::string name = cell(r, 0, 0);
  if (newline) {
    footers.push_back("Tablespace: \"" + name + "\"");
  } else if (!footers.empty()) {
    footers.back() += ", tablespace \"" + name + "\"";
  }
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

// Footers of a table-like relation (psql's "Footer information about a
// table"): indexes, constraints, references, policies, statistics, rules,
// publications.
void add_table_footers(Session& s, std::vector<std::string>& footers, const std::string& oid,
                       const TableInfo& info) {
  const std::string q = sql_literal(oid);
  if (info.has_index) {
    Result r = s.query(
        "SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, "
        "pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),\n  "
        "pg_catalog.pg_get_constraintdef(con.oid, true), contype, condeferrable, condeferred, "
        "i.indisreplident, c2.reltablespace\n"
        "FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i\n"
        "  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid "
        "AND contype IN ('p','u','x'))\n"
        "WHERE c.oid = " +
        q +
        " AND c.oid = i.indrelid AND i.indexrelid = c2.oid\n"
        "ORDER BY i.indisprimary DESC, c2.relname;");
    if (r.rows() > 0) footers.push_back("Indexes:");
    for (std::size_t i = 0; i < r.rows(); ++i) {
      std::string line = "    \"" + cell(r, i, 0) + "\"";
      if (cell(r, i, 7) == "x") {
        line += " " + cell(r, i, 6);  // exclusion constraint: its definition
      } else {
        if (is_true(r, i, 1)) {
          line += " PRIMARY KEY,";
        } else if (is_true(r, i, 2)) {
          line += cell(r, i, 7) == "u" ? " UNIQUE CONSTRAINT," : " UNIQUE,";
        }
        std::string def = cell(r, i, 5);
        std::size_t using_pos = def.find(" USING ");
        if (using_pos != std::string::npos) def = def.substr(using_pos + 7);
        line += " " + def;
        if (is_true(r, i, 8)) line += " DEFERRABLE";
        if (is_true(r, i, 9)) line += " INITIALLY DEFERRED";
      }
      if (is_true(r, i, 3)) line += " CLUSTER";
      if (!is_true(r, i, 4)) line += " INVALID";
      if (is_true(r, i, 10)) line += " REPLICA IDENTITY";
      footers.push_back(line);
      add_tablespace_footer(s, footers, 'i', cell(r, i, 11), false);
    }
  }

  if (info.checks > 0) {
    Result r = s.query(
        "SELECT r.conname, pg_catalog.pg_get_constraintdef(r.oid, true)\n"
        "FROM pg_catalog.pg_constraint r\n"
        "WHERE r.conrelid = " +
        q + " AND r.contype = 'c'\nORDER BY 1;");
    add_footer_list(footers, "Check constraints:", r,
                    [&](std::size_t i) { return "    \"" + cell(r, i, 0) + "\" " + cell(r, i, 1); });
  }

  // Foreign keys (none without triggers, except on partitioned tables,
  // whose triggers are on the partitions).
  if (info.has_triggers || info.relkind == 'p') {
    std::string sql;
    if (info.is_partition || info.relkind == 'p') {
      // This table's constraints first, then those of its ancestors.
      sql = "SELECT conrelid = " + q +
            "::pg_catalog.regclass AS sametable,\n"
            "       conname,\n"
            "       pg_catalog.pg_get_constraintdef(oid, true) AS condef,\n"
            "       conrelid::pg_catalog.regclass AS ontable\n"
            "  FROM pg_catalog.pg_constraint,\n"
            "       pg_catalog.pg_partition_ancestors(" +
            q +
            ")\n"
            " WHERE conrelid = relid AND contype = 'f' AND conparentid = 0\n"
            "ORDER BY sametable DESC, conname;";
    } else {
      sql =
          "SELECT true as sametable, conname,\n"
          "  pg_catalog.pg_get_constraintdef(r.oid, true) as condef,\n"
          "  conrelid::pg_catalog.regclass AS ontable\n"
          "FROM pg_catalog.pg_constraint r\n"
          "WHERE r.conrelid = " +
          q + " AND r.contype = 'f'\n     AND conparentid = 0\nORDER BY conname";
    }
    Result r = s.query(sql);
    add_footer_list(footers, "Foreign-key constraints:", r, [&](std::size_t i) {
      const std::string name_and_def = "\"" + cell(r, i, 1) + "\" " + cell(r, i, 2);
      return cell(r, i, 0) == "f" ? "    TABLE \"" + cell(r, i, 3) + "\" CONSTRAINT " + name_and_def
                                  : "    " + name_and_def;  // an ancestor's constraint names its table
    });

    Result refs = s.query(
        "SELECT conname, conrelid::pg_catalog.regclass AS ontable,\n"
        "       pg_catalog.pg_get_constraintdef(oid, true) AS condef\n"
        "  FROM pg_catalog.pg_constraint c\n"
        " WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors(" +
        q +
        ")\n"
        "                     UNION ALL VALUES (" +
        q +
        "::pg_catalog.regclass))\n"
        "       AND contype = 'f' AND conparentid = 0\n"
        "ORDER BY conname;");
    add_footer_list(footers, "Referenced by:", refs, [&](std::size_t i) {
      return "    TABLE \"" + cell(refs, i, 1) + "\" CONSTRAINT \"" + cell(refs, i, 0) + "\" " +
             cell(refs, i, 2);
    });
  }

  // Row-level security policies.
  {
    Result r = s.query(
        "SELECT pol.polname, pol.polpermissive,\n"
        "  CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname "
        "from "
        "pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,\n"
        "  pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),\n"
        "  pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),\n"
        "  CASE pol.polcmd\n"
        "    WHEN 'r' THEN 'SELECT'\n"
        "    WHEN 'a' THEN 'INSERT'\n"
        "    WHEN 'w' THEN 'UPDATE'\n"
        "    WHEN 'd' THEN 'DELETE'\n"
        "    END AS cmd\n"
        "FROM pg_catalog.pg_policy pol\n"
        "WHERE pol.polrelid = " +
        q + " ORDER BY 1;");
    // The heading says whether row security is on, even without policies.
    const std::string heading = !info.row_security        ? "Policies (row security disabled):"
                                : info.force_row_security ? "Policies (forced row security enabled):"
                                : r.rows() > 0            ? "Policies:"
                                                          : "Policies (row security enabled):";
    if (info.row_security && r.rows() == 0) footers.push_back(heading + " (none)");
    add_footer_list(footers, heading, r, [&](std::size_t i) {
      std::string line = "    POLICY \"" + cell(r, i, 0) + "\"";
      if (cell(r, i, 1) == "f") line += " AS RESTRICTIVE";
      if (!r.is_null(i, 5)) line += " FOR " + cell(r, i, 5);
      if (!r.is_null(i, 2)) line += "\n      TO " + cell(r, i, 2);
      if (!r.is_null(i, 3)) line += "\n      USING (" + cell(r, i, 3) + ")";
      if (!r.is_null(i, 4)) line += "\n      WITH CHECK (" + cell(r, i, 4) + ")";
      return line;
    });
  }

  // Extended statistics.
  {
    Result r = s.query(
        "SELECT oid, stxrelid::pg_catalog.regclass, "
        "stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, stxname,\n"
        "pg_catalog.pg_get_statisticsobjdef_columns(oid) AS columns,\n"
        "  'd' = any(stxkind) AS ndist_enabled,\n"
        "  'f' = any(stxkind) AS deps_enabled,\n"
        "  'm' = any(stxkind) AS mcv_enabled,\n"
        "stxstattarget\n"
        "FROM pg_catalog.pg_statistic_ext\n"
        "WHERE stxrelid = " +
        q + "\nORDER BY nsp, stxname;");
    add_footer_list(footers, "Statistics objects:", r, [&](std::size_t i) {
      std::string line = "    \"" + cell(r, i, 2) + "." + cell(r, i, 3) + "\"";
      std::string kinds;
      for (std::size_t col : {5, 6, 7}) {
        static const char* const kKinds[] = {"ndistinct", "dependencies", "mcv"};
        if (is_true(r, i, col)) kinds += (kinds.empty() ? "" : ", ") + std::string(kKinds[col - 5]);
      }
      // Kinds are listed unless all are built (CREATE STATISTICS without
      // kinds) or none (statistics on a single expression).
      if (!kinds.empty() && kinds != "ndistinct, dependencies, mcv") line += " (" + kinds + ")";
      line += " ON " + cell(r, i, 4) + " FROM " + cell(r, i, 1);
      std::string target = cell(r, i, 8);
      // psql 15 knows -1 as the default; PostgreSQL 17 says NULL, which
      // psql 15 prints as an empty target. So do we (the oracle).
      if (target != "-1") line += "; STATISTICS " + target;
      return line;
    });
  }

  // Rules (a materialized view's _RETURN rule is not one to show).
  if (info.has_rules && info.relkind != 'm') {
    Result r = s.query(
        "SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true)), ev_enabled\n"
        "FROM pg_catalog.pg_rewrite r\n"
        "WHERE r.ev_class = " +
        q + " ORDER BY 1;");
    add_grouped_footers(
        footers, r, {"Rules:", "Disabled rules:", "Rules firing always:", "Rules firing on replica only:"},
        [&](std::size_t i) {
          const std::string enabled = cell(r, i, 2);
          const std::size_t group = enabled.empty() ? 0 : std::string_view("ODAR").find(enabled[0]);
          return group == std::string_view::npos ? -1 : static_cast<int>(group);
        },
        [&](std::size_t i) { return "    " + rule_definition(cell(r, i, 1)); });
  }

  // Publications.
  {
    Result r = s.query(
        "SELECT pubname\n"
        "     , NULL\n"
        "     , NULL\n"
        "FROM pg_catalog.pg_publication p\n"
        "     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n"
        "     JOIN pg_catalog.pg_class pc ON pc.relnamespace = pn.pnnspid\n"
        "WHERE pc.oid =" +
        q + " and pg_catalog.pg_relation_is_publishable(" + q +
        ")\n"
        "UNION\n"
        "SELECT pubname\n"
        "     , pg_get_expr(pr.prqual, c.oid)\n"
        "     , (CASE WHEN pr.prattrs IS NOT NULL THEN\n"
        "         (SELECT string_agg(attname, ', ')\n"
        "           FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], "
        "1)) s,\n"
        "                pg_catalog.pg_attribute\n"
        "          WHERE attrelid = pr.prrelid AND attnum = prattrs[s])\n"
        "        ELSE NULL END) FROM pg_catalog.pg_publication p\n"
        "     JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid\n"
        "     JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid\n"
        "WHERE pr.prrelid = " +
        q +
        "\n"
        "UNION\n"
        "SELECT pubname\n"
        "     , NULL\n"
        "     , NULL\n"
        "FROM pg_catalog.pg_publication p\n"
        "WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable(" +
        q + ")\nORDER BY 1;");
    add_footer_list(footers, "Publications:", r, [&](std::size_t i) {
      std::string line = "    \"" + cell(r, i, 0) + "\"";
      if (!r.is_null(i, 2)) line += " (" + cell(r, i, 2) + ")";
      if (!r.is_null(i, 1)) line += " WHERE " + cell(r, i, 1);
      return line;
    });
  }
}

void add_trigger_footers(Session& s, std::vector<std::string>& footers, const std::string& oid) {
  Result r = s.query(
      "SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled, t.tgisinternal,\n"
      "  CASE WHEN t.tgparentid != 0 THEN\n"
      "    (SELECT u.tgrelid::pg_catalog.regclass\n"
      "     FROM pg_catalog.pg_trigger AS u,\n"
      "          pg_catalog.pg_partition_ancestors(t.tgrelid) WITH ORDINALITY AS a(relid, depth)\n"
      "     WHERE u.tgname = t.tgname AND u.tgrelid = a.relid\n"
      "           AND u.tgparentid = 0\n"
      "     ORDER BY a.depth LIMIT 1)\n"
      "  END AS parent\n"
      "FROM pg_catalog.pg_trigger t\n"
      "WHERE t.tgrelid = " +
      sql_literal(oid) +
      " AND (NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D'))\n"
      "ORDER BY 1;");
  // Enabled, disabled user, disabled internal, ALWAYS and REPLICA triggers.
  add_grouped_footers(
      footers, r,
      {"Triggers:", "Disabled user triggers:", "Disabled internal triggers:", "Triggers firing always:",
       "Triggers firing on replica only:"},
      [&](std::size_t i) {
        const std::string enabled = cell(r, i, 2);
        const char e = enabled.empty() ? '\0' : enabled[0];
        if (e == 'O' || e == 't') return 0;
        if (e == 'D' || e == 'f') return is_true(r, i, 3) ? 2 : 1;  // internal ones apart
        return e == 'A' ? 3 : e == 'R' ? 4 : -1;
      },
      [&](std::size_t i) {
        std::string def = cell(r, i, 1);
        std::size_t pos = def.find(" TRIGGER ");
        if (pos != std::string::npos) def = def.substr(pos + 9);  // after "TRIGGER"
        std::string line = "    " + def;
        if (!r.is_null(i, 4)) line += ", ON TABLE " + cell(r, i, 4);
        return line;
      });
}

// "LABEL: item1," then the other items aligned under the first.
void add_labelled_list(std::vector<std::string>& footers, const std::string& label, std::size_t n,
                       const std::function<std::string(std::size_t)>& item) {
  for (std::size_t i = 0; i < n; ++i) {
    footers.push_back((i == 0 ? label + ": " : std::string(label.size() + 2, ' ')) + item(i) +
                      (i + 1 < n ? "," : ""));
  }
}

// "Inherits", child tables or partitions, typed table, replica identity,
// tablespace and access method.
void add_inheritance_footers(Session& s, std::vector<std::string>& footers, const std::string& schema,
                             const std::string& oid, const TableInfo& info, bool verbose) {
  const std::string q = sql_literal(oid);
  const bool partitioned = kind_in(info.relkind, "pI");

  if (info.relkind == 'f') {
    Result r = s.query(
        "SELECT s.srvname,\n"
        "  pg_catalog.array_to_string(ARRAY(\n"
        "    SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)\n"
        "    FROM pg_catalog.pg_options_to_table(ftoptions)),  ', ')\n"
        "FROM pg_catalog.pg_foreign_table f,\n"
        "     pg_catalog.pg_foreign_server s\n"
        "WHERE f.ftrelid = " +
        q + " AND s.oid = f.ftserver;");
    if (r.rows() > 0) {
      footers.push_back("Server: " + cell(r, 0, 0));
      std::string options = cell(r, 0, 1);
      if (!options.empty()) footers.push_back("FDW options: (" + options + ")");
    }
  }

  Result parents = s.query(
      "SELECT c.oid::pg_catalog.regclass\n"
      "FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\n"
      "WHERE c.oid = i.inhparent AND i.inhrelid = " +
      q +
      "\n"
      "  AND c.relkind != 'p' AND c.relkind != 'I'\n"
      "ORDER BY inhseqno;");
  add_labelled_list(footers, "Inherits", parents.rows(), [&](std::size_t i) { return cell(parents, i, 0); });

  Result children = s.query(
      "SELECT c.oid::pg_catalog.regclass, c.relkind, inhdetachpending, "
      "pg_catalog.pg_get_expr(c.relpartbound, c.oid)\n"
      "FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i\n"
      "WHERE c.oid = i.inhrelid AND i.inhparent = " +
      q +
      "\n"
      "ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', "
      "c.oid::pg_catalog.regclass::pg_catalog.text;");
  const std::size_t n = children.rows();
  if (partitioned && n == 0) {
    footers.push_back("Number of partitions: 0");
  } else if (!verbose) {
    if (n > 0) {
      footers.push_back((partitioned ? "Number of partitions: " : "Number of child tables: ") +
                        std::to_string(n) + " (Use \\d+ to list them.)");
    }
  } else {
    add_labelled_list(footers, partitioned ? "Partitions" : "Child tables", n, [&](std::size_t i) {
      std::string item = cell(children, i, 0);
      if (!children.is_null(i, 3)) item += " " + cell(children, i, 3);
      const std::string kind = cell(children, i, 1);
      if (kind == "p" || kind == "I") {
        item += ", PARTITIONED";
      } else if (kind == "f") {
        item += ", FOREIGN";
      }
      if (is_true(children, i, 2)) item += " (DETACH PENDING)";
      return item;
    });
  }

  if (!info.reloftype.empty()) footers.push_back("Typed table of type: " + info.reloftype);

  if (verbose && kind_in(info.relkind, "rm") && info.replident != 'i' &&
      ((schema != "pg_catalog" && info.replident != 'd') ||
       (schema == "pg_catalog" && info.replident != 'n'))) {
    footers.push_back(std::string("Replica Identity: ") + (info.replident == 'f'   ? "FULL"
                                                           : info.replident == 'n' ? "NOTHING"
                                                                                   : "???"));
  }

  add_tablespace_footer(s, footers, info.relkind, info.tablespace, true);

  if (verbose && info.relam) footers.push_back("Access method: " + *info.relam);
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

  // Per-column information: Column, Type, then Collation, Nullable and
  // Default (from five columns) where relevant, then one table column per
  // query column (`word` turns a catalog code into psql's word).
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

  std::vector<std::string> headers = {"Column", "Type"};
  if (details) headers.insert(headers.end(), {"Collation", "Nullable", "Default"});
  for (const Column& c : columns) headers.push_back(c.header);
  const std::size_t first_column = details ? 7 : 2;
  Rows rows;
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
    rows.push_back(std::move(row));
  }

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

  s.print(s.make_table(headers, rows), relation_title(kind, info.persistence == 'u', schema, name), footers,
          false);
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
