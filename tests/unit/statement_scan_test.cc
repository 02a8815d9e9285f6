// The server's text checks on client messages: which batches may change
// session settings (a capture after each such batch keeps clients apart).
#include "server/statement_scan.h"

#include <gtest/gtest.h>

#include <string>

#include "protocol/framing.h"

namespace scan = pglite::internal::scan;
namespace protocol = pglite::internal::protocol;
using namespace std::string_literals;

namespace {

bool query_may_change(const std::string& sql) {
  return scan::may_change_settings(protocol::message('Q', sql + '\0'));
}

}  // namespace

TEST(StatementScan, SettingChangesAreSeen) {
  EXPECT_TRUE(query_may_change("SET search_path = x"));
  EXPECT_TRUE(query_may_change("set work_mem to '8MB'"));
  EXPECT_TRUE(query_may_change("RESET ALL"));
  EXPECT_TRUE(query_may_change("SELECT set_config('a.b', '1', false)"));
  EXPECT_TRUE(query_may_change("SELECT 1 FOR UPDATE; SET search_path = x"));
  EXPECT_TRUE(query_may_change("UPDATE t SET a = 1; SET search_path = x"));
  EXPECT_TRUE(query_may_change("DO $$BEGIN UPDATE t SET a = 1; SET search_path = x; END$$"));
  EXPECT_TRUE(query_may_change("UPDATE t SET a = set_config('a.b', '1', false)"));
  const std::string parse = protocol::message('P', "s1\0SET TimeZone = 'UTC'\0\0\0"s);
  EXPECT_TRUE(scan::may_change_settings(parse));
}

TEST(StatementScan, UpdatesAndOtherSetWordsAreNot) {
  EXPECT_FALSE(query_may_change("UPDATE t1 SET a = 2 WHERE id = 666"));
  EXPECT_FALSE(query_may_change("update t set b = b * 2; UPDATE u SET c = 'x'"));
  EXPECT_FALSE(query_may_change("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = excluded.a"));
  EXPECT_FALSE(query_may_change("SELECT offset_value, dataset FROM settings_table OFFSET 3"));
  EXPECT_FALSE(query_may_change("SELECT setval('s', 5)"));
}

TEST(StatementScan, SessionEffectsInOnePass) {
  auto effects = [](const std::string& sql) {
    return scan::session_effects(protocol::message('Q', sql + '\0'));
  };
  EXPECT_TRUE(effects("PREPARE q AS SELECT 1").sql_statements);
  EXPECT_FALSE(effects("SELECT * FROM prepared_orders").sql_statements);
  EXPECT_TRUE(effects("deallocate all").statements);
  EXPECT_TRUE(effects("DEALLOCATE q").sql_statements);
  EXPECT_TRUE(effects("DECLARE c CURSOR WITH HOLD FOR SELECT 1").cursors);
  EXPECT_TRUE(effects("CLOSE c").cursors);
  EXPECT_FALSE(effects("SELECT threshold FROM t").cursors);
  EXPECT_TRUE(effects("UNLISTEN *").listens);
  EXPECT_TRUE(effects("SELECT pg_advisory_lock(1)").locks);
  EXPECT_TRUE(effects("select PG_ADVISORY_UNLOCK_ALL()").locks);
  EXPECT_TRUE(effects("SELECT pg_try_advisory_lock_shared(1)").locks);
  EXPECT_FALSE(effects("SELECT pg_advisory").locks);
  EXPECT_FALSE(effects("LISTEN x").listens);
  auto discard = effects("DISCARD ALL");
  EXPECT_TRUE(discard.settings && discard.listens && discard.statements && discard.sql_statements &&
              discard.cursors);
  auto plain = effects("SELECT 1; UPDATE t SET a = 1");
  EXPECT_FALSE(plain.settings || plain.listens || plain.statements || plain.sql_statements || plain.cursors);
}

TEST(StatementScan, SqlPreparedStatementUse) {
  EXPECT_TRUE(scan::uses_sql_statements("EXECUTE foo(1)"));
  EXPECT_TRUE(scan::uses_sql_statements("explain execute foo"));
  EXPECT_TRUE(scan::uses_sql_statements("PREPARE foo AS SELECT 1"));
  EXPECT_TRUE(scan::uses_sql_statements("SELECT 1; DEALLOCATE ALL"));
  EXPECT_TRUE(scan::uses_sql_statements("SELECT name FROM pg_prepared_statements"));
  EXPECT_FALSE(scan::uses_sql_statements("  BEGIN"));
  EXPECT_TRUE(scan::uses_sql_statements("DISCARD ALL"));
  EXPECT_FALSE(scan::uses_sql_statements("SELECT 1"));
  EXPECT_FALSE(scan::uses_sql_statements("SELECT start, begin FROM t"));
  EXPECT_FALSE(scan::uses_sql_statements("SELECT 'it' -- prepare\n, \"execute\" /* begin */"));
  EXPECT_TRUE(scan::uses_sql_statements("SELECT explain_filter('explain (memory) execute int8_query')"));
  EXPECT_FALSE(scan::uses_sql_statements("SELECT 'a -- b', 1"));
  EXPECT_FALSE(scan::uses_sql_statements(
      "CREATE FUNCTION f() RETURNS void AS $fn$ BEGIN EXECUTE 'x'; END $fn$ LANGUAGE plpgsql"));
  EXPECT_FALSE(scan::uses_sql_statements("DO $$ BEGIN PERFORM 1; END $$"));
  EXPECT_TRUE(scan::uses_sql_statements("DO $$ BEGIN END $$; EXECUTE q"));
  EXPECT_FALSE(scan::uses_sql_statements("SELECT 'it''s' || $1"));
}

namespace {

TEST(StatementScan, ExtendedExchangeStaysOpenUntilSync) {
  std::string parse = protocol::message('P', "\0SELECT 1\0\0\0"s);
  std::string bind = protocol::message('B', std::string(8, '\0'));
  std::string execute = protocol::message('E', std::string(5, '\0'));
  std::string flush = protocol::message('H', "");
  std::string sync = protocol::message('S', "");
  std::string simple = protocol::message('Q', "SELECT 1\0"s);
  EXPECT_TRUE(scan::extended_exchange_open(parse + flush, false));
  EXPECT_TRUE(scan::extended_exchange_open(parse + bind + execute + flush, false));
  EXPECT_FALSE(scan::extended_exchange_open(parse + bind + execute + sync, false));
  EXPECT_FALSE(scan::extended_exchange_open(sync, true));
  EXPECT_TRUE(scan::extended_exchange_open(flush, true));
  EXPECT_TRUE(scan::extended_exchange_open(simple, true));  // a Query does not end it
  EXPECT_FALSE(scan::extended_exchange_open(simple, false));
  EXPECT_TRUE(scan::extended_exchange_open(sync + parse + flush, false));
  EXPECT_EQ(scan::last_message_type(parse + flush), 'H');
  EXPECT_EQ(scan::last_message_type(parse + sync), 'S');
  EXPECT_EQ(scan::last_message_type(""), 0);
}

}  // namespace
