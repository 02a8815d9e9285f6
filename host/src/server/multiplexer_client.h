// Multiplexer's per-client record, shared by its two source files:
// multiplexer.cc (connections, scheduling, output) and
// multiplexer_handoff.cc (what the backend is told when it changes hands).
#pragma once

#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/framing.h"
#include "server/multiplexer.h"
#include "server/sql_statements.h"

namespace pglite::internal {

/// A Query message, or nothing for empty SQL.
inline std::string query(std::string_view sql) {
  return sql.empty() ? std::string() : protocol::message('Q', std::string(sql) + '\0');
}

struct Multiplexer::Client {
  uint64_t id = 0;
  std::string prefix;  // object-name prefix of its named statements and portals
  uint32_t secret = 0;
  bool connected = false;  // handshake sent
  bool closing = false;    // the connection is being closed: no more input
  bool gone = false;       // the transport reported it disconnected
  bool crashed = false;    // the backend died under it: nothing to clean up
  bool running = false;    // its batch is in the backend
  bool copy_in = false;    // the backend waits for its COPY data
  // It sent extended-query messages since its last Sync: the backend is in
  // the middle of its exchange (an implicit transaction, or skipping to Sync
  // after an error). It keeps the backend until it sends Sync or leaves.
  bool unsynced = false;
  bool flush_batch = false;  // its running batch ends with Flush: no ReadyForQuery is due

  /// Inside a transaction block or an unfinished extended-query exchange:
  /// the backend holds something of this client's until it ends.
  bool mid_transaction() const { return tx_status != 'I' || unsynced; }
  char tx_status = 'I';
  std::string pending;      // messages not yet sent to the backend
  std::deque<size_t> ends;  // where batches end in `pending`
  // ReadyForQuery held until the exchange ends: PGlite's error path can
  // emit a second one for the same Sync, which pipelining clients would
  // take as the answer to their next segment. Only the last is sent.
  std::string held_ready;
  // Parse messages answered locally while another client held the backend
  // (see defer_parse_only); sent ahead of this client's next batch, whose
  // first `suppress_parse_complete` ParseComplete replies are then dropped.
  std::string deferred;
  int deferred_count = 0;
  int suppress_parse_complete = 0;
  std::string out;                                // backend bytes not yet framed
  std::map<std::string, std::string> statements;  // renamed name -> its Parse message
  // Parse messages not yet answered, in order ("" for the unnamed
  // statement); the first `parses_in_flight` are in the running batch.
  std::deque<std::pair<std::string, std::string>> unconfirmed_parses;
  size_t parses_in_flight = 0;
  // Its unnamed statement's Parse message, while it has one: parsed again
  // ahead of a batch that uses it when other work ran on the backend since
  // (psql's \gdesc: Parse and Sync, then Describe and Sync).
  std::string unnamed_parse;
  std::set<std::string> channels;
  // Its startup-packet settings (lower-case names): its RESET values.
  std::map<std::string, std::string> startup;
  bool awaiting_startup = false;  // its startup settings run; output held
  std::string startup_out;
  // What its batches may have changed in the shared session.
  bool settings_dirty = false;
  bool touched_listens = false;
  bool touched_statements = false;
  bool sql_statements_dirty = false;                      // may have run PREPARE or DEALLOCATE
  std::vector<sql_statements::Statement> sql_statements;  // its PREPAREd statements
  // Its statements that could not be prepared again before its waiting
  // batch (not tried again for that batch).
  std::set<std::string> not_preparable;
  bool cursors_dirty = false;  // may have declared or closed a WITH HOLD cursor
  std::set<std::string> cursors;
  bool locks_dirty = false;     // may have taken or released an advisory lock
  std::set<std::string> locks;  // how to release its session-level advisory locks                          //
                                // its holdable cursors
  std::set<std::string> placeholders;  // custom setting names it mentioned
  bool cleanup_sent = false;
  bool handoff_failed = false;  // its state could not be put back: run its batch as things are
  SessionState state;           // its settings and identity (applied_ while it runs)
  TempNamespace temp;           // its temporary schemas, if it made any
  SequenceState sequences;      // its sequence caches and lastval()
  SessionTimeouts timeouts;     // its idle timeouts, as of its last batch
  std::chrono::steady_clock::time_point idle_since;  // end of its last batch
};

}  // namespace pglite::internal
