// Database lifecycle: persistence, locking, concurrency, traps, sandboxing,
// notices and notifications.
#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "pglite/pglite.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/pglite-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string path;
};

TEST(Lifecycle, PersistentReopenKeepsCommittedData) {
  TempDir dir;
  std::string path = dir.path + "/db";
  {
    auto db = pglite::Database::open(path);
    db.exec("CREATE TABLE kv (k text PRIMARY KEY, v int)");
    db.query("INSERT INTO kv VALUES ($1, $2)", "answer", 42);
    db.begin();
    db.exec("INSERT INTO kv VALUES ('uncommitted', 1)");
    db.rollback();
  }
  {
    auto db = pglite::Database::open(path);
    auto r = db.exec("SELECT k, v FROM kv");
    ASSERT_EQ(r.rows(), 1u);
    EXPECT_EQ(*r.value(0, 0), "answer");
    EXPECT_EQ(r.get<int64_t>(0, 1), 42);
    db.exec("INSERT INTO kv VALUES ('second', 2)");
  }
  auto db = pglite::Database::open(path);
  EXPECT_EQ(db.exec("SELECT count(*) FROM kv").get<int64_t>(0, 0), 2);
}

TEST(Lifecycle, SecondOpenOfSamePathFailsWithLockError) {
  TempDir dir;
  std::string path = dir.path + "/db";
  auto first = pglite::Database::open(path);
  try {
    auto second = pglite::Database::open(path);
    FAIL() << "second open succeeded";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "55006");
  }
  EXPECT_EQ(first.exec("SELECT 1").get<int64_t>(0, 0), 1);
}

TEST(Lifecycle, StaleLockFromKilledProcessIsRecovered) {
  TempDir dir;
  std::string path = dir.path + "/db";
  { auto db = pglite::Database::open(path); }
  pid_t child = fork();
  if (child == 0) {
    auto db = pglite::Database::open(path);
    db.exec("CREATE TABLE from_child (x int)");
    _exit(0 * kill(getpid(), SIGKILL));  // die holding the lock, no cleanup
  }
  int status = 0;
  waitpid(child, &status, 0);
  auto db = pglite::Database::open(path);
  EXPECT_EQ(db.exec("SELECT 1").get<int64_t>(0, 0), 1);
}

TEST(Lifecycle, TwoDatabasesOnTwoThreads) {
  std::atomic<int> ok{0};
  auto work = [&ok](int id) {
    auto db = pglite::Database::temporary();
    db.exec("CREATE TABLE t (v int)");
    for (int i = 0; i < 200; i++) db.query("INSERT INTO t VALUES ($1)", i * id);
    if (db.exec("SELECT sum(v) FROM t").get<int64_t>(0, 0) == 19900LL * id) ok++;
  };
  std::thread a(work, 1), b(work, 2);
  a.join();
  b.join();
  EXPECT_EQ(ok.load(), 2);
}

// Guest code runs on a stack the instance owns, so an application thread
// with a small stack can still run a query that recurses deeply in Postgres.
TEST(Lifecycle, WorksFromThreadWithSmallStack) {
  struct Job {
    bool ok = false;
    std::string error;
  } job;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 128 * 1024);
  pthread_t thread;
  auto body = [](void* arg) -> void* {
    auto* j = static_cast<Job*>(arg);
    try {
      auto db = pglite::Database::temporary();
      db.exec(
          "CREATE FUNCTION depth(n int) RETURNS int LANGUAGE plpgsql AS $$"
          " BEGIN IF n = 0 THEN RETURN 0; END IF; RETURN 1 + depth(n - 1); END $$");
      j->ok = db.exec("SELECT depth(300)").get<int64_t>(0, 0) == 300;
    } catch (const std::exception& e) {
      j->error = e.what();
    }
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, body, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(job.ok) << job.error;
}

TEST(Lifecycle, CancelStopsARunningStatement) {
  auto db = pglite::Database::temporary();
  std::thread canceller([&db] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    db.cancel();
  });
  auto start = std::chrono::steady_clock::now();
  try {
    db.exec("SELECT pg_sleep(60)");
    ADD_FAILURE() << "pg_sleep(60) was not cancelled";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "57014") << e.what();
  }
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(db.exec("SELECT 3").get<int64_t>(0, 0), 3);
}

TEST(Lifecycle, RunawayRecursionIsAnOrdinaryError) {
  auto db = pglite::Database::temporary();
  db.exec("CREATE FUNCTION down(n int) RETURNS int LANGUAGE sql AS 'SELECT down(n + 1)'");
  db.exec(
      "CREATE FUNCTION deeper(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN deeper(n + 1); END $$");
  for (const char* sql : {"SELECT down(1)", "SELECT deeper(1)"}) {
    try {
      db.exec(sql);
      FAIL() << "unbounded recursion returned: " << sql;
    } catch (const pglite::Error& e) {
      EXPECT_EQ(e.sqlstate(), "54001") << e.what();  // stack depth limit exceeded
    }
    EXPECT_EQ(db.exec("SELECT 7").get<int64_t>(0, 0), 7);
  }
}

// Nesting deep enough to exhaust the native stack inside the parser: the
// instance traps, that database reports itself broken, the process and every
// other database carry on.
TEST(Lifecycle, TrapBreaksOnlyThatInstance) {
  auto bystander = pglite::Database::temporary();
  bystander.exec("CREATE TABLE keep (v int); INSERT INTO keep VALUES (1)");
  auto db = pglite::Database::temporary();
  try {
    db.exec("SELECT repeat('[', 5000000)::jsonb");
    FAIL() << "expected a trap";
  } catch (const pglite::Error& e) {
    EXPECT_EQ(e.sqlstate(), "XX000");
    EXPECT_NE(std::string(e.what()).find("broken"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(db.broken());
  EXPECT_THROW(db.exec("SELECT 1"), pglite::Error);
  EXPECT_EQ(bystander.exec("SELECT sum(v) FROM keep").get<int64_t>(0, 0), 1);
  auto fresh = pglite::Database::temporary();
  EXPECT_EQ(fresh.exec("SELECT 8").get<int64_t>(0, 0), 8);
  // A second trap in the same process is caught as well (unwinding out of
  // the fault handler leaves the signal mask usable).
  auto second = pglite::Database::temporary();
  EXPECT_THROW(second.exec("SELECT repeat('[', 5000000)::jsonb"), pglite::Error);
  EXPECT_TRUE(second.broken());
  EXPECT_EQ(fresh.exec("SELECT 9").get<int64_t>(0, 0), 9);
}

TEST(Lifecycle, GuestCannotReachHostFiles) {
  TempDir dir;
  std::string path = dir.path + "/db";
  auto db = pglite::Database::open(path);
  fs::create_symlink("/etc", path + "/escape");
  db.exec("CREATE TABLE t (x int); INSERT INTO t VALUES (1)");
  const char* attempts[] = {
      "COPY t TO '/etc/passwd'",
      "COPY t TO '/pglite/data/../../../etc/pglite_escape_test'",
      "SELECT pg_read_file('/etc/passwd')",
      "SELECT pg_read_file('../../../../../../etc/passwd')",
      "SELECT pg_read_file('escape/passwd')",
      "COPY t FROM '/etc/hostname'",
      "SELECT pg_ls_dir('/')",
  };
  for (const char* sql : attempts) {
    bool leaked = false;
    try {
      auto r = db.exec(sql);
      for (size_t i = 0; i < r.rows(); i++)
        if (r.value(i, 0) && std::string(*r.value(i, 0)).find("root:") != std::string::npos) leaked = true;
      if (std::string(sql).rfind("SELECT pg_ls_dir", 0) == 0) {
        for (size_t i = 0; i < r.rows(); i++) EXPECT_NE(*r.value(i, 0), "etc") << "host root visible";
        continue;
      }
      ADD_FAILURE() << "succeeded: " << sql;
    } catch (const pglite::Error& e) {
      EXPECT_FALSE(e.sqlstate().empty());
    }
    EXPECT_FALSE(leaked) << sql;
  }
  EXPECT_FALSE(fs::exists("/etc/pglite_escape_test"));
  EXPECT_EQ(db.exec("SELECT count(*) FROM t").get<int64_t>(0, 0), 1);
}

// Options::host_directories grants server-side file access to chosen host
// directories (at their own paths), and to nothing else.
TEST(Lifecycle, GrantedHostDirectoriesOnly) {
  TempDir dir;
  std::string granted = fs::canonical(dir.path).string() + "/granted";
  fs::create_directory(granted);
  for (const std::string& file : {granted + "/in.data", dir.path + "/outside.data"}) {
    std::FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("1\tone\n2\ttwo\n", f);
    std::fclose(f);
  }
  pglite::Options opts;
  opts.host_directories = {granted};
  auto db = pglite::Database::temporary(opts);
  db.exec("CREATE TABLE t (a int, b text)");
  db.exec("COPY t FROM '" + granted + "/in.data'");
  db.exec("COPY (SELECT b FROM t ORDER BY a) TO '" + granted + "/out.data'");
  EXPECT_EQ(db.exec("SELECT pg_read_file('" + granted + "/out.data')").get<std::string>(0, 0), "one\ntwo\n");
  EXPECT_THROW(db.exec("COPY t FROM '" + granted + "/../outside.data'"), pglite::Error);
  EXPECT_THROW(db.exec("SELECT pg_read_file('/etc/passwd')"), pglite::Error);
  opts.host_directories = {granted + "/missing"};
  EXPECT_THROW(pglite::Database::temporary(opts), pglite::Error);
  opts.host_directories = {"/"};
  EXPECT_THROW(pglite::Database::temporary(opts), pglite::Error);
}

TEST(Lifecycle, NoticesAndNotificationsReachCallbacks) {
  std::vector<std::string> notices;
  std::vector<std::string> payloads;
  pglite::Options opts;
  opts.on_notice = [&](const pglite::Notice& n) { notices.push_back(n.message); };
  auto db = pglite::Database::temporary(opts);
  db.exec("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0], "hello 42");
  db.listen("jobs", [&](const pglite::Notification& n) { payloads.push_back(n.payload); });
  db.exec("NOTIFY jobs, 'first'");
  db.query("SELECT pg_notify('jobs', $1)", "second");
  ASSERT_EQ(payloads.size(), 2u);
  EXPECT_EQ(payloads[0], "first");
  EXPECT_EQ(payloads[1], "second");
}

TEST(Lifecycle, UserSettingsApplyAtOpen) {
  pglite::Options opts;
  opts.settings = {{"work_mem", "7MB"}, {"application_name", "pglite-test"}};
  opts.relaxed_durability = true;
  auto db = pglite::Database::temporary(opts);
  EXPECT_EQ(*db.exec("SHOW work_mem").value(0, 0), "7MB");
  EXPECT_EQ(*db.exec("SHOW fsync").value(0, 0), "off");
  EXPECT_EQ(*db.exec("SHOW shared_buffers").value(0, 0), "128MB");
  auto strict = pglite::Database::temporary();
  EXPECT_EQ(*strict.exec("SHOW fsync").value(0, 0), "on");
}

}  // namespace
