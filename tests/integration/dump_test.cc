// pg_dump in-process: a rich schema survives dump_sql() -> exec_script() into
// a fresh database with the same data and catalog facts; options, formats,
// refused options, failures, and the session left as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "pglite/pglite.hpp"

namespace {

bool have_vector() {
  auto names = pglite::available_extensions();
  return std::find(names.begin(), names.end(), "vector") != names.end();
}

pglite::Options options_with_vector() {
  pglite::Options options;
  if (have_vector()) options.extensions = {"vector"};
  return options;
}

// Everything pg_dump has to get right: tests/dump/schema.sql (shared with the
// native PostgreSQL 15 restore test) plus what only this test checks.
std::string schema() {
  std::ifstream in(PGLITE_DUMP_SCHEMA);
  std::string base((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(base.empty()) << "cannot read " << PGLITE_DUMP_SCHEMA;
  return base + R"sql(
ALTER DOMAIN positive_int SET DEFAULT 1;
CREATE INDEX order_items_amount ON "Mixed"."Order Items" ("Amount") WHERE "Amount" > 10;
CREATE FUNCTION total_for(cid int) RETURNS numeric LANGUAGE sql STABLE
  AS $$ SELECT coalesce(sum("Amount"), 0) FROM "Mixed"."Order Items" WHERE "customerId" = cid $$;
COMMENT ON FUNCTION total_for(int) IS 'sum of a customer''s orders';
COMMENT ON LARGE OBJECT 424242 IS 'a blob';
GRANT SELECT ON customers TO PUBLIC;
)sql";
}

constexpr const char* kVectorSchema = R"sql(
CREATE TABLE items (id int PRIMARY KEY, embedding vector(3));
INSERT INTO items SELECT g, ARRAY[g, g * 2, 100 - g]::vector FROM generate_series(1, 200) g;
CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops);
)sql";

// Queries whose answers must not change across dump and restore.
const std::vector<std::string>& fact_queries() {
  static const std::vector<std::string> q = {
      "SELECT * FROM customers ORDER BY id",
      "SELECT * FROM \"Mixed\".\"Order Items\" ORDER BY \"Id\"",
      "SELECT * FROM audit ORDER BY id",
      "SELECT * FROM customer_totals ORDER BY id",
      "SELECT * FROM happy ORDER BY id",
      "SELECT last_value, is_called FROM order_no",
      "SELECT n.nspname, c.relname, c.relkind, c.relpersistence FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'Mixed') ORDER BY "
      "1, 2",
      "SELECT a.attrelid::regclass::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid "
      "AND d.adnum = a.attnum WHERE n.nspname IN ('public', 'Mixed') AND a.attnum > 0 "
      "AND NOT a.attisdropped ORDER BY 1, 2",
      "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c "
      "ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname IN ('public', 'Mixed') ORDER BY 1",
      "SELECT conrelid::regclass::text, contypid::regtype::text, conname, pg_get_constraintdef(c.oid) "
      "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
      "WHERE n.nspname IN ('public', 'Mixed') ORDER BY 1, 2, 3",
      "SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1",
      "SELECT matviewname, definition, ispopulated FROM pg_matviews ORDER BY 1",
      "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n "
      "ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prokind = 'f' "
      "AND p.proname IN ('audit_customer', 'total_for') ORDER BY 1",
      "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
      "SELECT enumtypid::regtype::text, enumlabel, enumsortorder FROM pg_enum ORDER BY 1, 3",
      "SELECT t.typname, t.typtype, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault "
      "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' "
      "AND t.typtype IN ('d', 'e') ORDER BY 1",
      "SELECT pg_describe_object(classoid, objoid, objsubid), description FROM pg_description "
      "WHERE objoid >= 16384 ORDER BY 1",
      "SELECT oid, encode(lo_get(oid), 'hex') FROM pg_largeobject_metadata ORDER BY 1",
      "SELECT relname, relacl::text FROM pg_class WHERE relname = 'customers'",
      // Behaviour, not only definitions: the trigger fires, the sequence
      // continues where it was, the domain still checks.
      "WITH n AS (INSERT INTO customers (name) VALUES ('Zed') RETURNING id) "
      "SELECT (SELECT count(*) FROM audit), nextval('order_no')",
  };
  return q;
}

std::string render(const pglite::Result& r) {
  std::string out;
  for (const pglite::Row& row : r) {
    for (size_t c = 0; c < r.cols(); ++c) {
      out += row[c] ? std::string(*row[c]) : "<null>";
      out += c + 1 < r.cols() ? "|" : "\n";
    }
  }
  return out;
}

std::vector<std::string> facts(pglite::Database& db, bool vector) {
  std::vector<std::string> out;
  for (const std::string& q : fact_queries()) out.push_back(q + "\n" + render(db.exec(q)));
  if (vector) {
    out.push_back(render(db.exec("SELECT id, embedding::text FROM items ORDER BY id")));
    db.exec("SET enable_seqscan = off");
    std::string knn = "SELECT id FROM items ORDER BY embedding <-> '[50.3,100.1,49.2]' LIMIT 5";
    std::string plan = render(db.exec("EXPLAIN " + knn));
    EXPECT_NE(plan.find("items_hnsw"), std::string::npos) << plan;
    out.push_back(render(db.exec(knn)));
    db.exec("RESET enable_seqscan");
  }
  return out;
}

TEST(Dump, RoundTripKeepsDataAndCatalog) {
  const bool vector = have_vector();
  auto source = pglite::Database::temporary(options_with_vector());
  source.exec(schema());
  if (vector) source.exec(kVectorSchema);
  const std::string sql = source.dump_sql();
  EXPECT_NE(sql.find("COPY public.customers"), std::string::npos);
  EXPECT_NE(sql.find("Dumped by pg_dump version 18"), std::string::npos);

  auto restored = pglite::Database::temporary();
  restored.exec_script(sql);
  std::vector<std::string> expected = facts(source, vector);
  std::vector<std::string> actual = facts(restored, vector);
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(expected[i], actual[i]);
}

TEST(Dump, InsertsAndCleanVariantsRestoreToo) {
  auto source = pglite::Database::temporary();
  source.exec(schema());
  pglite::DumpOptions options;
  options.inserts = true;
  options.clean = true;
  const std::string sql = source.dump_sql(options);
  EXPECT_EQ(sql.find("COPY "), std::string::npos);
  EXPECT_NE(sql.find("DROP TABLE IF EXISTS public.customers"), std::string::npos);
  // --clean makes the script re-runnable on a database that has the objects.
  auto restored = pglite::Database::temporary();
  restored.exec_script(sql);
  restored.exec_script(sql);
  EXPECT_EQ(render(restored.exec("SELECT count(*), string_agg(name, ',' ORDER BY id) FROM customers")),
            render(source.exec("SELECT count(*), string_agg(name, ',' ORDER BY id) FROM customers")));
}

TEST(Dump, SelectionAndPresentationOptions) {
  auto db = pglite::Database::temporary();
  db.exec(schema());
  pglite::DumpOptions schema_only;
  schema_only.schema_only = true;
  std::string s = db.dump_sql(schema_only);
  EXPECT_NE(s.find("CREATE TABLE public.customers"), std::string::npos);
  EXPECT_EQ(s.find("COPY public.customers"), std::string::npos);

  pglite::DumpOptions data_only;
  data_only.data_only = true;
  s = db.dump_sql(data_only);
  EXPECT_EQ(s.find("CREATE TABLE"), std::string::npos);
  EXPECT_NE(s.find("COPY public.customers"), std::string::npos);

  pglite::DumpOptions one_table;
  one_table.tables = {"public.audit"};
  s = db.dump_sql(one_table);
  EXPECT_NE(s.find("CREATE TABLE public.audit"), std::string::npos);
  EXPECT_EQ(s.find("CREATE TABLE public.customers"), std::string::npos);

  pglite::DumpOptions excluded;
  excluded.exclude_tables = {"audit"};
  excluded.exclude_schemas = {"\"Mixed\""};  // patterns fold case unless quoted
  s = db.dump_sql(excluded);
  EXPECT_EQ(s.find("CREATE TABLE public.audit"), std::string::npos);
  EXPECT_EQ(s.find("CREATE TABLE \"Mixed\""), std::string::npos);
  EXPECT_NE(s.find("CREATE TABLE public.customers"), std::string::npos);

  pglite::DumpOptions quoted;
  quoted.quote_all_identifiers = true;
  quoted.no_owner = true;
  quoted.no_privileges = true;
  s = db.dump_sql(quoted);
  EXPECT_NE(s.find("CREATE TABLE \"public\".\"customers\""), std::string::npos);
  EXPECT_EQ(s.find("OWNER TO"), std::string::npos);
  EXPECT_EQ(s.find("GRANT "), std::string::npos);
  EXPECT_NE(db.dump_sql().find("GRANT SELECT ON TABLE public.customers TO PUBLIC"), std::string::npos);
}

TEST(Dump, ArchiveFormats) {
  auto db = pglite::Database::temporary();
  db.exec(schema());
  pglite::DumpOptions custom;
  custom.format = pglite::DumpOptions::Format::kCustom;
  custom.extra_args = {"-Z0"};  // uncompressed, so the rows are readable here
  std::vector<uint8_t> bytes = db.dump_bytes(custom);
  std::string text(bytes.begin(), bytes.end());
  ASSERT_GT(text.size(), 5u);
  EXPECT_EQ(text.substr(0, 5), "PGDMP");
  EXPECT_NE(text.find("Bob \"the builder\""), std::string::npos);
  EXPECT_NE(text.find("CREATE TABLE public.customers"), std::string::npos);

  pglite::DumpOptions tar;
  tar.format = pglite::DumpOptions::Format::kTar;
  bytes = db.dump_bytes(tar);
  text.assign(bytes.begin(), bytes.end());
  EXPECT_EQ(text.substr(0, 7), "toc.dat");
  EXPECT_NE(text.find("restore.sql"), std::string::npos);

  EXPECT_THROW(db.dump_sql(custom), pglite::Error);
}

TEST(Dump, StreamsLargeTablesInChunks) {
  auto db = pglite::Database::temporary();
  db.exec("CREATE TABLE big AS SELECT g AS id, repeat('x', 100) AS pad FROM generate_series(1, 50000) g");
  size_t chunks = 0, total = 0;
  db.dump({}, [&](std::string_view chunk) {
    ++chunks;
    total += chunk.size();
  });
  EXPECT_GT(total, 50000u * 100);
  EXPECT_GT(chunks, 10u);
}

TEST(Dump, RefusesOptionsThatPointElsewhere) {
  auto db = pglite::Database::temporary();
  const std::vector<std::vector<std::string>> refused = {
      {"-h", "localhost"},
      {"--host=x"},
      {"-p5432"},
      {"--port", "1"},
      {"-U", "bob"},
      {"--username=bob"},
      {"-d", "postgres"},
      {"--dbname=x"},
      {"-j", "2"},
      {"--jobs=2"},
      {"-f", "/tmp/x"},
      {"--file=/tmp/x"},
      {"-Fd"},
      {"--format=directory"},
      {"-W"},
      {"postgres"},
      {"--version"},
      {"-Oh", "x"},
  };
  for (const auto& args : refused) {
    pglite::DumpOptions options;
    options.extra_args = args;
    try {
      db.dump_sql(options);
      ADD_FAILURE() << "accepted " << args[0];
    } catch (const pglite::Error& e) {
      EXPECT_EQ(e.sqlstate(), "22023") << args[0] << ": " << e.message();
      EXPECT_NE(e.message().find("not supported"), std::string::npos) << e.message();
    }
  }
  // A value that merely looks like an option reaches pg_dump (which finds
  // no table named "-h").
  pglite::DumpOptions ok;
  ok.extra_args = {"-t", "-h"};
  try {
    db.dump_sql(ok);
  } catch (const pglite::Error& e) {
    EXPECT_NE(e.message().find("no matching tables"), std::string::npos) << e.message();
  }
  EXPECT_EQ(db.exec("SELECT 1").get<int>(0, 0), 1);
}

TEST(Dump, FailuresAreErrorsAndTheDatabaseGoesOn) {
  auto db = pglite::Database::temporary();
  db.exec("CREATE TABLE t (x int)");
  pglite::DumpOptions missing;
  missing.tables = {"nosuch"};
  missing.extra_args = {"--strict-names"};
  try {
    db.dump_sql(missing);
    FAIL() << "dump of a missing table succeeded";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "22023");
    EXPECT_NE(e.message().find("no matching tables were found"), std::string::npos) << e.message();
  }
  pglite::DumpOptions bogus;
  bogus.extra_args = {"--no-such-option"};
  EXPECT_THROW(db.dump_sql(bogus), pglite::Error);

  db.begin();
  try {
    db.dump_sql();
    FAIL() << "dump inside a transaction succeeded";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "25001");
  }
  db.rollback();
  EXPECT_NE(db.dump_sql().find("CREATE TABLE public.t"), std::string::npos);
}

TEST(Dump, LeavesTheSessionAsItWas) {
  auto db = pglite::Database::temporary();
  db.exec("CREATE SCHEMA app; CREATE TABLE app.t (x int)");
  db.exec("SET search_path = app, public; SET work_mem = '7MB'; SET DateStyle = 'German, DMY'");
  db.exec("PREPARE mine AS SELECT 42");
  const std::string before =
      render(db.exec("SELECT current_setting('search_path'), current_setting('work_mem'), "
                     "current_setting('DateStyle'), current_setting('extra_float_digits'), "
                     "current_setting('statement_timeout')"));
  db.dump_sql();
  EXPECT_FALSE(db.in_transaction());
  EXPECT_EQ(render(db.exec("SELECT current_setting('search_path'), current_setting('work_mem'), "
                           "current_setting('DateStyle'), current_setting('extra_float_digits'), "
                           "current_setting('statement_timeout')")),
            before);
  EXPECT_EQ(render(db.exec("SELECT string_agg(name, ',') FROM pg_prepared_statements")), "mine\n");
  EXPECT_EQ(db.exec("EXECUTE mine").get<int>(0, 0), 42);
  EXPECT_EQ(db.exec("SELECT count(*) FROM t").get<int>(0, 0), 0);  // search_path still has app
}

TEST(Script, ErrorsNameTheLineAndStopTheScript) {
  auto db = pglite::Database::temporary();
  try {
    db.exec_script(
        "CREATE TABLE a (x int);\n\nINSERT INTO a VALUES (1);\nSELEC oops;\nCREATE TABLE b (x int);\n");
    FAIL() << "script with a syntax error succeeded";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "42601");
    EXPECT_NE(e.message().find("script line 4"), std::string::npos) << e.message();
  }
  EXPECT_EQ(db.exec("SELECT count(*) FROM a").get<int>(0, 0), 1);
  EXPECT_THROW(db.exec("SELECT * FROM b"), pglite::Error);

  try {
    db.exec_script("SELECT 1;\n\\! rm -rf /\n");
    FAIL() << "backslash command accepted";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "42601");
    EXPECT_NE(e.message().find("\\!"), std::string::npos) << e.message();
  }
  // Inside \restrict, even a known key-less command is refused.
  EXPECT_THROW(db.exec_script("\\restrict k1\n\\unrestrict other\n"), pglite::Error);
  EXPECT_NO_THROW(db.exec_script("\\restrict k1\nSELECT 1;\n\\unrestrict k1\n"));
}

TEST(Script, CopyDataFollowsItsStatement) {
  auto db = pglite::Database::temporary();
  db.exec_script(
      "CREATE TABLE c (id int, s text);\n"
      "COPY c (id, s) FROM stdin;\n"
      "1\tone\n"
      "2\t\\N\n"
      "3\tsemi;colon -- not a comment\n"
      "\\.\n"
      "SELECT 1;\n");
  EXPECT_EQ(render(db.exec("SELECT id, s FROM c ORDER BY id")),
            "1|one\n2|<null>\n3|semi;colon -- not a comment\n");
}

}  // namespace
