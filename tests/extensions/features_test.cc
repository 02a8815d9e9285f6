// Extensions beyond the smoke tests: index use, persistence, templates,
// modules loaded with LOAD or shared_preload_libraries, and extensions that
// cannot work embedded failing cleanly.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pglite/database.h"
#include "pglite/error.h"
#include "pglite/pglite.h"

namespace {

std::string value(pglite::Database& db, const std::string& sql) {
  pglite::Result r = db.exec(sql);
  return r.rows() == 0 ? "<no rows>" : std::string(r.value(0, 0).value_or("NULL"));
}

std::string plan(pglite::Database& db, const std::string& sql) {
  std::string out;
  for (const pglite::Row& row : db.exec("EXPLAIN " + sql)) out += std::string(*row[0]) + "\n";
  return out;
}

pglite::Database with(std::vector<std::string> extensions) {
  pglite::Options o;
  o.extensions = std::move(extensions);
  return pglite::Database::temporary(o);
}

TEST(Vector, IvfflatAndHnswIndexesAnswerNearestNeighbours) {
  pglite::Database db = with({"vector"});
  db.exec("CREATE TABLE items (id int PRIMARY KEY, embedding vector(3))");
  db.exec(
      "INSERT INTO items SELECT i, ARRAY[sin(i), cos(i), sin(i * 0.37)]::vector FROM generate_series(1, "
      "3000) i");
  const std::string knn =
      "SELECT string_agg(id::text, ',') FROM (SELECT id FROM items "
      "ORDER BY embedding <-> '[0.5, 0.5, 0.1]' LIMIT 5) s";
  std::string exact = value(db, knn);  // sequential scan
  ASSERT_EQ(std::count(exact.begin(), exact.end(), ','), 4) << exact;

  db.exec("CREATE INDEX items_ivf ON items USING ivfflat (embedding vector_l2_ops) WITH (lists = 20)");
  db.exec("SET ivfflat.probes = 20");  // all lists: exact
  db.exec("SET enable_seqscan = off");
  EXPECT_NE(
      plan(db, "SELECT id FROM items ORDER BY embedding <-> '[0.5, 0.5, 0.1]' LIMIT 5").find("items_ivf"),
      std::string::npos);
  EXPECT_EQ(value(db, knn), exact);

  db.exec("DROP INDEX items_ivf");
  db.exec("CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)");
  EXPECT_NE(
      plan(db, "SELECT id FROM items ORDER BY embedding <-> '[0.5, 0.5, 0.1]' LIMIT 5").find("items_hnsw"),
      std::string::npos);
  EXPECT_EQ(value(db, knn), exact);
  EXPECT_EQ(value(db, "SELECT '[1,2,3]'::vector <=> '[2,4,6]'::vector"), "0");
}

TEST(Extensions, PersistAcrossReopenAndDrop) {
  std::string path = testing::TempDir() + "/pglite-ext-persist";
  std::filesystem::remove_all(path);
  {
    pglite::Options o;
    o.extensions = {"hstore", "vector"};
    pglite::Database db = pglite::Database::open(path, o);
    db.exec("CREATE TABLE t (h hstore, v vector(2))");
    db.exec("INSERT INTO t VALUES ('a=>1', '[1,2]')");
  }
  {
    pglite::Database db = pglite::Database::open(path);  // no options: they are in the catalog
    EXPECT_EQ(value(db, "SELECT (h -> 'a') || ' ' || (v <-> '[1,3]') FROM t"), "1 1");
    db.exec("DROP TABLE t");
    db.exec("DROP EXTENSION hstore");
  }
  {
    pglite::Database db = pglite::Database::open(path);
    EXPECT_EQ(value(db, "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension"),
              "plpgsql,vector");
  }
  std::filesystem::remove_all(path);
}

TEST(Extensions, TemporaryDatabasesStartFromATemplatePerSet) {
  pglite::Database a = with({"vector", "hstore"});
  pglite::Database b = with({"hstore", "vector"});  // same set, other order
  pglite::Database plain = pglite::Database::temporary();
  const char* names = "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension";
  EXPECT_EQ(value(a, names), "hstore,plpgsql,vector");
  EXPECT_EQ(value(b, names), "hstore,plpgsql,vector");
  EXPECT_EQ(value(plain, names), "plpgsql");
  a.exec("CREATE TABLE only_in_a (x int)");  // copy-on-write: b does not see it
  EXPECT_EQ(value(b, "SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'"), "0");
  // CREATE EXTENSION works on a plain temporary database too, and CASCADE
  // pulls in dependencies.
  plain.exec("CREATE EXTENSION earthdistance CASCADE");
  EXPECT_EQ(value(plain, "SELECT count(*) FROM pg_extension WHERE extname IN ('cube', 'earthdistance')"),
            "2");
}

TEST(Extensions, UnknownExtensionIsAnErrorAtOpen) {
  try {
    with({"no_such_extension"});
    FAIL() << "opened";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "0A000") << e.what();
    EXPECT_NE(std::string(e.what()).find("no_such_extension"), std::string::npos);
  }
}

TEST(Extensions, PostgresFdwFailsAtUseWithAnErrorNotACrash) {
  pglite::Database db = with({"postgres_fdw"});
  db.exec("CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '1')");
  db.exec("CREATE USER MAPPING FOR CURRENT_USER SERVER remote");
  db.exec("CREATE FOREIGN TABLE far (x int) SERVER remote");
  try {
    db.exec("SELECT * FROM far");
    FAIL() << "a foreign scan worked without a network";
  } catch (const pglite::Error& e) {
    EXPECT_FALSE(e.sqlstate().empty());
    EXPECT_NE(e.sqlstate(), "XX000") << e.what();
  }
  EXPECT_FALSE(db.broken());
  EXPECT_EQ(value(db, "SELECT 1"), "1");
}

TEST(Extensions, AutoExplainLoadsPerSessionOrAtStart) {
  std::vector<std::string> notices;
  pglite::Options o;
  o.on_notice = [&](const pglite::Notice& n) { notices.push_back(n.message); };
  {
    pglite::Database db = pglite::Database::temporary(o);
    db.exec("LOAD 'auto_explain'");
    db.exec("SET auto_explain.log_min_duration = 0");
    db.exec("SET auto_explain.log_level = notice");
    db.exec("SELECT count(*) FROM pg_class");
  }
  ASSERT_FALSE(notices.empty());
  EXPECT_NE(notices.back().find("Aggregate"), std::string::npos) << notices.back();
  notices.clear();
  o.settings = {{"shared_preload_libraries", "auto_explain"},
                {"auto_explain.log_min_duration", "0"},
                {"auto_explain.log_level", "notice"}};
  pglite::Database db = pglite::Database::temporary(o);
  db.exec("SELECT count(*) FROM pg_class");
  ASSERT_FALSE(notices.empty());
  EXPECT_NE(notices.back().find("Aggregate"), std::string::npos) << notices.back();
}

TEST(Extensions, PasswordcheckRejectsWeakPasswords) {
  pglite::Database db = pglite::Database::temporary();
  db.exec("LOAD 'passwordcheck'");
  try {
    db.exec("CREATE ROLE weak PASSWORD 'abc'");
    FAIL() << "accepted";
  } catch (const pglite::Error& e) {
    EXPECT_NE(std::string(e.what()).find("too short"), std::string::npos) << e.what();
  }
  db.exec("CREATE ROLE strong PASSWORD 'a-Much-longer-passw0rd'");
}

TEST(Extensions, TcnNotifiesListeners) {
  pglite::Database db = with({"tcn"});
  std::vector<std::string> payloads;
  db.listen("tcn", [&](const pglite::Notification& n) { payloads.push_back(n.payload); });
  db.exec("CREATE TABLE t (id int PRIMARY KEY)");
  db.exec(
      "CREATE TRIGGER t_tcn AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION triggered_change_notification()");
  db.exec("INSERT INTO t VALUES (42)");
  db.exec("SELECT 1");  // notifications arrive with the next round trip at the latest
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0], "\"t\",I,\"id\"='42'");
}

}  // namespace

namespace {

TEST(Extensions, CApiListsAndCreatesThem) {
  int count = 0;
  bool has_vector = false;
  for (const char* const* n = pglite_available_extensions(); *n; n++, count++) {
    has_vector = has_vector || std::string(*n) == "vector";
  }
  EXPECT_EQ(count, 39);
  EXPECT_TRUE(has_vector);
  const char* wanted[] = {"pg_trgm", "vector"};
  pglite_options options{};
  options.extensions = wanted;
  options.nextensions = 2;
  pglite_db* db = nullptr;
  ASSERT_EQ(pglite_open_temporary(&db, &options), PGLITE_OK) << (db ? pglite_errmsg(db) : "");
  pglite_result* r = nullptr;
  ASSERT_EQ(pglite_exec_result(db, "SELECT similarity('abc', 'abd') > 0 AND '[1]'::vector = '[1]'", &r),
            PGLITE_OK);
  EXPECT_STREQ(pglite_result_value(r, 0, 0), "t");
  pglite_result_free(r);
  pglite_close(db);
}

}  // namespace
