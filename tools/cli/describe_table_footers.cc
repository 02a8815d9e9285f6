// \d NAME's footers of table-like relations: indexes, constraints,
// policies, statistics, rules, publications, triggers, inheritance.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "describe_table.h"

namespace pglite::cli::describe {
namespace {

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

// "LABEL: item1," then the other items aligned under the first.
void add_labelled_list(std::vector<std::string>& footers, const std::string& label, std::size_t n,
                       const std::function<std::string(std::size_t)>& item) {
  for (std::size_t i = 0; i < n; ++i) {
    footers.push_back((i == 0 ? label + ": " : std::string(label.size() + 2, ' ')) + item(i) +
                      (i + 1 < n ? "," : ""));
  }
}

}  // namespace

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

}  // namespace pglite::cli::describe
