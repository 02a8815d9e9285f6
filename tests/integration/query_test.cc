// Queries through the real translated Postgres: version, bulk data, types,
// plpgsql, errors, transactions.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "pglite/pglite.hpp"

namespace {

class QueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { db_ = new pglite::Database(pglite::Database::temporary()); }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  pglite::Database& db() { return *db_; }
  static pglite::Database* db_;
};
pglite::Database* QueryTest::db_ = nullptr;

TEST_F(QueryTest, VersionIs17_5) {
  auto r = db().exec("SELECT version()");
  ASSERT_EQ(r.rows(), 1u);
  EXPECT_NE(std::string(*r.value(0, 0)).find("PostgreSQL 17.5"), std::string::npos) << *r.value(0, 0);
}

TEST_F(QueryTest, HundredThousandRowsInsertAndAggregate) {
  db().exec("CREATE TABLE bulk (id int PRIMARY KEY, payload text)");
  auto ins = db().exec("INSERT INTO bulk SELECT g, md5(g::text) FROM generate_series(1, 100000) g");
  EXPECT_EQ(ins.command_tag(), "INSERT 0 100000");
  EXPECT_EQ(ins.affected_rows(), 100000);
  auto r = db().exec("SELECT count(*), sum(id), count(DISTINCT payload) FROM bulk");
  EXPECT_EQ(r.get<int64_t>(0, 0), 100000);
  EXPECT_EQ(r.get<int64_t>(0, 1), 5000050000LL);
  EXPECT_EQ(r.get<int64_t>(0, 2), 100000);
  db().exec("DROP TABLE bulk");
}

TEST_F(QueryTest, ParametersRoundTripEveryCommonType) {
  auto r = db().query(
      "SELECT $1::int2, $2::int4, $3::int8, $4::numeric, $5::float8, $6::text, $7::bool, $8::date,"
      " $9::timestamp, $10::timestamptz, $11::interval, $12::json, $13::jsonb, $14::uuid, $15::int[],"
      " $16::text",
      int16_t{-7}, int32_t{123456}, int64_t{9000000000LL}, "12345.678901234567890", 2.5, "héllo 'world'",
      true, "2024-02-29", "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05+02", "1 day 02:03:04",
      R"({"a": [1, 2]})", R"({"b": true, "a": 1})", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{1,2,NULL}",
      std::nullopt);
  ASSERT_EQ(r.rows(), 1u);
  EXPECT_EQ(*r.value(0, 0), "-7");
  EXPECT_EQ(*r.value(0, 1), "123456");
  EXPECT_EQ(*r.value(0, 2), "9000000000");
  EXPECT_EQ(*r.value(0, 3), "12345.678901234567890");
  EXPECT_EQ(*r.value(0, 4), "2.5");
  EXPECT_EQ(*r.value(0, 5), "héllo 'world'");
  EXPECT_EQ(*r.value(0, 6), "t");
  EXPECT_EQ(*r.value(0, 7), "2024-02-29");
  EXPECT_EQ(*r.value(0, 8), "2024-01-02 03:04:05.123456");
  EXPECT_EQ(*r.value(0, 9), "2024-01-02 01:04:05+00");
  EXPECT_EQ(*r.value(0, 10), "1 day 02:03:04");
  EXPECT_EQ(*r.value(0, 11), R"({"a": [1, 2]})");
  EXPECT_EQ(*r.value(0, 12), R"({"a": 1, "b": true})");
  EXPECT_EQ(*r.value(0, 13), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(*r.value(0, 14), "{1,2,NULL}");
  EXPECT_FALSE(r.value(0, 15).has_value());
  EXPECT_TRUE(r.is_null(0, 15));
  EXPECT_EQ(r.columns()[1].type_oid, 23u);     // int4
  EXPECT_EQ(r.columns()[13].type_oid, 2950u);  // uuid
}

TEST_F(QueryTest, ByteaRoundTripsBinarySafe) {
  pglite::Bytes blob;
  for (int i = 0; i < 256; i++) blob.push_back(static_cast<std::byte>(i));
  auto r = db().query("SELECT $1::bytea, length($1::bytea)", blob);
  EXPECT_EQ(r.get<int64_t>(0, 1), 256);
  std::string hex(*r.value(0, 0));
  EXPECT_EQ(hex.substr(0, 10), "\\x00010203");
  EXPECT_EQ(hex.size(), 2u + 512u);
}

TEST_F(QueryTest, PlpgsqlFunctionAndTrigger) {
  db().exec(R"(
    CREATE TABLE audited (id serial PRIMARY KEY, v int, doubled int);
    CREATE FUNCTION double_it() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.doubled := NEW.v * 2;
      RETURN NEW;
    END $$;
    CREATE TRIGGER audited_double BEFORE INSERT ON audited FOR EACH ROW EXECUTE FUNCTION double_it();
    CREATE FUNCTION fib(n int) RETURNS bigint LANGUAGE plpgsql AS $$
    DECLARE a bigint := 0; b bigint := 1; t bigint;
    BEGIN
      FOR i IN 1..n LOOP t := a + b; a := b; b := t; END LOOP;
      RETURN a;
    END $$;
  )");
  db().exec("INSERT INTO audited (v) VALUES (21), (50)");
  auto r = db().exec("SELECT sum(doubled) FROM audited");
  EXPECT_EQ(r.get<int64_t>(0, 0), 142);
  EXPECT_EQ(db().query("SELECT fib($1)", 50).get<int64_t>(0, 0), 12586269025LL);
}

TEST_F(QueryTest, ErrorThenSuccessOnTheSameDatabase) {
  try {
    db().exec("SELECT * FROM no_such_table");
    FAIL() << "expected an error";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "42P01");
    EXPECT_NE(e.message().find("no_such_table"), std::string::npos);
    EXPECT_GT(e.position(), 0);
  }
  try {
    db().query("SELECT 1 / $1::int", 0);
    FAIL() << "expected an error";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
  }
  EXPECT_EQ(db().exec("SELECT 42").get<int64_t>(0, 0), 42);
  EXPECT_THROW(db().exec("SELEC oops"), pglite::Error);
  EXPECT_EQ(db().query("SELECT $1::int + 1", 41).get<int64_t>(0, 0), 42);
}

TEST_F(QueryTest, ErrorsCarryDetailAndHint) {
  db().exec("CREATE TABLE uniq (k text PRIMARY KEY)");
  db().query("INSERT INTO uniq VALUES ($1)", "a");
  try {
    db().query("INSERT INTO uniq VALUES ($1)", "a");
    FAIL();
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "23505");
    EXPECT_EQ(e.detail(), "Key (k)=(a) already exists.");
  }
  try {
    db().exec("SELECT nosuchfunc(1)");
    FAIL();
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "42883");
    EXPECT_FALSE(e.hint().empty());
  }
}

// The conversion modules in PGlite's bundle import Postgres internals that
// pglite.wasm does not export; the shim provides them (encoding_test.cc has
// the details).
TEST_F(QueryTest, ConversionModulesWork) {
  EXPECT_EQ(*db().exec("SELECT convert_to('hé', 'LATIN1')").value(0, 0), "\\x68e9");
  EXPECT_FALSE(db().broken());
  EXPECT_EQ(db().exec("SELECT convert_to('abc', 'UTF8')::text").rows(), 1u);
}

TEST_F(QueryTest, RollbackLeavesNoTrace) {
  db().exec("CREATE TABLE rb (v int)");
  db().begin();
  db().exec("INSERT INTO rb VALUES (1), (2)");
  db().exec("CREATE TABLE rb_inner (x int)");
  EXPECT_TRUE(db().in_transaction());
  db().rollback();
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(db().exec("SELECT count(*) FROM rb").get<int64_t>(0, 0), 0);
  EXPECT_THROW(db().exec("SELECT * FROM rb_inner"), pglite::Error);
  {
    auto tx = db().transaction();
    db().exec("INSERT INTO rb VALUES (3)");
  }  // not committed: rolled back by the guard
  EXPECT_EQ(db().exec("SELECT count(*) FROM rb").get<int64_t>(0, 0), 0);
  {
    auto tx = db().transaction();
    db().exec("INSERT INTO rb VALUES (4)");
    tx.commit();
  }
  EXPECT_EQ(db().exec("SELECT sum(v) FROM rb").get<int64_t>(0, 0), 4);
}

TEST_F(QueryTest, ErrorInsideTransactionAbortsItUntilRollback) {
  db().begin();
  EXPECT_THROW(db().exec("SELECT 1/0"), pglite::Error);
  try {
    db().exec("SELECT 1");
    FAIL();
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "25P02");
  }
  db().rollback();
  EXPECT_EQ(db().exec("SELECT 1").get<int64_t>(0, 0), 1);
}

TEST_F(QueryTest, MultiStatementExecReturnsEveryResult) {
  auto results = db().exec_all("SELECT 1; SELECT 'a', 'b'; CREATE TEMP TABLE ms (x int)");
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].cols(), 2u);
  EXPECT_EQ(results[2].command_tag(), "CREATE TABLE");
}

}  // namespace
