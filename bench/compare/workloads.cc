#include "workloads.h"

#include <cstdint>
#include <string>

#include "json_writer.h"

namespace pglite::bench {
namespace {

// splitmix64: a fixed seed gives every target the same "random" values.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  int below(int bound) {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<int>((z ^ (z >> 31)) % static_cast<std::uint64_t>(bound));
  }

 private:
  std::uint64_t state_;
};

int scaled(Scale scale, int full) { return scale == Scale::kFull ? full : (full + 9) / 10; }

std::string row_values(int a, int b) {
  return "(" + std::to_string(a) + ", " + std::to_string(b) + ", '" + number_words(b) + "')";
}

// `rows` INSERT statements, one per row, into `table`.
std::string insert_statements(const std::string& table, int rows, Random& random) {
  std::string sql;
  for (int i = 1; i <= rows; ++i)
    sql += "INSERT INTO " + table + " VALUES" + row_values(i, random.below(100000)) + ";\n";
  return sql;
}

// One multi-row INSERT of `rows` rows into `table`.
std::string insert_single_statement(const std::string& table, int rows, Random& random) {
  std::string sql = "INSERT INTO " + table + " VALUES\n";
  for (int i = 1; i <= rows; ++i) sql += row_values(i, random.below(100000)) + (i < rows ? ",\n" : ";\n");
  return sql;
}

std::string create_table(const std::string& table) {
  return "CREATE TABLE " + table + "(a INTEGER, b INTEGER, c VARCHAR(100));\n";
}

std::string in_transaction(const std::string& body) { return "BEGIN;\n" + body + "COMMIT;\n"; }

}  // namespace

std::string number_words(int n) {
  static const char* const kOnes[] = {"zero",    "one",     "two",       "three",    "four",
                                      "five",    "six",     "seven",     "eight",    "nine",
                                      "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                      "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static const char* const kTens[] = {"",      "",      "twenty",  "thirty", "forty",
                                      "fifty", "sixty", "seventy", "eighty", "ninety"};
  if (n >= 1000) {
    std::string words = number_words(n / 1000) + " thousand";
    return n % 1000 ? words + " " + number_words(n % 1000) : words;
  }
  if (n >= 100) {
    std::string words = std::string(kOnes[n / 100]) + " hundred";
    return n % 100 ? words + " " + number_words(n % 100) : words;
  }
  if (n >= 20) return n % 10 ? std::string(kTens[n / 10]) + "-" + kOnes[n % 10] : kTens[n / 10];
  return kOnes[n];
}

Workload speed_workload(Scale scale) {
  Random random(20261123);
  const int small = scaled(scale, 1000), big = scaled(scale, 25000);
  Workload w{"speed", "Speed suite (SQLite speedtest, PGlite's 18 tests)", {}, 1, 0.0, {}};
  auto add = [&w](std::string id, std::string title, std::string sql) {
    w.steps.push_back(Step{std::move(id), std::move(title), "ms", 1, {std::move(sql)}});
  };
  const std::string n_small = std::to_string(small), n_big = std::to_string(big);

  add("1", n_small + " INSERTs", create_table("t1") + insert_statements("t1", small, random));
  add("2", n_big + " INSERTs in a transaction",
      in_transaction(create_table("t2") + insert_statements("t2", big, random)));
  add("2.1", n_big + " INSERTs in a single statement",
      in_transaction(create_table("t2_1") + insert_single_statement("t2_1", big, random)));
  add("3", n_big + " INSERTs into an indexed table",
      in_transaction(create_table("t3") + "CREATE INDEX i3 ON t3(c);\n" +
                     insert_statements("t3", big, random)));
  add("3.1", n_big + " INSERTs into an indexed table in a single statement",
      in_transaction(create_table("t3_1") + "CREATE INDEX i3_1 ON t3_1(c);\n" +
                     insert_single_statement("t3_1", big, random)));

  const int selects = scaled(scale, 100);
  std::string sql;
  for (int i = 0; i < selects; ++i)
    sql += "SELECT count(*), avg(b) FROM t2 WHERE b>=" + std::to_string(i * 100) + " AND b<" +
           std::to_string(i * 100 + 1000) + ";\n";
  add("4", std::to_string(selects) + " SELECTs without an index", in_transaction(sql));

  sql.clear();
  for (int i = 1; i <= selects; ++i)
    sql += "SELECT count(*), avg(b) FROM t2 WHERE c LIKE '%" + number_words(i) + "%';\n";
  add("5", std::to_string(selects) + " SELECTs on a string comparison", in_transaction(sql));

  add("6", "Creating an index", "CREATE INDEX i2a ON t2(a);\nCREATE INDEX i2b ON t2(b);\n");

  const int indexed_selects = scaled(scale, 5000);
  sql.clear();
  for (int i = 0; i < indexed_selects; ++i)
    sql += "SELECT count(*), avg(b) FROM t2 WHERE b>=" + std::to_string(i * 100) + " AND b<" +
           std::to_string(i * 100 + 100) + ";\n";
  add("7", std::to_string(indexed_selects) + " SELECTs with an index", sql);

  sql.clear();
  for (int i = 0; i < small; ++i)
    sql += "UPDATE t1 SET b=b*2 WHERE a>=" + std::to_string(i * 10) + " AND a<" +
           std::to_string(i * 10 + 10) + ";\n";
  add("8", n_small + " UPDATEs without an index", in_transaction(sql));

  sql.clear();
  for (int i = 1; i <= big; ++i)
    sql +=
        "UPDATE t2 SET b=" + std::to_string(random.below(100000)) + " WHERE a=" + std::to_string(i) + ";\n";
  add("9", n_big + " UPDATEs with an index", in_transaction(sql));

  sql.clear();
  for (int i = 1; i <= big; ++i)
    sql +=
        "UPDATE t2 SET c='" + number_words(random.below(100000)) + "' WHERE a=" + std::to_string(i) + ";\n";
  add("10", n_big + " text UPDATEs with an index", in_transaction(sql));

  add("11", "INSERTs from a SELECT",
      in_transaction("INSERT INTO t1 SELECT b,a,c FROM t2;\nINSERT INTO t2 SELECT b,a,c FROM t1;\n"));
  add("12", "DELETE without an index", "DELETE FROM t2 WHERE c LIKE '%fifty%';\n");
  add("13", "DELETE with an index", "DELETE FROM t2 WHERE a>10 AND a<20000;\n");
  add("14", "A big INSERT after a big DELETE", "INSERT INTO t2 SELECT * FROM t1;\n");

  const int refill = scaled(scale, 12000);
  add("15", "A big DELETE followed by " + std::to_string(refill) + " small INSERTs",
      in_transaction("DELETE FROM t1;\n" + insert_statements("t1", refill, random)));
  add("16", "DROP TABLE",
      "DROP TABLE t1;\nDROP TABLE t2;\nDROP TABLE t2_1;\nDROP TABLE t3;\nDROP TABLE t3_1;\n");
  return w;
}

Workload rtt_workload(Scale scale) {
  Workload w{"rtt", "Round-trip CRUD (trimmed mean)", {}, scale == Scale::kFull ? 500 : 20, 0.1, {}};
  w.setup = {"CREATE TABLE t1 (id SERIAL PRIMARY KEY NOT NULL, a INTEGER)",
             "CREATE TABLE t2 (id SERIAL PRIMARY KEY NOT NULL, a TEXT)", "CHECKPOINT"};
  int n = 0;
  auto add = [&w, &n](std::string title, std::string sql) {
    w.steps.push_back(Step{"r" + std::to_string(++n), std::move(title), "ms", 1, {std::move(sql)}});
  };
  w.steps.push_back(Step{"r0", "SELECT 1", "ms", 1, {"SELECT 1"}});  // the bare round trip
  add("INSERT small row", "INSERT INTO t1 (a) VALUES (1)");
  add("SELECT small row by id", "SELECT * FROM t1 WHERE id = 333");
  add("UPDATE small row by id", "UPDATE t1 SET a = 2 WHERE id = 666");
  add("DELETE small row", "DELETE FROM t1 WHERE id IN (SELECT id FROM t1 LIMIT 1)");
  for (int size : {1000, 10000}) {
    const std::string text(static_cast<std::size_t>(size), 'a');
    const std::string label = std::to_string(size / 1000) + " kB row";
    add("INSERT " + label, "INSERT INTO t2 (a) VALUES ('" + text + "')");
    add("SELECT " + label, "SELECT * FROM t2 WHERE id IN (SELECT id FROM t2 LIMIT 1)");
    add("UPDATE " + label, "UPDATE t2 SET a = '" + text + "' WHERE id = 1");
    add("DELETE " + label, "DELETE FROM t2 WHERE id IN (SELECT id FROM t2 LIMIT 1)");
  }
  return w;
}

Workload tpcb_workload(Scale scale) {
  constexpr int kAccounts = 100000, kTellers = 10;  // pgbench scale 1
  const int transactions = scale == Scale::kFull ? 5000 : 100;
  Workload w{"tpcb", "TPC-B-like, 1 client (per transaction)", {}, 1, 0.0, {}};
  w.setup = {
      "CREATE TABLE pgbench_branches (bid int NOT NULL, bbalance int, filler char(88))",
      "CREATE TABLE pgbench_tellers (tid int NOT NULL, bid int, tbalance int, filler char(84))",
      "CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84))",
      "CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))",
      "INSERT INTO pgbench_branches VALUES (1, 0, '')",
      "INSERT INTO pgbench_tellers SELECT g, 1, 0, '' FROM generate_series(1, " + std::to_string(kTellers) +
          ") g",
      "INSERT INTO pgbench_accounts SELECT g, 1, 0, '' FROM generate_series(1, " + std::to_string(kAccounts) +
          ") g",
      "ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid)",
      "ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid)",
      "ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)",
      "VACUUM ANALYZE",
      "CHECKPOINT"};
  Random random(5000);
  Step step{"tpcb", "TPC-B-like transaction", "ms", transactions, {}};
  step.sql.reserve(static_cast<std::size_t>(transactions) * 7);
  for (int i = 0; i < transactions; ++i) {
    const std::string aid = std::to_string(1 + random.below(kAccounts));
    const std::string tid = std::to_string(1 + random.below(kTellers));
    const std::string delta = std::to_string(random.below(10001) - 5000);
    step.sql.push_back("BEGIN");
    step.sql.push_back("UPDATE pgbench_accounts SET abalance = abalance + " + delta + " WHERE aid = " + aid);
    step.sql.push_back("SELECT abalance FROM pgbench_accounts WHERE aid = " + aid);
    step.sql.push_back("UPDATE pgbench_tellers SET tbalance = tbalance + " + delta + " WHERE tid = " + tid);
    step.sql.push_back("UPDATE pgbench_branches SET bbalance = bbalance + " + delta + " WHERE bid = 1");
    step.sql.push_back("INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (" + tid + ", 1, " +
                       aid + ", " + delta + ", CURRENT_TIMESTAMP)");
    step.sql.push_back("END");
  }
  w.steps.push_back(std::move(step));
  return w;
}

CloneFixture clone_fixture(Scale scale) {
  // 68.7 bytes per row on PostgreSQL 17 (8 KiB pages, checksums or not) on
  // top of the 7.3 MB of an empty database: 1.42 M rows are 100 MiB.
  const std::string rows = std::to_string(scaled(scale, 1420000));
  return {{"CREATE TABLE fixture AS SELECT g, md5(g::text) AS h FROM generate_series(1, " + rows + ") g",
           "CHECKPOINT"},
          "SELECT g FROM fixture LIMIT 1"};
}

Suite make_suite(Scale scale) {
  Suite suite;
  suite.scale = scale;
  suite.reset = {"DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public"};
  suite.workloads = {speed_workload(scale), rtt_workload(scale), tpcb_workload(scale)};
  suite.fixture = clone_fixture(scale);
  return suite;
}

std::string suite_json(const Suite& suite) {
  std::string out = "{\n  \"scale\": ";
  out += json_string(suite.scale == Scale::kFull ? "full" : "quick");
  out += ",\n  \"reset\": " + json_string_array(suite.reset, "    ") + ",\n  \"workloads\": [";
  for (std::size_t i = 0; i < suite.workloads.size(); ++i) {
    const Workload& w = suite.workloads[i];
    out += i ? ",\n" : "\n";
    out += "    {\"name\": " + json_string(w.name) + ", \"title\": " + json_string(w.title) +
           ", \"iterations\": " + std::to_string(w.iterations) + ", \"trim\": " + std::to_string(w.trim) +
           ",\n     \"setup\": " + json_string_array(w.setup, "       ") + ",\n     \"steps\": [";
    for (std::size_t j = 0; j < w.steps.size(); ++j) {
      const Step& s = w.steps[j];
      out += j ? ",\n" : "\n";
      out += "      {\"id\": " + json_string(s.id) + ", \"title\": " + json_string(s.title) +
             ", \"unit\": " + json_string(s.unit) + ", \"divide_by\": " + std::to_string(s.divide_by) +
             ",\n       \"sql\": " + json_string_array(s.sql, "         ") + "}";
    }
    out += "]}";
  }
  out += "\n  ],\n  \"fixture\": {\"load\": " + json_string_array(suite.fixture.load, "    ") +
         ",\n    \"first_query\": " + json_string(suite.fixture.first_query) + "}";
  return out + "\n}\n";
}

}  // namespace pglite::bench
