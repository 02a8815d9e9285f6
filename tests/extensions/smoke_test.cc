// One test per built-in extension that makes it do real work on a temporary
// database opened with Options::extensions (so through the per-set template).
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "pglite/database.h"
#include "pglite/extensions.h"

namespace {

struct Smoke {
  const char* name;  // test name
  std::vector<std::string> extensions;
  std::vector<std::string> setup;  // statements run first
  const char* check;               // a query whose first value is compared
  const char* expected;
  const char* explain = nullptr;  // a query whose plan must use...
  const char* uses_index = nullptr;
};

// Test names say which extension; keep gtest from dumping the struct bytes.
void PrintTo(const Smoke& s, std::ostream* os) { *os << s.name; }

std::string first_value(pglite::Database& db, const std::string& sql) {
  pglite::Result r = db.exec(sql);
  if (r.rows() == 0 || r.cols() == 0) return "<no rows>";
  return std::string(r.value(0, 0).value_or("NULL"));
}

const std::vector<Smoke>& smokes() {
  static const std::vector<Smoke> all = {
      {"age",
       {"age"},
       {"LOAD 'age'", "SET search_path = ag_catalog, \"$user\", public", "SELECT create_graph('social')",
        "SELECT * FROM cypher('social', $$ CREATE (:Person {name: 'Ada'})-[:KNOWS]->(:Person {name: 'Bob'}) "
        "$$) "
        "AS (v agtype)"},
       "SELECT string_agg(f::text, ',') FROM cypher('social', $$ MATCH (a:Person)-[:KNOWS]->(b:Person) "
       "RETURN b.name $$) AS (f agtype)",
       "Bob"},
      {"amcheck",
       {"amcheck"},
       {"CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 5000)",
        "SELECT bt_index_parent_check('t_pkey', true)"},
       "SELECT count(*) FROM verify_heapam('t')",
       "0"},
      {"bloom",
       {"bloom"},
       {"CREATE TABLE t (a int, b int)", "INSERT INTO t SELECT i, i % 97 FROM generate_series(1, 20000) i",
        "CREATE INDEX t_bloom ON t USING bloom (a, b)", "ANALYZE t", "SET enable_seqscan = off"},
       "SELECT count(*) FROM t WHERE a = 4242 AND b = 4242 % 97",
       "1",
       "SELECT * FROM t WHERE a = 4242 AND b = 5",
       "t_bloom"},
      {"btree_gin",
       {"btree_gin"},
       {"CREATE TABLE t (a int)", "INSERT INTO t SELECT generate_series(1, 10000)",
        "CREATE INDEX t_gin ON t USING gin (a)", "SET enable_seqscan = off"},
       "SELECT count(*) FROM t WHERE a < 100",
       "99",
       "SELECT * FROM t WHERE a < 100",
       "t_gin"},
      {"btree_gist",
       {"btree_gist"},
       {"CREATE TABLE booking (room int, during tsrange, EXCLUDE USING gist (room WITH =, during WITH &&))",
        "INSERT INTO booking VALUES (1, '[2026-01-01 10:00, 2026-01-01 11:00)')",
        "INSERT INTO booking VALUES (2, '[2026-01-01 10:00, 2026-01-01 11:00)')"},
       "SELECT count(*) FROM booking",
       "2"},
      {"citext",
       {"citext"},
       {"CREATE TABLE u (email citext UNIQUE)", "INSERT INTO u VALUES ('Ada@Example.com')"},
       "SELECT count(*) FROM u WHERE email = 'ada@example.COM'",
       "1"},
      {"cube",
       {"cube"},
       {},
       "SELECT cube_distance('(0,0)'::cube, '(3,4)'::cube)::text || ' ' || ('(1,1),(3,3)'::cube @> "
       "'(2,2)'::cube)",
       "5 true"},
      {"dict_int", {"dict_int"}, {}, "SELECT ts_lexize('intdict', '1234567890')::text", "{123456}"},
      {"dict_xsyn",
       {"dict_xsyn"},
       {"ALTER TEXT SEARCH DICTIONARY xsyn (RULES = 'xsyn_sample', KEEPORIG = false)"},
       "SELECT ts_lexize('xsyn', 'supernova')::text",
       "{sn,sne,1987a}"},
      {"earthdistance",
       {"cube", "earthdistance"},
       {},
       "SELECT round(earth_distance(ll_to_earth(0, 0), ll_to_earth(0, 1)) / 1000)",
       "111"},
      {"file_fdw",
       {"file_fdw"},
       {"COPY (SELECT i, 'row ' || i FROM generate_series(1, 3) i) TO '/pglite/data/fdw_input.csv' CSV",
        "CREATE SERVER files FOREIGN DATA WRAPPER file_fdw",
        "CREATE FOREIGN TABLE f (id int, label text) SERVER files "
        "OPTIONS (filename '/pglite/data/fdw_input.csv', format 'csv')"},
       "SELECT string_agg(label, ',' ORDER BY id) FROM f",
       "row 1,row 2,row 3"},
      {"fuzzystrmatch",
       {"fuzzystrmatch"},
       {},
       "SELECT levenshtein('kitten', 'sitting') || ' ' || soundex('Robert') || ' ' || metaphone('Thompson', "
       "10)",
       "3 R163 0MPSN"},  // as native PostgreSQL 15 answers
      {"hstore",
       {"hstore"},
       {"CREATE TABLE h (attrs hstore)", "INSERT INTO h VALUES ('color=>red, size=>L')",
        "CREATE INDEX h_gin ON h USING gin (attrs)"},
       "SELECT (attrs -> 'size') || ' ' || (attrs ? 'color') || ' ' || array_length(akeys(attrs), 1) FROM h "
       "WHERE attrs @> 'color=>red'",
       "L true 2"},
      {"intarray",
       {"intarray"},
       {},
       "SELECT ('{1,2,3}'::int[] & '{2,3,4}'::int[])::text || ' ' || icount('{5,6,7}'::int[]) || ' ' || "
       "sort('{3,1,2}'::int[])::text",
       "{2,3} 3 {1,2,3}"},
      {"isn",
       {"isn"},
       {},
       "SELECT isbn13('978-0-306-40615-7')::text || ' ' || is_valid('978-0-306-40615-7'::isbn13)",
       "978-0-306-40615-7 true"},
      {"lo",
       {"lo"},
       {"CREATE TABLE images (id int, raster lo)",
        "CREATE TRIGGER t_raster BEFORE UPDATE OR DELETE ON images FOR EACH ROW EXECUTE FUNCTION "
        "lo_manage(raster)",
        "INSERT INTO images VALUES (1, lo_from_bytea(0, 'pixels'))", "DELETE FROM images"},
       "SELECT count(*) FROM pg_largeobject_metadata",
       "0"},
      {"ltree",
       {"ltree"},
       {"CREATE TABLE tree (path ltree)",
        "INSERT INTO tree VALUES ('Top.Science.Astronomy'), ('Top.Science.Physics'), ('Top.Arts')",
        "CREATE INDEX tree_gist ON tree USING gist (path)"},
       "SELECT string_agg(path::text, ',' ORDER BY path) || ' ' || max(nlevel(path)) FROM tree "
       "WHERE path <@ 'Top.Science'",
       "Top.Science.Astronomy,Top.Science.Physics 3"},
      {"pageinspect",
       {"pageinspect"},
       {"CREATE TABLE t (a int)", "INSERT INTO t SELECT generate_series(1, 10)", "CHECKPOINT"},
       "SELECT count(*) || ' ' || (SELECT pagesize FROM page_header(get_raw_page('t', 0))) FROM "
       "heap_page_items(get_raw_page('t', 0))",
       "10 8192"},
      {"pg_buffercache",
       {"pg_buffercache"},
       {"CREATE TABLE t (a int)", "INSERT INTO t SELECT generate_series(1, 1000)"},
       "SELECT count(*) > 0 FROM pg_buffercache b JOIN pg_class c ON b.relfilenode = c.relfilenode "
       "WHERE c.relname = 't'",
       "t"},
      {"pg_freespacemap",
       {"pg_freespacemap"},
       {"CREATE TABLE t (a text)", "INSERT INTO t SELECT repeat('x', 500) FROM generate_series(1, 1000)",
        "DELETE FROM t WHERE ctid::text LIKE '%,1)'", "VACUUM t"},
       "SELECT sum(avail) > 0 FROM pg_freespace('t')",
       "t"},
      {"pg_hashids",
       {"pg_hashids"},
       {},
       "SELECT id_decode(id_encode(1001, 'salt'), 'salt')::text || ' ' || (id_encode(1001) <> "
       "id_encode(1002))",
       "{1001} true"},
      {"pg_ivm",
       {"pg_ivm"},
       {"CREATE TABLE t (k int, v int)", "INSERT INTO t VALUES (1, 10), (2, 20)",
        "SELECT pgivm.create_immv('totals', 'SELECT k, sum(v) AS s FROM t GROUP BY k')",
        "INSERT INTO t VALUES (1, 5)"},
       "SELECT string_agg(k || '=' || s, ',' ORDER BY k) FROM totals",
       "1=15,2=20"},
      {"pg_surgery",
       {"pg_surgery"},
       {"CREATE TABLE t (a int)", "INSERT INTO t VALUES (1), (2), (3)",
        "SELECT heap_force_kill('t'::regclass, ARRAY['(0,2)']::tid[])"},
       "SELECT string_agg(a::text, ',' ORDER BY a) FROM t",
       "1,3"},
      {"pg_textsearch",
       {"pg_textsearch"},
       {"CREATE TABLE docs (id int, body text)",
        "INSERT INTO docs VALUES (1, 'the quick brown fox'), (2, 'embedded postgres databases'), "
        "(3, 'a database of databases')",
        "CREATE INDEX docs_bm25 ON docs USING bm25 (body) WITH (text_config = 'english')"},
       "SELECT string_agg(id::text, ',') FROM (SELECT id FROM docs "
       "ORDER BY body <@> to_bm25query('databases', 'docs_bm25') LIMIT 2) s",
       "3,2"},
      {"pg_trgm",
       {"pg_trgm"},
       {"CREATE TABLE words (w text)", "INSERT INTO words SELECT 'word' || i FROM generate_series(1, 5000) i",
        "CREATE INDEX words_trgm ON words USING gin (w gin_trgm_ops)", "ANALYZE words",
        "SET enable_seqscan = off"},
       "SELECT round(similarity('word', 'two words')::numeric, 4) || ' ' || "
       "(SELECT count(*) FROM words WHERE w LIKE '%rd4999%')",
       "0.3636 1",
       "SELECT * FROM words WHERE w LIKE '%rd4999%'",
       "words_trgm"},
      {"pg_uuidv7",
       {"pg_uuidv7"},
       {},
       "SELECT substr(u::text, 15, 1) || ' ' || (abs(extract(epoch FROM uuid_v7_to_timestamptz(u) - now())) "
       "< 60) "
       "FROM (SELECT uuid_generate_v7() AS u) s",
       "7 true"},
      {"pg_visibility",
       {"pg_visibility"},
       {"CREATE TABLE t (a int)", "INSERT INTO t SELECT generate_series(1, 1000)", "VACUUM t"},
       "SELECT bool_and(all_visible)::text || ' ' || (count(*) > 0) FROM pg_visibility_map('t')",
       "true true"},
      {"pg_walinspect",
       {"pg_walinspect"},
       {"CREATE TABLE marks (lsn pg_lsn)", "INSERT INTO marks VALUES (pg_current_wal_insert_lsn())",
        "CREATE TABLE t AS SELECT generate_series(1, 100) a"},
       "SELECT count(*) > 0 FROM pg_get_wal_records_info((SELECT lsn FROM marks), "
       "pg_current_wal_insert_lsn()) "
       "WHERE resource_manager = 'Heap'",
       "t"},
      {"pgcrypto",
       {"pgcrypto"},
       {"CREATE TABLE pw (h text)", "INSERT INTO pw VALUES (crypt('secret', gen_salt('bf', 4)))"},
       "SELECT encode(digest('abc', 'sha256'), 'hex') || ' ' || "
       "encode(hmac('what do ya want for nothing?', 'Jefe', 'md5'), 'hex') || ' ' || "
       "(SELECT h = crypt('secret', h) AND h <> crypt('wrong', h) FROM pw) || ' ' || "
       "pgp_sym_decrypt(pgp_sym_encrypt('attack at dawn', 'k3y'), 'k3y') || ' ' || "
       "length(gen_random_bytes(16))",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad "
       "750c783e6ab0b503eaa86e310a5db738 true attack at dawn 16"},
      {"pgtap",
       {"pgtap"},
       {},
       "SELECT string_agg(line, '|') FROM (SELECT plan(2) AS line UNION ALL SELECT ok(1 + 1 = 2, 'adds') "
       "UNION ALL SELECT is(lower('ABC'), 'abc', 'lowers') UNION ALL SELECT * FROM finish()) s",
       "1..2|ok 1 - adds|ok 2 - lowers"},
      {"postgres_fdw",
       {"postgres_fdw"},
       {},
       "SELECT count(*) FROM pg_foreign_data_wrapper WHERE fdwname = 'postgres_fdw'",
       "1"},
      {"seg",
       {"seg"},
       {},
       "SELECT ('5.0 .. 10.0'::seg @> '7.0'::seg)::text || ' ' || seg_upper('5.0 .. 10.0'::seg)",
       "true 10"},
      {"tablefunc",
       {"tablefunc"},
       {"CREATE TABLE sales (year int, quarter text, amount int)",
        "INSERT INTO sales VALUES (2025, 'q1', 10), (2025, 'q2', 20), (2026, 'q1', 30), (2026, 'q2', 40)"},
       "SELECT string_agg(format('%s:%s/%s', year, q1, q2), ',') FROM crosstab("
       "'SELECT year, quarter, amount FROM sales ORDER BY 1, 2') AS ct(year int, q1 int, q2 int)",
       "2025:10/20,2026:30/40"},
      {"tcn",
       {"tcn"},
       {"CREATE TABLE t (id int PRIMARY KEY)",
        "CREATE TRIGGER t_tcn AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION "
        "triggered_change_notification()"},
       "SELECT count(*) FROM pg_trigger WHERE tgname = 't_tcn'",
       "1"},
      {"tsm_system_rows",
       {"tsm_system_rows"},
       {"CREATE TABLE t AS SELECT generate_series(1, 10000) a"},
       "SELECT count(*) FROM t TABLESAMPLE SYSTEM_ROWS(25)",
       "25"},
      {"tsm_system_time",
       {"tsm_system_time"},
       {"CREATE TABLE t AS SELECT generate_series(1, 10000) a"},
       "SELECT count(*) BETWEEN 1 AND 10000 FROM t TABLESAMPLE SYSTEM_TIME(1000)",
       "t"},
      {"unaccent", {"unaccent"}, {}, "SELECT unaccent('Hôtel Crème Brûlée')", "Hotel Creme Brulee"},
      {"uuid_ossp",
       {"uuid-ossp"},
       {},
       "SELECT substr(uuid_generate_v4()::text, 15, 1) || substr(uuid_generate_v1()::text, 15, 1) || ' ' || "
       "uuid_generate_v5(uuid_ns_url(), 'http://www.postgresql.org')",
       "41 e1ee1ad4-cd4e-5889-962a-4f605a68d94e"},  // v5: as native PostgreSQL 15 answers
      {"vector",
       {"vector"},
       {"CREATE TABLE items (id int, embedding vector(3))",
        "INSERT INTO items SELECT i, ARRAY[i % 10, i % 7, i % 3]::vector FROM generate_series(1, 2000) i"},
       "SELECT (embedding <-> '[3,1,2]')::text || ' ' || vector_dims(embedding) FROM items ORDER BY "
       "embedding "
       "<-> '[3,1,2]' LIMIT 1",
       "0 3"},
  };
  return all;
}

class ExtensionSmoke : public ::testing::TestWithParam<Smoke> {};

TEST_P(ExtensionSmoke, DoesRealWork) {
  const Smoke& s = GetParam();
  pglite::Options options;
  options.extensions = s.extensions;
  pglite::Database db = pglite::Database::temporary(options);
  for (const std::string& sql : s.setup) ASSERT_NO_THROW(db.exec(sql)) << sql;
  EXPECT_EQ(first_value(db, s.check), s.expected) << s.check;
  if (s.explain != nullptr) {
    db.exec("SET enable_seqscan = off");
    std::string plan;
    for (const pglite::Row& row : db.exec(std::string("EXPLAIN ") + s.explain))
      plan += std::string(*row[0]) + "\n";
    EXPECT_NE(plan.find(s.uses_index), std::string::npos) << plan;
  }
}

INSTANTIATE_TEST_SUITE_P(Extensions, ExtensionSmoke, ::testing::ValuesIn(smokes()),
                         [](const ::testing::TestParamInfo<Smoke>& info) {
                           return std::string(info.param.name);
                         });

// A new extension in the pinned package needs a smoke test above.
TEST(ExtensionList, EveryAvailableExtensionHasASmokeTest) {
  std::set<std::string> tested;
  for (const Smoke& s : smokes()) tested.insert(s.extensions.begin(), s.extensions.end());
  std::vector<std::string> available = pglite::available_extensions();
  EXPECT_EQ(available.size(), 39u);
  for (const std::string& name : available) EXPECT_TRUE(tested.count(name)) << name << " has no smoke test";
  EXPECT_TRUE(std::is_sorted(available.begin(), available.end()));
}

}  // namespace
