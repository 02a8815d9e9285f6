// Cheap looks into client messages and backend replies that the server's
// scheduling needs: which session state a batch may have touched, which
// channels a client listens on, startup-packet settings.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pglite/error.h"

namespace pglite::internal::scan {

/// LISTEN/UNLISTEN at the start of a simple query body: updates the
/// channels this client listens on (notifications are routed per client).
void track_listen(std::string_view sql, std::set<std::string>* channels);

/// A batch of only Parse messages and a Sync (what PQprepare sends): the
/// number of Parse messages, or 0 if the batch is anything else.
int parse_only_batch(std::string_view batch);

/// How many messages of `type` a run of complete messages holds.
size_t count_messages(std::string_view messages, char type);

/// The type of the last of a run of complete messages (0 if none).
char last_message_type(std::string_view messages);

/// Whether an extended-query exchange is open after these messages: one
/// was (`open`) or they send Parse, Bind, Execute, Describe or Close, and
/// no Sync follows.
bool extended_exchange_open(std::string_view messages, bool open);

/// Whether SQL text may use or see SQL-level prepared statements: the
/// words PREPARE, EXECUTE, DEALLOCATE, DISCARD or pg_prepared_statements,
/// outside comments and dollar-quoted bodies (a function's EXECUTE is
/// dynamic SQL, its BEGIN a block); inside a string literal too (SQL a
/// function may run as it is).
bool uses_sql_statements(std::string_view sql);

/// What SQL text may do with SQL-level prepared statements (as
/// uses_sql_statements() sees it).
struct SqlStatementUse {
  bool uses = false;  ///< any use
  /// Sees or affects every statement: pg_prepared_statements, DISCARD,
  /// DEALLOCATE ALL.
  bool all = false;
  /// Every identifier (lower case unless quoted): the statement names it may use.
  std::set<std::string> words;
};
/// Adds what `sql` may do to `use`.
void note_sql_statement_use(std::string_view sql, SqlStatementUse* use);

/// Whether `batch` uses the unnamed prepared statement (Bind or Describe of
/// it) before any Parse of it, i.e. one an earlier batch made.
bool uses_earlier_unnamed_statement(std::string_view batch);

/// Which per-session state a Query or Parse message may change, from the
/// words in it (any case, one pass). Over-approximates: a false positive
/// costs one follow-up query.
struct SessionEffects {
  /// A SET or RESET word that is not the SET of an UPDATE (UPDATE ... SET,
  /// ON CONFLICT DO UPDATE SET), set_config, or DISCARD.
  bool settings = false;
  bool listens = false;         ///< UNLISTEN, DISCARD
  bool statements = false;      ///< DEALLOCATE, DISCARD (everyone's statements)
  bool sql_statements = false;  ///< PREPARE, DEALLOCATE, DISCARD
  bool cursors = false;         ///< HOLD, CLOSE, DISCARD
  bool locks = false;           ///< pg_advisory_* functions, DISCARD
};
SessionEffects session_effects(std::string_view msg);

/// session_effects(msg).settings.
bool may_change_settings(std::string_view msg);

/// Text of the first column of the first DataRow in a backend reply.
std::optional<std::string> first_value(std::string_view out);

/// First ErrorResponse in a backend reply.
std::optional<Error> first_error(std::string_view out);

/// ParameterStatus messages in a backend reply, whole.
std::vector<std::string> parameter_statuses(std::string_view out);

/// Session settings a startup packet asks for: every parameter other than
/// user, database, replication, options and protocol extensions (`_pq_.`),
/// plus `-c name=value` and `--name=value` from `options`. Throws
/// pglite::Error (08P01) for an options word it cannot apply.
std::vector<std::pair<std::string, std::string>> startup_settings(
    const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace pglite::internal::scan
