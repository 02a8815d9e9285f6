// Cross-architecture check (scripts/test-arm64.sh): the same database bytes
// must give the same answers on every host architecture. Built for x86-64
// and for arm64; each writes a persistent data directory and a physical
// archive, and each reads both architectures' files.
//
//   crossarch_tool write DIR ARCHIVE   create DIR, fill it, export ARCHIVE
//   crossarch_tool read-dir DIR        open DIR: queries, then a write and
//                                      a checkpoint, queries again
//   crossarch_tool read-archive FILE   a temporary database from FILE: queries
//
// The output of the queries is the comparison: the test diffs it across
// architectures. Page checksums are on (the template is initdb'd with
// --data-checksums), so a page read differently fails loudly.
#include <pglite/database.h>

#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kFill = R"sql(
CREATE EXTENSION amcheck;
CREATE TABLE t (id int PRIMARY KEY, i2 smallint, i8 bigint, f4 real, f8 double precision,
                n numeric, txt text, b bytea, ts timestamptz, d date, iv interval, j jsonb,
                arr int[], u uuid, bo boolean, c char(3), pt point, r int4range);
INSERT INTO t
SELECT g, (g % 32000)::smallint, g::bigint * 1000003, (g / 7.0)::real, sqrt(g) * 1.1 + g / 3.0,
       (g::numeric / 7) ^ 2, md5(g::text) || repeat('x', g % 50), decode(md5(g::text), 'hex'),
       timestamptz '2024-01-01 00:00:00+00' + g * interval '37 min', date '2000-01-01' + g,
       make_interval(secs => g * 1.5), jsonb_build_object('k', g, 'a', jsonb_build_array(g, g * 2, 's' || g)),
       ARRAY[g, g + 1, -g], md5(g::text)::uuid, g % 2 = 0, lpad((g % 1000)::text, 3, '0'),
       point(g * 0.5, -g), int4range(g, g + g % 17 + 1)
FROM generate_series(1, 20000) g;
CREATE INDEX t_txt ON t (txt);
CREATE INDEX t_f8 ON t (f8 DESC);
CREATE INDEX t_j ON t USING gin (j);
CREATE INDEX t_i8 ON t USING hash (i8);
CREATE INDEX t_ts ON t USING brin (ts);
CREATE INDEX t_arr ON t USING gin (arr);
CREATE INDEX t_pt ON t USING gist (pt);
CREATE INDEX t_r ON t USING spgist (r);
CREATE TABLE toast (id int PRIMARY KEY, big text);
INSERT INTO toast SELECT g, repeat(md5(g::text), 2000 + g) FROM generate_series(1, 50) g;
CREATE SEQUENCE s;
SELECT nextval('s') FROM generate_series(1, 5);
CREATE FUNCTION f(x float8) RETURNS float8 LANGUAGE plpgsql AS $$ BEGIN RETURN x * 1.1 + 0.3; END $$;
CREATE VIEW v AS SELECT id, f(f8) AS g FROM t WHERE id % 100 = 0;
DELETE FROM t WHERE id % 97 = 0;
UPDATE t SET txt = upper(txt) WHERE id % 89 = 0;
VACUUM ANALYZE t;
)sql";

constexpr std::string_view kQueries[] = {
    "SHOW data_checksums",
    "SHOW server_version",
    "SELECT count(*), sum(i2), sum(i8), sum(f4)::text, sum(f8)::text, avg(n), min(ts), max(d), sum(iv) FROM "
    "t",
    "SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM t",
    "SELECT md5(string_agg(big, '' ORDER BY id)), sum(length(big)) FROM toast",
    "SELECT last_value FROM s",
    "SELECT md5(string_agg(g::text, ',' ORDER BY id)) FROM v",
    // Index scans only: every index's pages are read.
    "SET enable_seqscan = off",
    "SET enable_bitmapscan = off",
    "SELECT id FROM t WHERE txt = md5('123') || repeat('x', 123 % 50)",
    "SELECT id, f8 FROM t ORDER BY f8 DESC LIMIT 3",
    "SET enable_bitmapscan = on",
    "SET enable_indexscan = off",
    "SELECT count(*) FROM t WHERE j @> '{\"k\": 500}'",
    "SELECT count(*) FROM t WHERE arr @> ARRAY[-4242]",
    "SELECT count(*) FROM t WHERE ts < '2024-01-10'",
    "RESET enable_indexscan",
    "SELECT id FROM t WHERE i8 = 1000003 * 777",
    "SELECT id FROM t ORDER BY pt <-> point(100.2, -200.3) LIMIT 3",
    "SELECT count(*) FROM t WHERE r @> 1234",
    "RESET enable_seqscan",
    "RESET enable_bitmapscan",
    // Index structure, as amcheck sees it.
    "SELECT c.relname, bt_index_parent_check(c.oid, true) FROM pg_class c JOIN pg_am a ON a.oid = c.relam "
    "WHERE a.amname = 'btree' AND c.relname IN ('t_pkey', 't_txt', 't_f8', 'toast_pkey') ORDER BY c.relname",
    // Floating point computed now, by this host's translation of Postgres.
    "SET extra_float_digits = 3",
    "SELECT md5(string_agg(concat_ws(',', sin(g) * cos(g) + g * 1.000001, g::float8 / 3.0 * 7.0 + 0.1, "
    "ln(g), "
    "power(g, 0.37), exp(g / 5000.0), (g::float4 * 1.1::float4 + 0.3::float4)), ';' ORDER BY g)) "
    "FROM generate_series(1, 10000) g",
    "SELECT stddev(f8)::text, var_samp(f4)::text, corr(f8, f4)::text, regr_slope(f8, id)::text FROM t",
    "RESET extra_float_digits",
    "SELECT checksum_failures FROM pg_stat_database WHERE datname = current_database()",
};

void print(const pglite::Result& r) {
  for (size_t row = 0; row < r.rows(); row++) {
    for (size_t col = 0; col < r.cols(); col++) {
      if (col) std::cout << '\t';
      auto v = r.value(row, col);
      std::cout << (v ? std::string(*v) : std::string("\\N"));
    }
    std::cout << '\n';
  }
}

void run_queries(pglite::Database& db) {
  for (std::string_view q : kQueries) {
    std::cout << "> " << q << '\n';
    print(db.exec(q));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "write" && argc == 4) {
      auto db = pglite::Database::open(argv[2]);
      db.exec_script(kFill);
      db.export_archive(argv[3]);
      db.close();
    } else if (mode == "read-dir" && argc == 3) {
      auto db = pglite::Database::open(argv[2]);
      run_queries(db);
      // This host writes to the other's files, and reads its own writes back.
      db.exec_script(
          "INSERT INTO t (id, f8, txt) SELECT g, g * 0.25, 'new' || g FROM generate_series(30001, 31000) g;"
          "UPDATE t SET f8 = f8 * 2 WHERE id % 10 = 0; CHECKPOINT;");
      std::cout << "--- after a write\n";
      run_queries(db);
      db.close();
    } else if (mode == "read-archive" && argc == 3) {
      auto db = pglite::Database::temporary_from_archive(argv[2]);
      run_queries(db);
      db.close();
    } else {
      std::cerr << "usage: crossarch_tool write DIR ARCHIVE | read-dir DIR | read-archive FILE\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "crossarch_tool " << mode << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}
