// The SQL the server uses to capture, reset and restore a client's session
// state and to park its temporary schemas (the behaviour against a real
// backend is in multiplexer_test.cc).
#include "server/session_state.h"

#include <gtest/gtest.h>

#include "protocol/framing.h"
#include "server/sql_statements.h"
#include "server/temp_schemas.h"

namespace {

using pglite::internal::SessionState;
namespace session_state = pglite::internal::session_state;
namespace temp_schemas = pglite::internal::temp_schemas;
namespace sql_statements = pglite::internal::sql_statements;
namespace protocol = pglite::internal::protocol;

using Row = std::vector<std::optional<std::string_view>>;

TEST(SessionState, CaptureReadsIdentityAndSkipsPerTransactionSettings) {
  std::string sql = session_state::capture_sql({});
  EXPECT_NE(sql.find("session_user"), std::string::npos);
  EXPECT_NE(sql.find("current_setting('role')"), std::string::npos);
  EXPECT_NE(sql.find("'transaction_isolation'"), std::string::npos);
  EXPECT_EQ(sql.find("DO "), std::string::npos);
  std::string with = session_state::capture_sql({"myapp.tenant"});
  EXPECT_NE(with.find("('myapp.tenant')"), std::string::npos);
}

TEST(SessionState, ParseCaptureKeepsDefaultsEmpty) {
  auto fresh = session_state::parse_capture(Row{"postgres", "none", ""}, "postgres");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(*fresh, SessionState{});
  auto changed = session_state::parse_capture(Row{"u", "r", "SELECT 1", "SELECT 2"}, "postgres");
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->session_user, "u");
  EXPECT_EQ(changed->role, "r");
  EXPECT_EQ(changed->settings, "SELECT 1; SELECT 2");
  EXPECT_FALSE(session_state::parse_capture(Row{"postgres", std::nullopt, ""}, "postgres"));
}

TEST(SessionState, LengthPrefixedFields) {
  EXPECT_EQ(session_state::decode_fields("1:a3:b:c0:"), (std::vector<std::string_view>{"a", "b:c", ""}));
  EXPECT_EQ(session_state::decode_fields("2:ab9:x"), (std::vector<std::string_view>{"ab"}));
  EXPECT_TRUE(session_state::decode_fields("x:1").empty());
  EXPECT_EQ(session_state::close_cursor_sql("c\"1"), "CLOSE \"c\"\"1\"");
}

TEST(SessionState, ResetGoesBackToTheBackendUserFirst) {
  EXPECT_EQ(session_state::reset_sql({}, "postgres"), "");
  EXPECT_EQ(session_state::reset_sql({"SELECT 1", "", ""}, "postgres"), "RESET ALL");
  EXPECT_EQ(session_state::reset_sql({"", "", "r"}, "postgres"), "SET SESSION AUTHORIZATION \"postgres\"");
  EXPECT_EQ(session_state::reset_sql({"x", "u", ""}, "postgres"),
            "SET SESSION AUTHORIZATION \"postgres\"; RESET ALL");
}

TEST(SessionState, ApplySetsSettingsThenIdentity) {
  EXPECT_EQ(session_state::apply_sql({}), "");
  EXPECT_EQ(session_state::apply_sql({"SELECT 1", "u", "r\"x"}),
            "SELECT 1; SET SESSION AUTHORIZATION \"u\"; SET ROLE \"r\"\"x\"");
}

TEST(SessionState, PlaceholdersMentionedInSettingStatements) {
  std::set<std::string> names;
  session_state::note_placeholders(
      protocol::message('Q', "SET MyApp.Tenant = 1; SELECT set_config('a.b', 'x', false)"), &names);
  EXPECT_EQ(names, (std::set<std::string>{"myapp.tenant", "a.b"}));
  names.clear();
  session_state::note_placeholders(protocol::message('Q', "SET x = 1.5; SELECT 2.0"), &names);
  EXPECT_TRUE(names.empty());
  for (int i = 0; i < 100; i++)
    session_state::note_placeholders(protocol::message('Q', "SET a.b" + std::to_string(i) + " = 1"), &names,
                                     10);
  EXPECT_EQ(names.size(), 10u);
  names.clear();
  session_state::note_placeholders(protocol::message('Q', "SET custom.my.qualified.guc = 'foo'"), &names);
  EXPECT_EQ(names, (std::set<std::string>{"custom.my.qualified.guc"}));
}

TEST(TempSchemas, PlainStatementsNoDoBlock) {
  temp_schemas::Names names{"pg_temp_0", "pg_toast_temp_0"};
  EXPECT_EQ(
      temp_schemas::park_sql(names, 7),
      "SET LOCAL allow_system_table_mods = on; ALTER SCHEMA \"pg_temp_0\" RENAME TO \"pg_temp_0_pgl7\"; "
      "ALTER SCHEMA \"pg_toast_temp_0\" RENAME TO \"pg_toast_temp_0_pgl7\"");
  EXPECT_EQ(
      temp_schemas::unpark_sql(names, 7),
      "SET LOCAL allow_system_table_mods = on; ALTER SCHEMA \"pg_temp_0_pgl7\" RENAME TO \"pg_temp_0\"; "
      "ALTER SCHEMA \"pg_toast_temp_0_pgl7\" RENAME TO \"pg_toast_temp_0\"");
  EXPECT_NE(
      temp_schemas::drop_sql(names, 7, true).find("\"pg_temp_0_pgl7\", \"pg_toast_temp_0_pgl7\" CASCADE"),
      std::string::npos);
  EXPECT_NE(temp_schemas::drop_sql(names, 7, false).find("\"pg_temp_0\", \"pg_toast_temp_0\" CASCADE"),
            std::string::npos);
  EXPECT_EQ(std::string(temp_schemas::kFindParkedSql).find("DO "), std::string::npos);
}

TEST(SqlStatements, PrepareIsCutFromTheWholeQueryString) {
  EXPECT_EQ(sql_statements::find_prepare("PREPARE q1 AS SELECT 1;", "q1"), "PREPARE q1 AS SELECT 1;");
  EXPECT_EQ(sql_statements::find_prepare("PREPARE q1 AS SELECT 1", "q1"), "PREPARE q1 AS SELECT 1");
  EXPECT_EQ(sql_statements::find_prepare("SELECT ';'; prepare Q2(int) AS SELECT $1; EXECUTE q2(1);", "q2"),
            "prepare Q2(int) AS SELECT $1;");
  EXPECT_EQ(sql_statements::find_prepare("-- c\n/* d */ PREPARE \"Mixed\"\"x\" AS\nSELECT 2;", "Mixed\"x"),
            "-- c\n/* d */ PREPARE \"Mixed\"\"x\" AS\nSELECT 2;");
  EXPECT_FALSE(sql_statements::find_prepare("PREPARE q10 AS SELECT 1", "q1"));
  EXPECT_FALSE(sql_statements::find_prepare("SELECT 'PREPARE q1 AS SELECT 1'", "q1"));
}

TEST(SqlStatements, CaptureValueIsLengthPrefixed) {
  auto field = [](const std::string& s) { return std::to_string(s.size()) + ":" + s; };
  auto statements = sql_statements::parse_capture(field("q1") + field("PREPARE q1 AS SELECT ':';") +
                                                  field("a") + field("prepare a as values(1)"));
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].name, "q1");
  EXPECT_EQ(statements[0].prepare, "PREPARE q1 AS SELECT ':';");
  EXPECT_EQ(statements[1].prepare, "prepare a as values(1)");
  EXPECT_EQ(sql_statements::deallocate_sql(statements[1]), "DEALLOCATE \"a\"");
  EXPECT_TRUE(sql_statements::parse_capture("").empty());
  EXPECT_TRUE(sql_statements::parse_capture("99:x").empty());
}

}  // namespace
