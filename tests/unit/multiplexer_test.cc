// The server's multiplexing without sockets: clients A, B, ... take turns on
// one real backend (a temporary Database), each job run synchronously. Each
// test is "client A does X, client B must see Y".
#include "server/multiplexer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/database_access.h"
#include "api/session.h"
#include "pglite/database.h"
#include "protocol/backend_messages.h"
#include "protocol/framing.h"
#include "server/backend_worker.h"

namespace {

using pglite::internal::Multiplexer;
using pglite::internal::MultiplexerHost;
using pglite::internal::SequenceState;
using pglite::internal::TempNamespace;
namespace protocol = pglite::internal::protocol;

// What a client got back for one request.
struct Answer {
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::optional<std::string> error;  // SQLSTATE
  std::string error_severity;
  std::string error_message;
  std::vector<std::string> notices;
  std::string types;  // every message type received, in order
  char status = 0;    // last ReadyForQuery
};

// Runs the multiplexer's jobs on a real session, one at a time.
class Harness : public MultiplexerHost {
 public:
  Harness() : db_(pglite::Database::temporary()) {
    session().simple_query("SELECT 1");
    std::string user(session().simple_query("SELECT session_user").results.back().value(0, 0).value_or(""));
    mux_ = std::make_unique<Multiplexer>(*this, session().startup_messages(), user);
  }

  pglite::internal::Session& session() { return pglite::internal::DatabaseAccess::session(db_); }
  pglite::Database& db() { return db_; }
  Multiplexer& mux() { return *mux_; }

  void connect(uint64_t id, std::vector<std::pair<std::string, std::string>> settings = {}) {
    mux_->connect(id, settings);
    pump();
    received_.erase(id);
  }

  Answer query(uint64_t id, const std::string& sql) {
    mux_->message(id, protocol::message('Q', sql + '\0'));
    mux_->schedule();
    pump();
    return take(id);
  }

  // The first column of the first row, or the error.
  std::string value(uint64_t id, const std::string& sql) {
    Answer a = query(id, sql);
    if (a.error) return "ERROR " + *a.error + ": " + a.error_message;
    if (a.rows.empty() || a.rows[0].empty()) return "(no rows)";
    return a.rows[0][0].value_or("NULL");
  }

  // Extended-protocol messages (whole, as protocol::message makes them).
  Answer send_messages(uint64_t id, const std::vector<std::string>& messages) {
    for (const std::string& m : messages) mux_->message(id, m);
    mux_->schedule();
    pump();
    return take(id);
  }

  void disconnect(uint64_t id) {
    mux_->disconnected(id);
    pump();
  }

  Answer take(uint64_t id) {
    Answer a;
    std::string bytes = std::move(received_[id]);
    received_.erase(id);
    protocol::MessageReader reader(bytes);
    while (std::optional<protocol::Message> m = reader.next()) {
      a.types += m->type;
      if (m->type == 'D') {
        std::vector<std::optional<std::string_view>> values;
        protocol::parse_data_row(m->body, values);
        std::vector<std::optional<std::string>> row;
        for (auto& v : values) row.push_back(v ? std::optional<std::string>(std::string(*v)) : std::nullopt);
        a.rows.push_back(row);
      } else if (m->type == 'E' && !a.error) {
        auto fields = protocol::parse_error_fields(m->body);
        a.error = std::string(fields.get('C'));
        a.error_severity = std::string(fields.get('V'));
        a.error_message = std::string(fields.get('M'));
      } else if (m->type == 'N') {
        a.notices.push_back(std::string(protocol::parse_error_fields(m->body).get('M')));
      } else if (m->type == 'Z') {
        a.status = protocol::parse_ready_for_query(m->body);
      }
    }
    return a;
  }

  bool closed(uint64_t id) const { return closed_.count(id) > 0; }
  /// The next job's output gets this appended (as if the backend said it).
  void append_to_next_output(std::string bytes) { tamper_ = std::move(bytes); }
  /// Called when the running job first asks for input it does not have
  /// (a COPY FROM STDIN waiting for data), from inside that job.
  void on_input_wanted(std::function<void()> f) { on_input_wanted_ = std::move(f); }
  /// The next restart fails with this reason.
  void fail_restart(std::string reason) { restart_failure_ = std::move(reason); }
  int restarts() const { return restarts_; }
  /// The delay the multiplexer last asked its timer for.
  std::optional<uint64_t> timer_ms() const { return timer_ms_; }

  // ---- MultiplexerHost ----
  void send(uint64_t client, std::string bytes) override {
    if (!closed_.count(client)) received_[client] += bytes;
  }
  void close(uint64_t client) override { closed_.insert(client); }
  void submit(uint64_t job, std::string bytes) override { jobs_.push_back({job, std::move(bytes), {}}); }
  void set_client_defaults(uint64_t job, std::vector<std::pair<std::string, std::string>> settings) override {
    jobs_.push_back({job, {}, std::move(settings)});
  }
  void supply_input(uint64_t, std::string bytes) override { input_ += bytes; }
  pglite::internal::SessionTimeouts session_timeouts() override { return session().session_timeouts(); }
  void arm_timer(uint64_t ms) override { timer_ms_ = ms; }
  void restart_backend() override { restart_ = true; }
  TempNamespace temp_namespace() override { return session().temp_namespace(); }
  void set_temp_namespace(TempNamespace schemas) override { session().set_temp_namespace(schemas); }
  SequenceState sequence_state() override { return session().sequence_state(); }
  void set_sequence_state(SequenceState state) override { session().set_sequence_state(state); }
  void cancel() override {}

 private:
  void pump() {
    for (;;) {
      if (restart_) {
        restart_ = false;
        restarts_++;
        std::optional<std::string> failure = std::exchange(restart_failure_, std::nullopt);
        if (failure) {
          session().close();
        } else {
          try {
            session().restart();
            pglite::internal::sweep_parked_temp_schemas(session());
          } catch (const std::exception& e) {
            failure = e.what();
          }
        }
        mux_->backend_restarted(failure);
        continue;
      }
      if (jobs_.empty()) return;
      auto [job, bytes, defaults] = std::move(jobs_.front());
      jobs_.pop_front();
      std::string out;
      bool broken = false;
      try {
        if (defaults) {
          for (const auto& [name, value] : *defaults) session().set_client_default(name, value);
        } else {
          input_.clear();
          session().forward(
              bytes, [&](std::string_view chunk) { out.append(chunk); },
              [&] {
                if (input_.empty() && on_input_wanted_) std::exchange(on_input_wanted_, nullptr)();
                return std::exchange(input_, std::string());
              });
        }
      } catch (const pglite::Error& e) {
        out += protocol::error_response("FATAL", e.sqlstate(), e.message());
        broken = true;
      }
      out += std::exchange(tamper_, std::string());
      mux_->backend_output(job, out);
      mux_->backend_done(job, broken);
    }
  }

  pglite::Database db_;
  std::unique_ptr<Multiplexer> mux_;
  struct Job {
    uint64_t id;
    std::string bytes;
    std::optional<std::vector<std::pair<std::string, std::string>>> defaults;  // set_client_defaults()
  };
  std::deque<Job> jobs_;
  std::map<uint64_t, std::string> received_;
  std::set<uint64_t> closed_;
  bool restart_ = false;
  int restarts_ = 0;
  std::string tamper_;
  std::string input_;  // supplied for the running job
  std::optional<uint64_t> timer_ms_;
  std::function<void()> on_input_wanted_;
  std::optional<std::string> restart_failure_;
};

constexpr uint64_t A = 1, B = 2, C = 3;

// Parse of the unnamed statement, no parameter types.
std::string unnamed_parse(const std::string& sql) {
  return protocol::message('P', std::string(1, '\0') + sql + std::string(3, '\0'));
}

TEST(Multiplexer, SetRoleStaysWithItsClient) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE ROLE r");
  h.query(A, "SET ROLE r");
  EXPECT_EQ(h.value(B, "SELECT current_user"), "postgres");
  EXPECT_EQ(h.value(A, "SELECT current_user"), "r");
  EXPECT_EQ(h.value(B, "SHOW role"), "none");
  EXPECT_EQ(h.value(A, "SHOW role"), "r");
  h.query(A, "RESET ROLE");
  EXPECT_EQ(h.value(A, "SELECT current_user"), "postgres");
}

// A role changed inside a function: no SET in the statement's text, but
// Postgres reports is_superuser changing, which the server watches.
TEST(Multiplexer, RoleChangedInsideAFunctionIsSeen) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A,
          "CREATE ROLE r; CREATE FUNCTION become_r() RETURNS text LANGUAGE sql AS "
          "$$ SELECT set_config('role', 'r', false) $$");
  h.query(B, "CREATE TEMP TABLE tb (x int)");
  EXPECT_EQ(h.value(A, "SELECT become_r()"), "r");
  EXPECT_EQ(h.value(B, "SELECT current_user"), "postgres");
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM tb"), "0");
  EXPECT_EQ(h.value(A, "SELECT current_user"), "r");
}

// lastval() and currval() are per session, as in the sequence regression
// test: another client's nextval() does not show, and a client's caches go
// with it when it disconnects.
TEST(Multiplexer, SequenceValuesStayWithTheirClient) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE SEQUENCE s1; CREATE SEQUENCE s2 START 100");
  EXPECT_EQ(h.value(A, "SELECT nextval('s1')"), "1");
  EXPECT_EQ(h.value(B, "SELECT nextval('s2')"), "100");
  EXPECT_EQ(h.value(B, "SELECT nextval('s1')"), "2");
  EXPECT_EQ(h.value(A, "SELECT lastval()"), "1");
  EXPECT_EQ(h.value(A, "SELECT currval('s1')"), "1");
  EXPECT_EQ(h.value(B, "SELECT lastval()"), "2");
  EXPECT_EQ(h.value(B, "SELECT currval('s2')"), "100");
  EXPECT_EQ(h.value(A, "SELECT currval('s2')").substr(0, 11), "ERROR 55000");
  h.query(B, "DISCARD SEQUENCES");
  EXPECT_EQ(h.value(A, "SELECT lastval()"), "1");
  EXPECT_EQ(h.value(B, "SELECT lastval()").substr(0, 11), "ERROR 55000");
  h.disconnect(A);
  h.connect(C);
  EXPECT_EQ(h.value(C, "SELECT lastval()").substr(0, 11), "ERROR 55000");
  EXPECT_EQ(h.value(C, "SELECT nextval('s1')"), "3");
  EXPECT_EQ(h.value(B, "SELECT nextval('s2')"), "101");
  EXPECT_EQ(h.value(C, "SELECT lastval()"), "3");
}

TEST(Multiplexer, SessionAuthorizationStaysWithItsClient) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE ROLE u; CREATE ROLE grp; GRANT grp TO u");
  h.query(A, "SET SESSION AUTHORIZATION u");
  h.query(A, "SET ROLE grp");
  EXPECT_EQ(h.value(B, "SELECT session_user || '/' || current_user"), "postgres/postgres");
  EXPECT_EQ(h.value(A, "SELECT session_user || '/' || current_user"), "u/grp");
  EXPECT_EQ(h.value(B, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"), "t");
}

TEST(Multiplexer, ARoleChangedInsideATransactionIsKept) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE ROLE r");
  h.query(A, "BEGIN");
  h.query(A, "SET ROLE r");
  h.query(A, "COMMIT");
  EXPECT_EQ(h.value(B, "SELECT current_user"), "postgres");
  EXPECT_EQ(h.value(A, "SELECT current_user"), "r");
}

TEST(Multiplexer, NextClientOfADisconnectedOneStartsFresh) {
  Harness h;
  h.connect(A);
  h.query(A, "CREATE ROLE r");
  h.query(A, "SET ROLE r");
  h.query(A, "SET work_mem = '9MB'");
  h.query(A, "SET myapp.tenant = 'acme'");
  h.disconnect(A);
  h.connect(B);
  EXPECT_EQ(h.value(B, "SELECT current_user"), "postgres");
  EXPECT_EQ(h.value(B, "SHOW work_mem"), "4MB");
  EXPECT_EQ(h.value(B, "SELECT coalesce(current_setting('myapp.tenant', true), '')"), "");
}

TEST(Multiplexer, TempTableOfANonSuperuserIsDroppedAtDisconnect) {
  Harness h;
  h.connect(A);
  h.query(A, "CREATE ROLE r");
  h.query(A, "SET ROLE r");
  Answer made = h.query(A, "CREATE TEMP TABLE secret (x int); INSERT INTO secret VALUES (42)");
  ASSERT_FALSE(made.error) << made.error_message;
  h.disconnect(A);
  h.connect(B);
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM pg_class WHERE relname = 'secret'"), "0");
  EXPECT_EQ(h.query(B, "SELECT * FROM secret").error, "42P01");
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM pg_namespace WHERE nspname ~ '^pg_(toast_)?temp_.*_pgl'"), "0");
}

// Dropping a gone client's temporary schemas runs as the backend's user:
// the client whose state the backend has keeps its identity.
TEST(Multiplexer, CleanupOfAnotherKeepsTheIdentityInEffect) {
  Harness h;
  h.connect(A);
  h.connect(C);
  h.query(C, "CREATE TEMP TABLE scratch (x int)");
  h.query(A, "CREATE ROLE someone");
  h.query(A, "SET SESSION AUTHORIZATION someone");
  EXPECT_EQ(h.value(A, "SELECT current_user"), "someone");
  h.disconnect(C);
  EXPECT_EQ(h.value(A, "SELECT current_user"), "someone");
  EXPECT_EQ(h.value(A, "SELECT session_user"), "someone");
}

TEST(Multiplexer, TempTablesOfEachClientAcrossRoles) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE ROLE r");
  h.query(A, "SET ROLE r");
  h.query(A, "CREATE TEMP TABLE t (who text); INSERT INTO t VALUES ('a')");
  EXPECT_EQ(h.query(B, "SELECT * FROM t").error, "42P01");
  h.query(B, "CREATE TEMP TABLE t (who text); INSERT INTO t VALUES ('b')");
  EXPECT_EQ(h.value(A, "SELECT who FROM t"), "a");
  EXPECT_EQ(h.value(B, "SELECT who FROM t"), "b");
  EXPECT_EQ(h.value(A, "SELECT current_user"), "r");
}

TEST(Multiplexer, PlaceholderSettingsArePerClient) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "SET myapp.user_id = '42'");
  h.query(B, "SELECT set_config('myapp.user_id', '7', false)");
  EXPECT_EQ(h.value(A, "SELECT current_setting('myapp.user_id')"), "42");
  EXPECT_EQ(h.value(B, "SELECT current_setting('myapp.user_id')"), "7");
  h.query(A, "SET custom.my.qualified.guc = 'foo'");
  EXPECT_EQ(h.value(B, "SELECT 1"), "1");
  EXPECT_EQ(h.value(A, "SHOW custom.my.qualified.guc"), "foo");
  h.connect(C);
  EXPECT_EQ(h.value(C, "SELECT coalesce(current_setting('myapp.user_id', true), '')"), "");
}

TEST(Multiplexer, ReadOnlyDefaultsDoNotBreakTheHandoff) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE TEMP TABLE ta (x int)");
  h.query(A, "SET default_transaction_read_only = on");
  h.query(A, "SET default_transaction_isolation = 'serializable'");
  h.query(A, "SET statement_timeout = '1h'");
  Answer b = h.query(B, "CREATE TEMP TABLE tb (x int)");
  EXPECT_FALSE(b.error) << b.error_message;
  EXPECT_TRUE(b.notices.empty()) << b.notices.front();
  Answer a = h.query(A, "SELECT count(*) FROM ta");
  EXPECT_FALSE(a.error) << a.error_message;
  EXPECT_TRUE(a.notices.empty()) << a.notices.front();
  EXPECT_EQ(h.value(A, "SHOW transaction_isolation"), "serializable");
  EXPECT_EQ(h.value(A, "SHOW default_transaction_read_only"), "on");
  EXPECT_EQ(h.value(B, "SHOW transaction_isolation"), "read committed");
  EXPECT_EQ(h.value(B, "SHOW statement_timeout"), "0");
}

TEST(Multiplexer, SearchPathPerClient) {
  Harness h;
  h.connect(A);
  h.connect(B);
  std::string fresh = h.value(B, "SHOW search_path");
  h.query(A, "CREATE SCHEMA s; CREATE TABLE s.x (v text); INSERT INTO s.x VALUES ('s')");
  h.query(A, "SET search_path = s, public");
  EXPECT_EQ(h.value(A, "SELECT v FROM x"), "s");
  EXPECT_EQ(h.query(B, "SELECT v FROM x").error, "42P01");
  EXPECT_EQ(h.value(B, "SHOW search_path"), fresh);
  EXPECT_EQ(h.value(A, "SHOW search_path"), "s, public");
}

TEST(Multiplexer, StartupSettingsPerClient) {
  Harness h;
  h.connect(A, {{"application_name", "app-a"}, {"work_mem", "8MB"}});
  h.connect(B);
  EXPECT_EQ(h.value(B, "SHOW application_name"), "");
  EXPECT_EQ(h.value(A, "SHOW application_name"), "app-a");
  EXPECT_EQ(h.value(A, "SHOW work_mem"), "8MB");
  h.mux().connect(C, {{"work_mem", "lots"}});
  h.query(B, "SELECT 1");  // runs the pending startup job
  EXPECT_TRUE(h.closed(C));
}

// Startup-packet settings are the client's RESET values, as natively (source
// "client"): RESET, RESET ALL, DISCARD ALL and SET ... TO DEFAULT return to
// them, and a client without them has the server's.
TEST(Multiplexer, StartupSettingsAreTheClientsResetValues) {
  Harness h;
  h.connect(A, {{"DateStyle", "Postgres, MDY"}, {"work_mem", "8MB"}});
  h.connect(B);
  h.connect(C, {{"datestyle", "SQL, DMY"}});
  EXPECT_EQ(h.value(A, "SHOW datestyle"), "Postgres, MDY");
  EXPECT_EQ(h.value(A, "SET datestyle TO iso; SET work_mem = '1MB'; SHOW datestyle"), "ISO, MDY");
  EXPECT_EQ(h.value(B, "SHOW datestyle"), "ISO, MDY");
  EXPECT_EQ(h.value(B, "SHOW work_mem"), "4MB");
  EXPECT_EQ(h.value(C, "SHOW work_mem"), "4MB");
  EXPECT_EQ(h.value(A, "SHOW work_mem"), "1MB");
  EXPECT_EQ(h.value(A, "RESET datestyle; SHOW datestyle"), "Postgres, MDY");
  EXPECT_EQ(h.value(C, "SET datestyle TO iso; RESET ALL; SHOW datestyle"), "SQL, DMY");
  EXPECT_EQ(h.value(A, "SHOW work_mem"), "1MB");
  EXPECT_EQ(h.value(A, "SET work_mem TO DEFAULT; SHOW work_mem"), "8MB");
  h.query(A, "SET datestyle TO iso");
  h.query(A, "DISCARD ALL");
  EXPECT_EQ(h.value(A, "SHOW datestyle"), "Postgres, MDY");
  EXPECT_EQ(h.value(A, "SELECT source || ' ' || reset_val FROM pg_settings WHERE name = 'DateStyle'"),
            "client Postgres, MDY");
  EXPECT_EQ(h.value(B, "SET datestyle TO sql; RESET datestyle; SHOW datestyle"), "ISO, MDY");
  EXPECT_EQ(h.value(B, "SELECT reset_val FROM pg_settings WHERE name = 'work_mem'"), "4096");
  h.disconnect(A);
  h.disconnect(C);
  EXPECT_EQ(h.value(B, "RESET ALL; SHOW datestyle"), "ISO, MDY");
}

// The unnamed statement lives until its client replaces it, whatever other
// clients run meanwhile (psql's \gdesc: Parse and Sync, then Describe and
// Sync); a simple query of its own drops it, as natively.
TEST(Multiplexer, UnnamedStatementSurvivesOtherClients) {
  Harness h;
  h.connect(A);
  h.connect(B);
  std::string parse = protocol::message('P', std::string("\0SELECT 1 AS x\0\0\0", 17));
  std::string sync = protocol::message('S', "");
  std::string describe = protocol::message('D', std::string("S\0", 2));
  EXPECT_EQ(h.send_messages(A, {parse, sync}).types, "1Z");
  EXPECT_EQ(h.value(B, "SELECT 2"), "2");
  Answer described = h.send_messages(A, {describe, sync});
  EXPECT_FALSE(described.error) << described.error_message;
  EXPECT_EQ(described.types, "tTZ");
  std::string bind = protocol::message('B', std::string("\0\0\0\0\0\0\0\0", 8));
  std::string execute = protocol::message('E', std::string("\0\0\0\0\0", 5));
  EXPECT_EQ(h.value(B, "SELECT 3"), "3");
  Answer executed = h.send_messages(A, {bind, execute, sync});
  EXPECT_FALSE(executed.error) << executed.error_message;
  EXPECT_EQ(executed.types, "2DCZ");
  EXPECT_EQ(h.value(A, "SELECT 4"), "4");
  EXPECT_EQ(h.send_messages(A, {describe, sync}).error, "26000");
}

// An error in the extended protocol before Sync: as in Postgres, no
// ReadyForQuery until the client's Sync, and the backend skips its messages
// until then. Other clients wait for that Sync (the backend is in the
// middle of this client's exchange), as they wait for a transaction.
TEST(Multiplexer, ExtendedProtocolErrorWaitsForItsClientsSync) {
  Harness h;
  h.connect(A);
  h.connect(B);
  std::string bad_parse = unnamed_parse("SELEC 1");
  std::string flush = protocol::message('H', "");
  std::string sync = protocol::message('S', "");
  Answer failed = h.send_messages(A, {bad_parse, flush});
  EXPECT_EQ(failed.error, "42601");
  EXPECT_EQ(failed.types, "E");                 // no ReadyForQuery before Sync
  EXPECT_EQ(h.query(B, "SELECT 2").types, "");  // waits for A's Sync
  EXPECT_EQ(h.query(A, "SELECT 3").types, "");  // skipped until Sync, as natively
  EXPECT_EQ(h.send_messages(A, {sync}).types, "Z");
  Answer b = h.take(B);
  ASSERT_EQ(b.rows.size(), 1u);
  EXPECT_EQ(b.rows[0][0], "2");
  EXPECT_EQ(h.value(A, "SELECT 4"), "4");
}

// A client that leaves in the middle of an extended-protocol exchange
// (after an error, or after an Execute with no Sync): its exchange is
// rolled back, as the backend's exit would roll it back natively, and the
// next client is served.
TEST(Multiplexer, ClientGoneBeforeSyncIsRolledBack) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(B, "CREATE TABLE t (v int)");
  std::string flush = protocol::message('H', "");
  std::string parse = unnamed_parse("INSERT INTO t VALUES (1)");
  std::string bind = protocol::message('B', std::string(8, '\0'));
  std::string execute = protocol::message('E', std::string(5, '\0'));
  EXPECT_EQ(h.send_messages(A, {parse, bind, execute, flush}).types, "12C");
  h.disconnect(A);
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM t"), "0");
  h.connect(C);
  EXPECT_EQ(h.send_messages(C, {unnamed_parse("SELEC"), flush}).error, "42601");
  h.disconnect(C);
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM t"), "0");
  EXPECT_EQ(h.value(B, "SELECT 5"), "5");
}

// A client that leaves while its COPY FROM STDIN waits for data: the COPY
// fails as if it had sent CopyFail (Postgres would end the shared backend
// on a connection lost mid-message), nothing of it is kept, and every
// other client goes on with the same backend.
TEST(Multiplexer, ClientGoneDuringCopyFromStdin) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(B, "CREATE TABLE t (v int)");
  h.on_input_wanted([&] { h.mux().disconnected(A); });
  h.query(A, "INSERT INTO t VALUES (1); COPY t FROM STDIN");
  EXPECT_EQ(h.restarts(), 0);
  EXPECT_FALSE(h.closed(B));
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM t"), "0");
  std::string parse = unnamed_parse("COPY t FROM STDIN");
  std::string bind = protocol::message('B', std::string(8, '\0'));
  std::string execute = protocol::message('E', std::string(5, '\0'));
  h.connect(C);
  h.on_input_wanted([&] { h.mux().disconnected(C); });
  h.send_messages(C, {parse, bind, execute, protocol::message('S', "")});
  EXPECT_EQ(h.restarts(), 0);
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM t"), "0");
}

// idle_in_transaction_session_timeout ends the idle client's session (FATAL
// 25P03, as natively) and rolls back its transaction; the client waiting for
// the backend then runs, and nothing of the ended client's stays.
TEST(Multiplexer, IdleInTransactionTimeoutEndsOnlyThatClient) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE TABLE t (v int)");
  h.query(A, "SET idle_in_transaction_session_timeout = 50");
  h.query(A, "BEGIN");
  h.query(A, "INSERT INTO t VALUES (1)");
  ASSERT_TRUE(h.timer_ms());
  EXPECT_LE(*h.timer_ms(), 50u);
  EXPECT_EQ(h.query(B, "SELECT 2").types, "");  // waits: A holds the backend
  h.mux().timer();                              // too early: nothing happens
  EXPECT_FALSE(h.closed(A));
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  h.mux().timer();
  Answer ended = h.take(A);
  EXPECT_EQ(ended.error, "25P03");
  EXPECT_EQ(ended.error_severity, "FATAL");
  EXPECT_TRUE(h.closed(A));
  h.disconnect(A);  // the transport reports the closed connection
  Answer b = h.take(B);
  ASSERT_EQ(b.rows.size(), 1u);
  EXPECT_EQ(b.rows[0][0], "2");
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM t"), "0");
  EXPECT_EQ(h.value(B, "SHOW idle_in_transaction_session_timeout"), "0");
  EXPECT_FALSE(h.closed(B));
}

TEST(Multiplexer, IdleSessionTimeoutEndsOnlyThatClient) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "SET idle_session_timeout = 50");
  EXPECT_EQ(h.value(B, "SELECT 1"), "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  h.mux().timer();
  EXPECT_EQ(h.take(A).error, "57P05");
  EXPECT_TRUE(h.closed(A));
  EXPECT_FALSE(h.closed(B));
  h.disconnect(A);
  EXPECT_EQ(h.value(B, "SHOW idle_session_timeout"), "0");
}

// Another client's commit empties a client's ON COMMIT DELETE ROWS table
// (Postgres keeps one list of ON COMMIT actions per backend), building its
// relcache entry while the other client's temporary schema is current: the
// entry must not stay marked as another session's table.
TEST(Multiplexer, OnCommitDeleteRowsTableStaysTheClientsOwn) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE TEMP TABLE t(col int) ON COMMIT DELETE ROWS");
  h.query(B, "CREATE TEMP TABLE u(x int)");
  h.query(B, "INSERT INTO u VALUES (1)");
  EXPECT_EQ(h.query(A, "CREATE INDEX ON t(col)").error_message, "");
  EXPECT_EQ(h.value(A, "BEGIN; INSERT INTO t VALUES (1); SELECT count(*) FROM t"), "1");
  EXPECT_EQ(h.value(A, "COMMIT; SELECT count(*) FROM t"), "0");
  h.query(A, "CREATE TEMP TABLE p(a int) PARTITION BY LIST (a) ON COMMIT DELETE ROWS");
  h.query(A, "CREATE TEMP TABLE p1 PARTITION OF p FOR VALUES IN (1) ON COMMIT DELETE ROWS");
  h.query(B, "INSERT INTO u VALUES (2)");
  EXPECT_EQ(h.value(A, "SELECT count(*) FROM p"), "0");
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM u"), "2");
}

// A client's SQL-level prepared statements stay in the backend while other
// clients' batches cannot see them: their cached plans keep Postgres'
// semantics (a plan that became invalid fails as natively, a changed result
// type is refused), and nothing is prepared again per turn.
TEST(Multiplexer, SqlPreparedStatementsKeepTheirPlans) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE TABLE pc(a int)");
  h.query(A, "PREPARE s AS SELECT * FROM pc");
  EXPECT_EQ(h.value(B, "SELECT 1"), "1");
  h.query(A, "ALTER TABLE pc ADD COLUMN b int");
  EXPECT_EQ(h.value(B, "SELECT 2"), "2");
  EXPECT_EQ(h.query(A, "EXECUTE s").error_message, "cached plan must not change result type");
  h.query(A, "DROP TABLE pc");
  EXPECT_EQ(h.value(B, "SELECT 3"), "3");
  EXPECT_EQ(h.query(A, "EXECUTE s").error_message, "relation \"pc\" does not exist");
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM pg_prepared_statements"), "0");
  EXPECT_EQ(h.value(B, "EXECUTE s").substr(0, 11), "ERROR 26000");
  h.query(A, "CREATE TABLE pc(a int)");  // its PREPARE works again
  EXPECT_EQ(h.value(A, "SELECT string_agg(name, ',') FROM pg_prepared_statements"), "s");
}

// Another client's statements of other names do not move a client's: each
// moves only when a batch of another client may name it.
TEST(Multiplexer, SqlPreparedStatementsMoveOnlyWhenNamed) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE TABLE pn(a int)");
  h.query(A, "PREPARE s AS SELECT * FROM pn");
  h.query(A, "PREPARE q AS SELECT 'a'");
  EXPECT_EQ(h.value(B, "PREPARE t AS SELECT 2; EXECUTE t"), "2");
  h.query(A, "ALTER TABLE pn ADD COLUMN b int");
  EXPECT_EQ(h.value(B, "EXECUTE t"), "2");
  EXPECT_EQ(h.query(A, "EXECUTE s").error_message, "cached plan must not change result type");
  EXPECT_EQ(h.value(B, "EXECUTE s").substr(0, 11), "ERROR 26000");
  EXPECT_EQ(h.value(B, "PREPARE q AS SELECT 'b'; EXECUTE q"), "b");
  EXPECT_EQ(h.value(A, "EXECUTE q"), "a");
  EXPECT_FALSE(h.query(A, "EXECUTE s").error);  // prepared again: planned anew
  EXPECT_EQ(h.value(B, "EXECUTE q"), "b");
  EXPECT_EQ(h.value(B, "SELECT string_agg(name, ',' ORDER BY name) FROM pg_prepared_statements"), "q,t");
  EXPECT_EQ(h.value(A, "SELECT string_agg(name, ',' ORDER BY name) FROM pg_prepared_statements"), "q,s");
  h.disconnect(B);
  EXPECT_EQ(h.value(A, "DEALLOCATE q; SELECT string_agg(name, ',') FROM pg_prepared_statements"), "s");
  // One that cannot be prepared again is missing for that batch, and back
  // once it can be.
  h.connect(C);
  h.query(A, "CREATE TABLE pn2(a int)");
  h.query(A, "PREPARE gone AS SELECT * FROM pn2");
  h.query(C, "DROP TABLE pn2; SELECT 'execute gone'");
  EXPECT_EQ(h.value(A, "EXECUTE gone").substr(0, 11), "ERROR 26000");
  h.query(A, "CREATE TABLE pn2(a int)");
  EXPECT_EQ(h.value(A, "EXECUTE gone"), "(no rows)");
}

// Inside a transaction block (where no handoff runs) statements move too,
// each in a savepoint of its own: one that cannot be prepared again does not
// abort the client's transaction.
TEST(Multiplexer, SqlPreparedStatementsMoveInsideATransaction) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "PREPARE q AS SELECT 'a'");
  h.query(A, "CREATE TABLE pt(a int)");
  h.query(A, "PREPARE g AS SELECT * FROM pt");
  h.query(B, "BEGIN");
  EXPECT_EQ(h.value(B, "PREPARE q AS SELECT 'b'; EXECUTE q"), "b");
  EXPECT_EQ(h.value(B, "EXECUTE g").substr(0, 11), "ERROR 26000");
  h.query(B, "ROLLBACK");
  h.query(B, "DROP TABLE pt");
  h.query(A, "BEGIN");
  EXPECT_EQ(h.value(A, "EXECUTE q"), "a");
  Answer a = h.query(A, "SELECT 'g'");
  EXPECT_FALSE(a.error) << a.error_message;
  EXPECT_EQ(a.status, 'T');
  EXPECT_EQ(h.query(A, "COMMIT").error, std::nullopt);
  EXPECT_EQ(h.value(B, "EXECUTE q"), "b");
}

// The server's own work loads nothing a client could notice (plpgsql: its
// reserved prefix would refuse placeholders under plpgsql.*).
TEST(Multiplexer, ServerWorkLoadsNoPlpgsql) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE TEMP TABLE t (x int)");
  h.query(B, "CREATE TEMP TABLE t (x int)");
  h.query(A, "SELECT * FROM t");
  h.disconnect(A);
  h.query(B, "SELECT * FROM t");
  h.connect(C);
  Answer a = h.query(C, "SET plpgsql.not_a_setting = 'x'");
  EXPECT_FALSE(a.error) << a.error_message;
}

TEST(Multiplexer, SqlPrepareAndDeallocateAllOfAnother) {
  Harness h;
  h.connect(A);
  h.connect(B);
  // Protocol-level statements are per client (renamed), see libpq_test.c;
  // another's DEALLOCATE ALL / DISCARD ALL keeps them.
  std::string parse = protocol::message('P', std::string("st\0SELECT 5\0", 12) + std::string(2, '\0'));
  h.mux().message(A, parse);
  h.mux().message(A, protocol::message('S', ""));
  h.mux().schedule();
  h.query(B, "DEALLOCATE ALL");
  h.query(B, "DISCARD ALL");
  h.take(A);
  h.mux().message(A, protocol::message('B', std::string("\0st\0", 4) + std::string(6, '\0')));
  h.mux().message(A, protocol::message('E', std::string("\0", 1) + std::string(4, '\0')));
  h.mux().message(A, protocol::message('S', ""));
  h.mux().schedule();
  Answer a = h.query(A, "SELECT 1");  // pumps
  ASSERT_FALSE(a.error) << a.error_message;
  ASSERT_EQ(a.rows.size(), 2u);
  EXPECT_EQ(a.rows[0][0], "5");
}

TEST(Multiplexer, SqlPreparedStatementsArePerClient) {
  Harness h;
  h.connect(A);
  h.connect(B);
  EXPECT_FALSE(h.query(A, "PREPARE q1 AS SELECT 'a'; PREPARE qa(int) AS SELECT $1 + 1").error);
  EXPECT_FALSE(h.query(B, "PREPARE q1 AS SELECT 'b'").error) << "A's q1 is visible to B";
  EXPECT_EQ(h.value(B, "SELECT string_agg(name, ',' ORDER BY name) FROM pg_prepared_statements"), "q1");
  EXPECT_EQ(h.value(A, "EXECUTE q1"), "a");
  EXPECT_EQ(h.value(A, "EXECUTE qa(41)"), "42");
  EXPECT_EQ(h.value(B, "EXECUTE q1"), "b");
  EXPECT_EQ(h.query(B, "EXECUTE qa(1)").error, "26000");
  h.query(B, "DEALLOCATE ALL");
  EXPECT_EQ(h.value(A, "SELECT string_agg(statement, ' | ' ORDER BY name) FROM pg_prepared_statements"),
            "PREPARE q1 AS SELECT 'a'; | PREPARE qa(int) AS SELECT $1 + 1");
  h.query(A, "DEALLOCATE q1");
  EXPECT_EQ(h.value(B, "SELECT count(*) FROM pg_prepared_statements"), "0");
  EXPECT_EQ(h.query(A, "EXECUTE q1").error, "26000");
  EXPECT_EQ(h.value(A, "EXECUTE qa(1)"), "2");
  h.disconnect(A);
  h.connect(C);
  EXPECT_EQ(h.value(C, "SELECT count(*) FROM pg_prepared_statements"), "0");
  EXPECT_FALSE(h.query(C, "PREPARE qa AS SELECT 1").error);
}

// A state that cannot be put back (its role was dropped meanwhile): the
// client is told, goes on from the defaults, and nothing loops.
TEST(Multiplexer, StateThatCannotBePutBackIsDroppedWithAWarning) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "CREATE ROLE r");
  h.query(A, "SET ROLE r");
  h.query(A, "SET work_mem = '5MB'");
  EXPECT_FALSE(h.query(B, "DROP ROLE r").error);
  Answer a = h.query(A, "SELECT current_user");
  ASSERT_EQ(a.notices.size(), 1u);
  EXPECT_NE(a.notices[0].find("could not restore"), std::string::npos) << a.notices[0];
  ASSERT_EQ(a.rows.size(), 1u);
  EXPECT_EQ(a.rows[0][0], "postgres");
  EXPECT_EQ(h.value(A, "SHOW work_mem"), "4MB");
  EXPECT_EQ(h.value(B, "SELECT 1"), "1");
  EXPECT_EQ(h.value(A, "SELECT 2"), "2");
}

// Cursors WITH HOLD outlive their transaction; a gone client's are closed.
TEST(Multiplexer, HoldableCursorsOfAGoneClientAreClosed) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "DECLARE ca CURSOR WITH HOLD FOR SELECT 1");
  h.query(B, "BEGIN; DECLARE cb CURSOR WITH HOLD FOR SELECT 2; COMMIT");
  h.disconnect(A);
  EXPECT_EQ(h.value(B, "SELECT string_agg(name, ',') FROM pg_cursors"), "cb");
  EXPECT_EQ(h.value(B, "FETCH cb"), "2");
  h.disconnect(B);
  h.connect(C);
  EXPECT_EQ(h.value(C, "SELECT count(*) FROM pg_cursors"), "0");
}

// Session-level advisory locks go with their client.
TEST(Multiplexer, AdvisoryLocksOfAGoneClientAreReleased) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "SELECT pg_advisory_lock(42), pg_advisory_lock(42), pg_advisory_lock_shared(-1, 7)");
  h.query(B, "SELECT pg_advisory_lock(-5000000000)");
  auto held = [&] {
    return h.value(B, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted");
  };
  EXPECT_EQ(held(), "3");
  h.disconnect(A);
  EXPECT_EQ(held(), "2");  // 42 was taken twice: released once while B holds locks
  h.disconnect(B);
  h.connect(C);
  EXPECT_EQ(h.value(C, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), "0");
}

// A FATAL from Postgres ends its session, which is every client's.
TEST(Multiplexer, FatalErrorEndsEveryClientAndTheBackendIsReplaced) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(B, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)");
  h.append_to_next_output(protocol::error_response("FATAL", "53400", "out of before_shmem_exit slots"));
  Answer a = h.query(A, "SELECT 1");
  EXPECT_EQ(a.error, "53400");
  EXPECT_TRUE(h.closed(A));
  EXPECT_EQ(h.take(B).error, "57P02");
  EXPECT_TRUE(h.closed(B));
  EXPECT_EQ(h.restarts(), 1);
  h.connect(C);
  EXPECT_EQ(h.value(C, "SELECT v FROM kept"), "7");
}

TEST(Multiplexer, ChannelsOfAGoneClientAreUnlistened) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(A, "LISTEN only_a");
  h.query(A, "LISTEN shared_ch");
  h.query(B, "LISTEN shared_ch");
  EXPECT_EQ(h.value(B, "SELECT string_agg(c, ',' ORDER BY c) FROM pg_listening_channels() c"),
            "only_a,shared_ch");
  h.disconnect(A);
  EXPECT_EQ(h.value(B, "SELECT string_agg(c, ',' ORDER BY c) FROM pg_listening_channels() c"), "shared_ch");
}

// No new backend: every connection, then and later, gets FATAL 57P03.
TEST(Multiplexer, BackendThatCannotRestartRefusesConnections) {
  Harness h;
  h.connect(A);
  h.fail_restart("disk on fire");
  h.append_to_next_output(protocol::error_response("FATAL", "XX000", "boom"));
  h.query(A, "SELECT 1");
  EXPECT_TRUE(h.closed(A));
  h.mux().connect(B, {});
  Answer b = h.take(B);
  EXPECT_EQ(b.error, "57P03");
  EXPECT_NE(b.error_message.find("disk on fire"), std::string::npos) << b.error_message;
  EXPECT_TRUE(h.closed(B));
  h.disconnect(A);
  h.disconnect(B);
}

// A trap ends the backend: every client gets FATAL at once, the server
// starts a new backend on the same data (committed rows survive), and new
// clients are served.
TEST(Multiplexer, BrokenBackendEndsEveryClientAndIsReplaced) {
  Harness h;
  h.connect(A);
  h.connect(B);
  h.query(B, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (1)");
  h.query(B, "CREATE TEMP TABLE gone (v int)");
  h.query(B, "INSERT INTO kept VALUES (2)");
  Answer crash = h.query(A, "SELECT repeat('[', 5000000)::jsonb");
  EXPECT_EQ(crash.error_severity, "FATAL");
  EXPECT_TRUE(h.closed(A));
  Answer bystander = h.take(B);
  EXPECT_EQ(bystander.error, "57P02");
  EXPECT_EQ(bystander.error_severity, "FATAL");
  EXPECT_TRUE(h.closed(B));
  EXPECT_EQ(h.restarts(), 1);
  h.disconnect(A);
  h.disconnect(B);
  h.connect(C);
  EXPECT_EQ(h.value(C, "SELECT string_agg(v::text, ',' ORDER BY v) FROM kept"), "1,2");
  EXPECT_EQ(h.value(C, "SELECT count(*) FROM pg_class WHERE relname = 'gone'"), "0");
  EXPECT_EQ(h.value(C, "SELECT current_user"), "postgres");
}

}  // namespace
