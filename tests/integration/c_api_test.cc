// The C API, used the way a C program would (no exceptions, status codes).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "pglite/pglite.h"

TEST(CApi, OpenQueryErrorClose) {
  pglite_db* db = nullptr;
  ASSERT_EQ(pglite_open_temporary(&db, nullptr), PGLITE_OK);
  ASSERT_NE(db, nullptr);

  ASSERT_EQ(pglite_exec(db, "CREATE TABLE c (id int, name text)"), PGLITE_OK);
  const char* params[] = {"1", "one"};
  pglite_result* res = nullptr;
  ASSERT_EQ(pglite_query(db, "INSERT INTO c VALUES ($1, $2)", 2, params, &res), PGLITE_OK);
  pglite_result_free(res);
  const char* null_params[] = {"2", nullptr};
  ASSERT_EQ(pglite_query(db, "INSERT INTO c VALUES ($1, $2)", 2, null_params, &res), PGLITE_OK);
  pglite_result_free(res);

  ASSERT_EQ(pglite_query(db, "SELECT id, name FROM c ORDER BY id", 0, nullptr, &res), PGLITE_OK);
  EXPECT_EQ(pglite_result_nrows(res), 2);
  EXPECT_EQ(pglite_result_ncols(res), 2);
  EXPECT_STREQ(pglite_result_column_name(res, 1), "name");
  EXPECT_STREQ(pglite_result_value(res, 0, 1), "one");
  EXPECT_TRUE(pglite_result_is_null(res, 1, 1));
  EXPECT_STREQ(pglite_result_command_tag(res), "SELECT 2");
  pglite_result_free(res);

  EXPECT_EQ(pglite_exec(db, "SELECT * FROM missing"), PGLITE_ERROR);
  EXPECT_STREQ(pglite_sqlstate(db), "42P01");
  EXPECT_NE(std::strstr(pglite_errmsg(db), "missing"), nullptr);
  EXPECT_EQ(pglite_exec(db, "SELECT 1"), PGLITE_OK);
  pglite_close(db);
}

TEST(CApi, BadPathIsAnErrorNotACrash) {
  pglite_db* db = nullptr;
  int rc = pglite_open("/proc/definitely/not/writable", &db, nullptr);
  EXPECT_NE(rc, PGLITE_OK);
  if (db) pglite_close(db);
}

TEST(CApi, DumpRestoreAndArchives) {
  pglite_db* db = nullptr;
  ASSERT_EQ(pglite_open_temporary(&db, nullptr), PGLITE_OK);
  ASSERT_EQ(pglite_exec(db, "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)"), PGLITE_OK);
  char* sql = nullptr;
  size_t len = 0;
  const char* args[] = {"--no-owner"};
  ASSERT_EQ(pglite_dump_sql(db, 1, args, &sql, &len), PGLITE_OK) << pglite_errmsg(db);
  ASSERT_NE(sql, nullptr);
  EXPECT_EQ(std::strlen(sql), len);
  EXPECT_NE(std::strstr(sql, "COPY public.t"), nullptr);
  EXPECT_EQ(std::strstr(sql, "OWNER TO"), nullptr);
  const char* refused[] = {"--host=elsewhere"};
  char* none = nullptr;
  EXPECT_EQ(pglite_dump_sql(db, 1, refused, &none, nullptr), PGLITE_ERROR);
  EXPECT_STREQ(pglite_sqlstate(db), "22023");
  EXPECT_EQ(none, nullptr);

  char archive[] = "/tmp/pglite-capi-archive-XXXXXX";
  int fd = mkstemp(archive);
  ASSERT_GE(fd, 0);
  close(fd);
  ASSERT_EQ(pglite_export_archive(db, archive), PGLITE_OK) << pglite_errmsg(db);
  pglite_close(db);

  pglite_db* restored = nullptr;
  ASSERT_EQ(pglite_open_temporary(&restored, nullptr), PGLITE_OK);
  ASSERT_EQ(pglite_exec_script(restored, sql), PGLITE_OK) << pglite_errmsg(restored);
  free(sql);
  pglite_result* res = nullptr;
  ASSERT_EQ(pglite_exec_result(restored, "SELECT sum(x) FROM public.t", &res), PGLITE_OK);
  EXPECT_STREQ(pglite_result_value(res, 0, 0), "3");
  pglite_result_free(res);
  EXPECT_EQ(pglite_exec_script(restored, "\\! ls\n"), PGLITE_ERROR);
  EXPECT_STREQ(pglite_sqlstate(restored), "42601");
  pglite_close(restored);

  pglite_db* fixture = nullptr;
  ASSERT_EQ(pglite_open_from_archive(archive, nullptr, &fixture, nullptr), PGLITE_OK)
      << pglite_errmsg(fixture);
  ASSERT_EQ(pglite_exec_result(fixture, "SELECT count(*) FROM t", &res), PGLITE_OK);
  EXPECT_STREQ(pglite_result_value(res, 0, 0), "2");
  pglite_result_free(res);
  pglite_close(fixture);
  pglite_db* bad = nullptr;
  EXPECT_EQ(pglite_open_from_archive("/nonexistent.tar.zst", nullptr, &bad, nullptr), PGLITE_ERROR);
  pglite_close(bad);
  unlink(archive);
}
