/* libpq against the server: binary results, errors, pipeline mode, COPY both
 * ways, LISTEN/NOTIFY between two connections, and prepared statement names
 * private to each connection. Connects with the PG* environment that
 * server.sh sets. Each test opens its own connections; a failed check ends
 * that test and the others still run. */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static jmp_buf test_failed;
static const char* current_test = "";

static void fail(int line, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "FAIL %s (libpq_test.c:%d): ", current_test, line);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  longjmp(test_failed, 1);
}

#define CHECK(cond, ...)                      \
  do {                                        \
    if (!(cond)) fail(__LINE__, __VA_ARGS__); \
  } while (0)

static PGconn* connect_db(void) {
  PGconn* conn = PQconnectdb("connect_timeout=10");
  CHECK(PQstatus(conn) == CONNECTION_OK, "connect: %s", PQerrorMessage(conn));
  return conn;
}

/* Runs sql and checks the result status; returns the result. */
static PGresult* exec_ok(PGconn* conn, const char* sql, ExecStatusType want, int line) {
  PGresult* r = PQexec(conn, sql);
  if (PQresultStatus(r) != want)
    fail(line, "%s: got %s, want %s: %s", sql, PQresStatus(PQresultStatus(r)), PQresStatus(want),
         PQerrorMessage(conn));
  return r;
}
#define EXEC(conn, sql) PQclear(exec_ok(conn, sql, PGRES_COMMAND_OK, __LINE__))
#define QUERY(conn, sql) exec_ok(conn, sql, PGRES_TUPLES_OK, __LINE__)

static const char* sqlstate(const PGresult* r) {
  const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  return s ? s : "(none)";
}

static uint32_t be32(const char* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return ntohl(v);
}

static void test_binary_results(void) {
  PGconn* conn = connect_db();
  const char* sql = "SELECT $1::int4, $2::int8, $3::text, $4::bytea, $5::int4";
  const char* values[5] = {"-42", "-9000000000123", "héllo wörld", "\\x00ff10", NULL};
  PGresult* r = PQexecParams(conn, sql, 5, NULL, values, NULL, NULL, 1 /* binary results */);
  CHECK(PQresultStatus(r) == PGRES_TUPLES_OK, "PQexecParams: %s", PQerrorMessage(conn));
  CHECK(PQntuples(r) == 1 && PQnfields(r) == 5, "shape %dx%d", PQntuples(r), PQnfields(r));
  CHECK(PQftype(r, 0) == 23 && PQftype(r, 1) == 20 && PQftype(r, 2) == 25 && PQftype(r, 3) == 17,
        "type OIDs %u %u %u %u", PQftype(r, 0), PQftype(r, 1), PQftype(r, 2), PQftype(r, 3));
  for (int i = 0; i < 5; i++) CHECK(PQfformat(r, i) == 1, "column %d not binary", i);

  CHECK(PQgetlength(r, 0, 0) == 4, "int4 length %d", PQgetlength(r, 0, 0));
  CHECK((int32_t)be32(PQgetvalue(r, 0, 0)) == -42, "int4 value %d", (int32_t)be32(PQgetvalue(r, 0, 0)));

  CHECK(PQgetlength(r, 0, 1) == 8, "int8 length %d", PQgetlength(r, 0, 1));
  const char* p = PQgetvalue(r, 0, 1);
  int64_t i8 = (int64_t)(((uint64_t)be32(p) << 32) | be32(p + 4));
  CHECK(i8 == INT64_C(-9000000000123), "int8 value %lld", (long long)i8);

  CHECK(PQgetlength(r, 0, 2) == (int)strlen(values[2]) &&
            memcmp(PQgetvalue(r, 0, 2), values[2], strlen(values[2])) == 0,
        "text value '%.*s'", PQgetlength(r, 0, 2), PQgetvalue(r, 0, 2));

  CHECK(PQgetlength(r, 0, 3) == 3 && memcmp(PQgetvalue(r, 0, 3), "\x00\xff\x10", 3) == 0, "bytea length %d",
        PQgetlength(r, 0, 3));
  CHECK(PQgetisnull(r, 0, 4), "NULL parameter did not come back NULL");
  PQclear(r);
  PQfinish(conn);
  printf("ok: PQexecParams with text params, binary int4/int8/text/bytea results\n");
}

static void test_error_then_success(void) {
  PGconn* conn = connect_db();
  PGresult* r = PQexec(conn, "SELECT 1 / 0");
  CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR, "1/0 gave %s", PQresStatus(PQresultStatus(r)));
  CHECK(strcmp(sqlstate(r), "22012") == 0, "1/0 SQLSTATE %s", sqlstate(r));
  PQclear(r);
  r = QUERY(conn, "SELECT 'still here'");
  CHECK(strcmp(PQgetvalue(r, 0, 0), "still here") == 0, "after error: %s", PQgetvalue(r, 0, 0));
  PQclear(r);

  /* An error inside a transaction aborts it until ROLLBACK. */
  EXEC(conn, "BEGIN");
  r = PQexec(conn, "SELECT * FROM no_such_table");
  CHECK(strcmp(sqlstate(r), "42P01") == 0, "missing table SQLSTATE %s", sqlstate(r));
  PQclear(r);
  CHECK(PQtransactionStatus(conn) == PQTRANS_INERROR, "transaction status %d", PQtransactionStatus(conn));
  r = PQexec(conn, "SELECT 1");
  CHECK(strcmp(sqlstate(r), "25P02") == 0, "in failed transaction SQLSTATE %s", sqlstate(r));
  PQclear(r);
  EXEC(conn, "ROLLBACK");
  CHECK(PQtransactionStatus(conn) == PQTRANS_IDLE, "after ROLLBACK status %d", PQtransactionStatus(conn));
  PQclear(QUERY(conn, "SELECT 1"));
  PQfinish(conn);
  printf("ok: errors carry SQLSTATE (22012, 42P01, 25P02) and the connection recovers\n");
}

/* Reads one query's results in pipeline mode: a result of status want, then NULL. */
static PGresult* pipeline_result(PGconn* conn, ExecStatusType want, int line) {
  PGresult* r = PQgetResult(conn);
  if (!r || PQresultStatus(r) != want)
    fail(line, "pipeline: got %s, want %s: %s", r ? PQresStatus(PQresultStatus(r)) : "NULL",
         PQresStatus(want), PQerrorMessage(conn));
  if (want != PGRES_PIPELINE_SYNC) {
    PGresult* end = PQgetResult(conn);
    if (end)
      fail(line, "pipeline: expected NULL after a query's result, got %s", PQresStatus(PQresultStatus(end)));
  }
  return r;
}
#define PIPE(conn, want) PQclear(pipeline_result(conn, want, __LINE__))

static void send_query(PGconn* conn, const char* sql, int line) {
  if (!PQsendQueryParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0))
    fail(line, "send %s: %s", sql, PQerrorMessage(conn));
}
#define SEND(conn, sql) send_query(conn, sql, __LINE__)

static void test_pipeline(void) {
  PGconn* conn = connect_db();
  EXEC(conn, "CREATE TABLE pipe_t (id int PRIMARY KEY, v text)");
  CHECK(PQenterPipelineMode(conn) == 1, "PQenterPipelineMode: %s", PQerrorMessage(conn));
  SEND(conn, "INSERT INTO pipe_t VALUES (1, 'a')");
  SEND(conn, "INSERT INTO pipe_t VALUES (2, 'b')");
  SEND(conn, "SELECT count(*) FROM pipe_t");
  CHECK(PQpipelineSync(conn) == 1, "PQpipelineSync: %s", PQerrorMessage(conn));
  /* An error aborts the rest of its sync segment, not the next one. */
  SEND(conn, "INSERT INTO pipe_t VALUES (1, 'duplicate')");
  SEND(conn, "INSERT INTO pipe_t VALUES (3, 'skipped')");
  CHECK(PQpipelineSync(conn) == 1, "PQpipelineSync: %s", PQerrorMessage(conn));
  SEND(conn, "SELECT string_agg(v, ',' ORDER BY id) FROM pipe_t");
  CHECK(PQpipelineSync(conn) == 1, "PQpipelineSync: %s", PQerrorMessage(conn));

  PIPE(conn, PGRES_COMMAND_OK);
  PIPE(conn, PGRES_COMMAND_OK);
  PGresult* r = pipeline_result(conn, PGRES_TUPLES_OK, __LINE__);
  CHECK(strcmp(PQgetvalue(r, 0, 0), "2") == 0, "count in pipeline %s", PQgetvalue(r, 0, 0));
  PQclear(r);
  PIPE(conn, PGRES_PIPELINE_SYNC);

  r = pipeline_result(conn, PGRES_FATAL_ERROR, __LINE__);
  CHECK(strcmp(sqlstate(r), "23505") == 0, "duplicate SQLSTATE %s", sqlstate(r));
  PQclear(r);
  PIPE(conn, PGRES_PIPELINE_ABORTED);
  PIPE(conn, PGRES_PIPELINE_SYNC);

  r = pipeline_result(conn, PGRES_TUPLES_OK, __LINE__);
  CHECK(strcmp(PQgetvalue(r, 0, 0), "a,b") == 0, "rows after the aborted segment: %s", PQgetvalue(r, 0, 0));
  PQclear(r);
  PIPE(conn, PGRES_PIPELINE_SYNC);
  CHECK(PQexitPipelineMode(conn) == 1, "PQexitPipelineMode: %s", PQerrorMessage(conn));
  PQfinish(conn);
  printf("ok: pipeline mode (3 sync segments, an aborted one in the middle)\n");
}

static void test_copy(void) {
  PGconn* conn = connect_db();
  enum { ROWS = 20000 };
  EXEC(conn, "CREATE TABLE copy_t (id int, body text)");
  PGresult* r = PQexec(conn, "COPY copy_t (id, body) FROM STDIN");
  CHECK(PQresultStatus(r) == PGRES_COPY_IN, "COPY FROM STDIN: %s", PQerrorMessage(conn));
  PQclear(r);
  /* Send in odd-sized chunks so rows straddle CopyData messages. */
  static char buf[1 << 20];
  size_t len = 0;
  for (int i = 1; i <= ROWS; i++) len += (size_t)sprintf(buf + len, "%d\tbody\\t%d\n", i, i * 3);
  for (size_t off = 0; off < len; off += 3001) {
    size_t n = len - off < 3001 ? len - off : 3001;
    CHECK(PQputCopyData(conn, buf + off, (int)n) == 1, "PQputCopyData: %s", PQerrorMessage(conn));
  }
  CHECK(PQputCopyEnd(conn, NULL) == 1, "PQputCopyEnd: %s", PQerrorMessage(conn));
  r = PQgetResult(conn);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "COPY FROM end: %s", PQerrorMessage(conn));
  CHECK(strcmp(PQcmdTuples(r), "20000") == 0, "COPY FROM count %s", PQcmdTuples(r));
  PQclear(r);
  CHECK(PQgetResult(conn) == NULL, "extra result after COPY");

  r = PQexec(conn, "COPY (SELECT id, body FROM copy_t ORDER BY id) TO STDOUT");
  CHECK(PQresultStatus(r) == PGRES_COPY_OUT, "COPY TO STDOUT: %s", PQerrorMessage(conn));
  PQclear(r);
  size_t got = 0;
  int rows = 0, n;
  char* line;
  while ((n = PQgetCopyData(conn, &line, 0)) > 0) {
    if (got + (size_t)n > len || memcmp(buf + got, line, (size_t)n) != 0)
      fail(__LINE__, "COPY TO data differs at byte %zu", got);
    got += (size_t)n;
    rows++;
    PQfreemem(line);
  }
  CHECK(n == -1, "PQgetCopyData: %d %s", n, PQerrorMessage(conn));
  CHECK(rows == ROWS && got == len, "COPY TO gave %d rows, %zu of %zu bytes", rows, got, len);
  r = PQgetResult(conn);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "COPY TO end: %s", PQerrorMessage(conn));
  PQclear(r);
  CHECK(PQgetResult(conn) == NULL, "extra result after COPY TO");

  /* Bad data fails the COPY (22P02) and the connection goes on. */
  r = PQexec(conn, "COPY copy_t (id, body) FROM STDIN");
  CHECK(PQresultStatus(r) == PGRES_COPY_IN, "second COPY FROM STDIN: %s", PQerrorMessage(conn));
  PQclear(r);
  CHECK(PQputCopyData(conn, "1\tok\nnot-a-number\tbad\n", 23) == 1, "PQputCopyData: %s",
        PQerrorMessage(conn));
  CHECK(PQputCopyEnd(conn, NULL) == 1, "PQputCopyEnd: %s", PQerrorMessage(conn));
  r = PQgetResult(conn);
  CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR && strcmp(sqlstate(r), "22P02") == 0, "bad COPY: %s %s",
        PQresStatus(PQresultStatus(r)), sqlstate(r));
  PQclear(r);
  CHECK(PQgetResult(conn) == NULL, "extra result after failed COPY");
  r = QUERY(conn, "SELECT count(*) FROM copy_t");
  CHECK(strcmp(PQgetvalue(r, 0, 0), "20000") == 0, "rows after failed COPY: %s", PQgetvalue(r, 0, 0));
  PQclear(r);
  PQfinish(conn);
  printf("ok: COPY FROM STDIN (%d rows in 3001-byte chunks), COPY TO STDOUT, a failed COPY\n", ROWS);
}

/* Waits up to 10 s for a notification on conn. */
static PGnotify* wait_notify(PGconn* conn) {
  for (int i = 0; i < 100; i++) {
    CHECK(PQconsumeInput(conn) == 1, "PQconsumeInput: %s", PQerrorMessage(conn));
    PGnotify* n = PQnotifies(conn);
    if (n) return n;
    struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
    poll(&pfd, 1, 100);
  }
  return NULL;
}

static void test_listen_notify(void) {
  PGconn* listener = connect_db();
  PGconn* sender = connect_db();
  EXEC(listener, "LISTEN pglite_test_chan");
  EXEC(sender, "NOTIFY pglite_test_chan, 'hello from sender'");
  PGnotify* n = wait_notify(listener);
  CHECK(n != NULL, "no notification within 10 s");
  CHECK(strcmp(n->relname, "pglite_test_chan") == 0, "channel %s", n->relname);
  CHECK(strcmp(n->extra, "hello from sender") == 0, "payload %s", n->extra);
  PQfreemem(n);

  /* A rolled back NOTIFY is never delivered; a committed one is. */
  EXEC(sender, "BEGIN");
  EXEC(sender, "NOTIFY pglite_test_chan, 'rolled back'");
  EXEC(sender, "ROLLBACK");
  EXEC(sender, "BEGIN");
  PQclear(QUERY(sender, "SELECT pg_notify('pglite_test_chan', 'committed')"));
  EXEC(sender, "COMMIT");
  n = wait_notify(listener);
  CHECK(n != NULL && strcmp(n->extra, "committed") == 0, "second notification: %s", n ? n->extra : "none");
  PQfreemem(n);
  usleep(200 * 1000);
  CHECK(PQconsumeInput(listener) == 1, "PQconsumeInput: %s", PQerrorMessage(listener));
  n = PQnotifies(listener);
  CHECK(n == NULL, "unexpected notification '%s'", n ? n->extra : "");
  EXEC(listener, "UNLISTEN pglite_test_chan");
  PQfinish(listener);
  PQfinish(sender);
  printf("ok: LISTEN/NOTIFY between two connections (PQconsumeInput + PQnotifies)\n");
}

static void test_prepared_names(void) {
  PGconn* a = connect_db();
  PGconn* b = connect_db();
  PGresult* r = PQprepare(a, "stmt", "SELECT $1::int + 1", 0, NULL);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "prepare on a: %s", PQerrorMessage(a));
  PQclear(r);
  r = PQprepare(b, "stmt", "SELECT 'b says ' || $1::text, 2 AS second", 0, NULL);
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "prepare on b: %s", PQerrorMessage(b));
  PQclear(r);
  r = PQdescribePrepared(a, "stmt");
  CHECK(PQnfields(r) == 1 && PQparamtype(r, 0) == 23, "describe on a: %d fields, param %u", PQnfields(r),
        PQparamtype(r, 0));
  PQclear(r);
  r = PQdescribePrepared(b, "stmt");
  CHECK(PQnfields(r) == 2 && PQparamtype(r, 0) == 25, "describe on b: %d fields, param %u", PQnfields(r),
        PQparamtype(r, 0));
  PQclear(r);
  for (int i = 0; i < 20; i++) {
    char arg[16], want[32];
    snprintf(arg, sizeof arg, "%d", i);
    const char* params[1] = {arg};
    PGconn* conn = i % 2 ? a : b;
    r = PQexecPrepared(conn, "stmt", 1, params, NULL, NULL, 0);
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK, "execute %d: %s", i, PQerrorMessage(conn));
    snprintf(want, sizeof want, i % 2 ? "%d" : "b says %d", i % 2 ? i + 1 : i);
    CHECK(strcmp(PQgetvalue(r, 0, 0), want) == 0, "execute %d: got '%s', want '%s'", i, PQgetvalue(r, 0, 0),
          want);
    PQclear(r);
  }
  /* Preparing the same name twice on one connection is still an error (42P05). */
  r = PQprepare(a, "stmt", "SELECT 3", 0, NULL);
  CHECK(strcmp(sqlstate(r), "42P05") == 0, "duplicate prepare SQLSTATE %s", sqlstate(r));
  PQclear(r);
  /* b's DEALLOCATE ALL / DISCARD ALL end b's statements, not a's. */
  r = PQexec(b, "DEALLOCATE ALL");
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "deallocate all: %s", PQerrorMessage(b));
  PQclear(r);
  r = PQexec(b, "DISCARD ALL");
  CHECK(PQresultStatus(r) == PGRES_COMMAND_OK, "discard all: %s", PQerrorMessage(b));
  PQclear(r);
  const char* seven[1] = {"7"};
  r = PQexecPrepared(a, "stmt", 1, seven, NULL, NULL, 0);
  CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "8") == 0,
        "a's statement after b's DISCARD ALL: %s", PQerrorMessage(a));
  PQclear(r);
  r = PQexecPrepared(b, "stmt", 1, seven, NULL, NULL, 0);
  CHECK(strcmp(sqlstate(r), "26000") == 0, "b's statement after its DISCARD ALL: SQLSTATE %s", sqlstate(r));
  PQclear(r);
  PQfinish(a);
  PQfinish(b);
  printf("ok: the same statement name prepared on two connections stays private to each\n");
}

static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = "FAIL: libpq_test did not finish within 90 s (a test is hanging)\n";
  (void)!write(2, msg, sizeof msg - 1);
  _exit(1);
}

/* 1 if the test passed, 0 if a check failed. */
static int run_test(const char* name, void (*run)(void)) {
  current_test = name;
  if (setjmp(test_failed) != 0) return 0; /* its connections are leaked; the process ends soon */
  run();
  return 1;
}

int main(void) {
  static const struct {
    const char* name;
    void (*run)(void);
  } tests[] = {
      {"binary_results", test_binary_results},
      {"error_then_success", test_error_then_success},
      {"pipeline", test_pipeline},
      {"copy", test_copy},
      {"listen_notify", test_listen_notify},
      {"prepared_names", test_prepared_names},
  };
  signal(SIGALRM, on_alarm);
  alarm(90); /* bounded in time whatever the server does */
  int passed = 0, failed = 0;
  for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
    if (run_test(tests[i].name, tests[i].run))
      passed++;
    else
      failed++;
  }
  printf("libpq_test: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
