#include "describe.h"

#include <strings.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "describe_internal.h"
#include "pglite/sql_quote.h"

namespace pglite::cli {
namespace describe {

std::string cell(const Result& result, std::size_t row, std::size_t col) {
  return std::string(result.value(row, col).value_or(""));
}

bool is_true(const Result& result, std::size_t row, std::size_t col) { return cell(result, row, col) == "t"; }

Session::Session(Database& db, const PrintSettings& settings, std::ostream& out, std::ostream& err)
    : db_(db), settings_(settings), out_(out), err_(err) {
  settings_.null_display.clear();  // psql's describe commands set nullPrint = NULL
}

// The tables psql assembles client-side (\du's attributes, \d NAME's
// columns) go through a VALUES query: a Result only comes from the database.
Result Session::make_table(const std::vector<std::string>& headers,
                           const std::vector<std::vector<std::optional<std::string>>>& rows) {
  std::string sql = "SELECT * FROM (VALUES ";
  std::vector<Param> params;
  auto text_row = [&](const std::vector<std::optional<std::string>>* row) {
    sql += '(';
    for (std::size_t c = 0; c < headers.size(); ++c) {
      if (c > 0) sql += ", ";
      if (row == nullptr) {
        sql += "NULL::text";
        continue;
      }
      params.emplace_back(c < row->size() && (*row)[c] ? Param(*(*row)[c]) : Param());
      sql += "$" + std::to_string(params.size()) + "::text";
    }
    sql += ')';
  };
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r > 0) sql += ", ";
    text_row(&rows[r]);
  }
  if (rows.empty()) text_row(nullptr);
  sql += ") AS t(";
  for (std::size_t c = 0; c < headers.size(); ++c) sql += (c > 0 ? ", " : "") + quote_identifier(headers[c]);
  sql += ")";
  if (rows.empty()) sql += " LIMIT 0";
  return db_.query(sql, params);
}

Result Session::query(const std::string& sql) {
  last_sql_ = sql;
  return db_.exec(sql);
}

void Session::print(const Result& result, const std::string& title, const std::vector<std::string>& footers,
                    bool row_count) {
  TableDecoration decoration;
  decoration.title = title;
  decoration.footers = footers;
  decoration.row_count = row_count;
  print_table(out_, result, settings_, decoration);
}

void Session::error(const std::string& message) {
  out_.flush();
  err_ << message << "\n";
  err_.flush();
}

bool Session::validate_pattern(std::string& sql, const std::optional<std::string>& pattern, bool have_where,
                               bool force_escape, const PatternColumns& columns, int max_parts,
                               bool* added_clause) {
  PatternRegex regex;
  bool added = process_name_pattern(sql, pattern, have_where, force_escape, columns, &regex);
  if (added_clause != nullptr) *added_clause = added;
  if (regex.dots >= max_parts) {
    error("improper qualified name (too many dotted names): " + *pattern);
    return false;
  }
  if (max_parts > 1 && regex.dots == max_parts - 1) {
    if (!database_) database_ = cell(query("SELECT pg_catalog.current_database()"), 0, 0);
    if (*database_ != regex.database) {
      error("cross-database references are not implemented: " + *pattern);
      return false;
    }
  }
  return true;
}

namespace {

constexpr const char* kNotSystemSchema =
    "      AND n.nspname <> 'pg_catalog'\n"
    "      AND n.nspname <> 'information_schema'\n";

std::string acl_column(const char* column) {
  return std::string("pg_catalog.array_to_string(") + column + ", E'\\n') AS \"Access privileges\"";
}

// \d with no pattern, \dt \di \dv \dm \ds \dE and their combinations:
// psql's listTables(). `kinds` is the command after "\d".
bool list_tables(Session& s, std::string_view kinds, const std::optional<std::string>& pattern, bool verbose,
                 bool system) {
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
  if (indexes) {
    sql +=
        "\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
        "\n     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid";
  }
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
  if (!system && !pattern) {
    sql +=
        "      AND n.nspname <> 'pg_catalog'\n"
        "      AND n.nspname !~ '^pg_toast'\n"
        "      AND n.nspname <> 'information_schema'\n";
  }
  if (!s.validate_pattern(sql, pattern, true, false,
                          {"n.nspname", "c.relname", nullptr, "pg_catalog.pg_table_is_visible(c.oid)"}, 3)) {
    return false;
  }
  sql += "ORDER BY 1,2;";
  Result r = s.query(sql);
  // psql 15 says "relation(s)" whatever the kinds asked for.
  if (r.rows() == 0) {
    s.error(pattern ? "Did not find any relation named \"" + *pattern + "\"."
                    : "Did not find any relations.");
    return true;
  }
  s.print(r, "List of relations");
  return true;
}

// \dn: listSchemas().
bool list_schemas(Session& s, const std::optional<std::string>& pattern, bool verbose, bool system) {
  std::string sql =
      "SELECT n.nspname AS \"Name\",\n"
      "  pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"";
  if (verbose) {
    sql += ",\n  " + acl_column("n.nspacl");
    sql += ",\n  pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\"";
  }
  sql += "\nFROM pg_catalog.pg_namespace n\n";
  if (!system && !pattern) sql += "WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n";
  if (!s.validate_pattern(sql, pattern, !system && !pattern, false, {nullptr, "n.nspname", nullptr, nullptr},
                          2)) {
    return false;
  }
  sql += "ORDER BY 1;";
  Result r = s.query(sql);
  std::vector<std::string> footers;
  if (pattern) {
    // Publications of the schema (psql compares the pattern text verbatim).
    Result pubs = s.query(
        "SELECT pubname \n"
        "FROM pg_catalog.pg_publication p\n"
        "     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n"
        "     JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid \n"
        "WHERE n.nspname = " +
        sql_literal(*pattern) + "\nORDER BY 1");
    if (pubs.rows() > 0) {
      footers.push_back("Publications:");
      for (std::size_t i = 0; i < pubs.rows(); ++i) footers.push_back("    \"" + cell(pubs, i, 0) + "\"");
    }
  }
  s.print(r, "List of schemas", footers, footers.empty());
  return true;
}

}  // namespace

std::string map_typename_pattern(const std::string& pattern) {
  static const char* const kMap[][2] = {
      {"decimal", "numeric"},
      {"float", "double precision"},
      {"int", "integer"},
      {"bool[]", "boolean[]"},
      {"decimal[]", "numeric[]"},
      {"float[]", "double precision[]"},
      {"float4[]", "real[]"},
      {"float8[]", "double precision[]"},
      {"int[]", "integer[]"},
      {"int2[]", "smallint[]"},
      {"int4[]", "integer[]"},
      {"int8[]", "bigint[]"},
      {"time[]", "time without time zone[]"},
      {"timetz[]", "time with time zone[]"},
      {"timestamp[]", "timestamp without time zone[]"},
      {"timestamptz[]", "timestamp with time zone[]"},
      {"varbit[]", "bit varying[]"},
      {"varchar[]", "character varying[]"},
  };
  for (const auto& m : kMap) {
    if (pattern.size() == std::strlen(m[0]) && strncasecmp(pattern.c_str(), m[0], pattern.size()) == 0)
      return m[1];
  }
  return pattern;
}

namespace {

// \df[anptwS+]: describeFunctions(). `types` is the command after "\df".
bool list_functions(Session& s, std::string_view types, const std::optional<std::string>& pattern,
                    const std::vector<std::string>& arg_patterns, bool verbose, bool system) {
  if (types.find_first_not_of("anptwS+") != std::string_view::npos) {
    s.error("\\df only takes [anptwS+] as options");
    return true;
  }
  auto has = [&](char c) { return types.find(c) != std::string_view::npos; };
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
    std::string t = "t" + std::to_string(i), nt = "nt" + std::to_string(i);
    sql += "     LEFT JOIN pg_catalog.pg_type " + t + " ON " + t + ".oid = p.proargtypes[" +
           std::to_string(i) + "]\n" + "     LEFT JOIN pg_catalog.pg_namespace " + nt + " ON " + nt +
           ".oid = " + t + ".typnamespace\n";
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
  if (!s.validate_pattern(sql, pattern, have_where, false,
                          {"n.nspname", "p.proname", nullptr, "pg_catalog.pg_function_is_visible(p.oid)"},
                          3)) {
    return false;
  }
  for (std::size_t i = 0; i < arg_patterns.size(); ++i) {
    std::string n = std::to_string(i);
    if (arg_patterns[i] != "-") {
      // Type patterns match the internal or the external name, like \dT.
      std::string nspname = "nt" + n + ".nspname", typname = "t" + n + ".typname",
                  ft = "pg_catalog.format_type(t" + n + ".oid, NULL)",
                  visible = "pg_catalog.pg_type_is_visible(t" + n + ".oid)";
      if (!s.validate_pattern(sql, map_typename_pattern(arg_patterns[i]), true, false,
                              {nspname.c_str(), typname.c_str(), ft.c_str(), visible.c_str()}, 3)) {
        return false;
      }
    } else {
      sql += "  AND t" + n + ".typname IS NULL\n";  // "-": no such argument
    }
  }
  if (!system && !pattern) sql += kNotSystemSchema;
  sql += "ORDER BY 1, 2, 4;";
  s.print(s.query(sql), "List of functions");
  return true;
}

void add_role_attribute(std::string& buf, const std::string& attribute) {
  if (!buf.empty()) buf += ", ";
  buf += attribute;
}

// \du and \dg: describeRoles().
bool describe_roles(Session& s, const std::optional<std::string>& pattern, bool verbose, bool system) {
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
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "r.rolname", nullptr, nullptr}, 1))
    return false;
  sql += "ORDER BY 1;";
  Result r = s.query(sql);

  const std::size_t replication = verbose ? 10 : 9;
  std::vector<std::vector<std::optional<std::string>>> rows;
  for (std::size_t i = 0; i < r.rows(); ++i) {
    std::string attrs;
    if (is_true(r, i, 1)) add_role_attribute(attrs, "Superuser");
    if (!is_true(r, i, 2)) add_role_attribute(attrs, "No inheritance");
    if (is_true(r, i, 3)) add_role_attribute(attrs, "Create role");
    if (is_true(r, i, 4)) add_role_attribute(attrs, "Create DB");
    if (!is_true(r, i, 5)) add_role_attribute(attrs, "Cannot login");
    if (is_true(r, i, replication)) add_role_attribute(attrs, "Replication");
    if (is_true(r, i, replication + 1)) add_role_attribute(attrs, "Bypass RLS");
    int conns = std::atoi(cell(r, i, 6).c_str());
    if (conns >= 0) {
      if (!attrs.empty()) attrs += '\n';
      if (conns == 0) {
        attrs += "No connections";
      } else {
        attrs += std::to_string(conns) + (conns == 1 ? " connection" : " connections");
      }
    }
    if (!cell(r, i, 7).empty()) {
      if (!attrs.empty()) attrs += '\n';
      attrs += "Password valid until " + cell(r, i, 7);
    }
    std::vector<std::optional<std::string>> row = {cell(r, i, 0), attrs, cell(r, i, 8)};
    if (verbose) row.push_back(cell(r, i, 9));
    rows.push_back(std::move(row));
  }
  std::vector<std::string> headers = {"Role name", "Attributes", "Member of"};
  if (verbose) headers.push_back("Description");
  s.print(s.make_table(headers, rows), "List of roles", {}, false);
  return true;
}

// \dx: listExtensions().
bool list_extensions(Session& s, const std::optional<std::string>& pattern) {
  std::string sql =
      "SELECT e.extname AS \"Name\", e.extversion AS \"Version\", n.nspname AS \"Schema\", "
      "c.description AS \"Description\"\n"
      "FROM pg_catalog.pg_extension e "
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
      "LEFT JOIN pg_catalog.pg_description c ON c.objoid = e.oid "
      "AND c.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass\n";
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "e.extname", nullptr, nullptr}, 1))
    return false;
  sql += "ORDER BY 1;";
  s.print(s.query(sql), "List of installed extensions");
  return true;
}

// \dx+: listExtensionContents().
bool list_extension_contents(Session& s, const std::optional<std::string>& pattern) {
  std::string sql = "SELECT e.extname, e.oid\nFROM pg_catalog.pg_extension e\n";
  if (!s.validate_pattern(sql, pattern, false, false, {nullptr, "e.extname", nullptr, nullptr}, 1))
    return false;
  sql += "ORDER BY 1;";
  Result r = s.query(sql);
  if (r.rows() == 0) {
    s.error(pattern ? "Did not find any extension named \"" + *pattern + "\"."
                    : "Did not find any extensions.");
    return false;
  }
  for (std::size_t i = 0; i < r.rows(); ++i) {
    Result objects = s.query(
        "SELECT pg_catalog.pg_describe_object(classid, objid, 0) AS \"Object description\"\n"
        "FROM pg_catalog.pg_depend\n"
        "WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND refobjid = " +
        sql_literal(cell(r, i, 1)) + " AND deptype = 'e'\nORDER BY 1;");
    s.print(objects, "Objects in extension \"" + cell(r, i, 0) + "\"");
  }
  return true;
}

// \l: listAllDbs(). psql 15's query reads pg_database.daticulocale, which
// PostgreSQL 17 renamed datlocale: the same columns from the new name.
bool list_databases(Session& s, const std::optional<std::string>& pattern, bool verbose) {
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
  if (pattern &&
      !s.validate_pattern(sql, pattern, false, false, {nullptr, "d.datname", nullptr, nullptr}, 1)) {
    return false;
  }
  sql += "ORDER BY 1;";
  s.print(s.query(sql), "List of databases");
  return true;
}

// psql_scan_slash_option(OT_NORMAL), roughly: words split at unquoted
// whitespace; "double quotes" stay in the word (patterns interpret them),
// 'single quotes' are removed (with \n, \t, \\ and '' inside).
std::vector<std::string> split_args(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (true) {
    while (i < text.size() && space(text[i])) ++i;
    if (i >= text.size()) break;
    std::string word;
    while (i < text.size() && !space(text[i])) {
      char c = text[i];
      if (c == '"') {
        std::size_t end = text.find('"', i + 1);
        while (end != std::string_view::npos && end + 1 < text.size() && text[end + 1] == '"') {
          end = text.find('"', end + 2);
        }
        if (end == std::string_view::npos) end = text.size() - 1;
        word.append(text.substr(i, end - i + 1));
        i = end + 1;
      } else if (c == '\'') {
        ++i;
        while (i < text.size()) {
          if (text[i] == '\'') {
            if (i + 1 < text.size() && text[i + 1] == '\'') {
              word += '\'';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\\' && i + 1 < text.size()) {
            char e = text[i + 1];
            word += e == 'n'   ? '\n'
                    : e == 't' ? '\t'
                    : e == 'r' ? '\r'
                    : e == 'b' ? '\b'
                    : e == 'f' ? '\f'
                               : e;
            i += 2;
            continue;
          }
          word += text[i++];
        }
      } else {
        word += c;
        ++i;
      }
    }
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace
}  // namespace describe

std::optional<bool> run_describe(std::string_view command, std::string_view args, Database& db,
                                 const PrintSettings& settings, std::ostream& out, std::ostream& err) {
  using namespace describe;
  if (command.empty() || command[0] != '\\') return std::nullopt;
  const std::string_view cmd = command.substr(1);
  const bool verbose = cmd.find('+') != std::string_view::npos;
  const bool system = cmd.find('S') != std::string_view::npos;

  enum class Kind { kRelation, kTables, kSchemas, kFunctions, kRoles, kExtensions, kDatabases, kOther };
  Kind kind;
  if (cmd == "l" || cmd == "list" || cmd == "l+" || cmd == "list+") {
    kind = Kind::kDatabases;
  } else if (cmd.size() >= 1 && cmd[0] == 'd') {
    char c = cmd.size() > 1 ? cmd[1] : '\0';
    switch (c) {
      case '\0':
      case '+':
      case 'S':
        kind = Kind::kRelation;
        break;
      case 't':
      case 'i':
      case 'v':
      case 'm':
      case 's':
      case 'E':
        kind = Kind::kTables;
        break;
      case 'n':
        kind = Kind::kSchemas;
        break;
      case 'u':
      case 'g':
        kind = Kind::kRoles;
        break;
      case 'x':
        kind = Kind::kExtensions;
        break;
      case 'f':
        if (cmd.size() > 2 && std::strchr("+Sanptw", cmd[2]) == nullptr) return std::nullopt;
        kind = Kind::kFunctions;
        break;
      default:
        kind = Kind::kOther;
        break;
    }
  } else if (cmd == "z") {
    kind = Kind::kOther;
  } else {
    return std::nullopt;
  }

  std::vector<std::string> words = split_args(args);
  std::optional<std::string> pattern;
  std::size_t used = 0;
  if (!words.empty() && kind != Kind::kOther) pattern = words[used++];
  std::vector<std::string> arg_patterns;
  if (kind == Kind::kFunctions) {
    while (used < words.size() && arg_patterns.size() < 100) arg_patterns.push_back(words[used++]);
  }

  Session s(db, settings, out, err);
  bool ok = false;
  try {
    switch (kind) {
      case Kind::kRelation:
        ok = pattern ? describe_table_details(s, pattern, verbose, system)
                     : list_tables(s, "tvmsE", pattern, verbose, system);
        break;
      case Kind::kTables:
        ok = list_tables(s, cmd.substr(1), pattern, verbose, system);
        break;
      case Kind::kSchemas:
        ok = list_schemas(s, pattern, verbose, system);
        break;
      case Kind::kFunctions:
        ok = list_functions(s, cmd.substr(2), pattern, arg_patterns, verbose, system);
        break;
      case Kind::kRoles:
        ok = describe_roles(s, pattern, verbose, system);
        break;
      case Kind::kExtensions:
        ok = verbose ? list_extension_contents(s, pattern) : list_extensions(s, pattern);
        break;
      case Kind::kDatabases:
        ok = list_databases(s, pattern, verbose);
        break;
      case Kind::kOther: {
        std::optional<bool> r = run_more(s, cmd, words, used, verbose, system);
        if (!r) return std::nullopt;
        ok = *r;
        break;
      }
    }
  } catch (const Error& e) {
    out.flush();
    print_error(err, e, s.last_sql());
    err.flush();
    ok = false;
  }
  for (; used < words.size(); ++used) {
    s.error(std::string(command) + ": extra argument \"" + words[used] + "\" ignored");
  }
  return ok;
}

}  // namespace pglite::cli
