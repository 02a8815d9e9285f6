// The C++-API side of the crash trials (crash_trials.py): opens a
// persistent database with pglite::Database::open and writes until it is
// killed, printing one line per acknowledged commit:
//   ack <txn> <rows>
// <txn> is the transaction's number (also stored in every row it wrote and
// in the counter), <rows> how many ledger rows it committed. The trial
// script kills it with SIGKILL, reopens the database and checks that every
// acknowledged transaction is there.
//
// Usage: crash_writer PATH WRITER_ID SEED
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>
#include <string>

#include "pglite/database.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: crash_writer PATH WRITER_ID SEED\n");
    return 2;
  }
  const std::string writer = argv[2];
  std::mt19937 rng(static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10)));
  try {
    pglite::Database db = pglite::Database::open(argv[1]);
    db.exec(
        "CREATE TABLE IF NOT EXISTS ledger (writer text, txn bigint, n int, payload text, "
        "PRIMARY KEY (writer, txn, n));"
        "CREATE TABLE IF NOT EXISTS counter (writer text PRIMARY KEY, txns bigint NOT NULL);"
        "INSERT INTO counter VALUES ('" +
        writer + "', 0) ON CONFLICT DO NOTHING");
    // Continue numbering after the transactions an earlier run committed.
    long long txn = std::stoll(std::string(
        db.query("SELECT txns FROM counter WHERE writer = $1", writer).value(0, 0).value_or("0")));
    std::uniform_int_distribution<int> kind(0, 2), rows(2, 50), size(10, 2000);
    for (;;) {
      txn++;
      int n = 1;
      switch (kind(rng)) {
        case 0:  // one autocommit statement
          db.query(
              "WITH c AS (UPDATE counter SET txns = txns + 1 WHERE writer = $1) "
              "INSERT INTO ledger VALUES ($1, $2, 1, repeat('x', $3))",
              writer, txn, size(rng));
          break;
        case 1: {  // a multi-row transaction, row by row
          n = rows(rng);
          pglite::Transaction t = db.transaction();
          for (int i = 1; i <= n; i++) {
            db.query("INSERT INTO ledger VALUES ($1, $2, $3, repeat('y', $4))", writer, txn, i, size(rng));
          }
          db.query("UPDATE counter SET txns = txns + 1 WHERE writer = $1", writer);
          t.commit();
          break;
        }
        default:  // one statement, many rows
          n = rows(rng);
          db.query(
              "WITH c AS (UPDATE counter SET txns = txns + 1 WHERE writer = $1) "
              "INSERT INTO ledger SELECT $1, $2, i, md5(i::text) FROM generate_series(1, $3) i",
              writer, txn, n);
          break;
      }
      std::printf("ack %lld %d\n", txn, n);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crash_writer: %s\n", e.what());
    return 1;
  }
}
