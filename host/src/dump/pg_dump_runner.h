// Runs the translated pg_dump against a Session in the same process.
//
// pg_dump's libpq (PGlite's build) sends and receives through two function
// pointers set with pgl_set_rw_cbs(). The runner answers the startup packet
// itself (the session is already connected) and passes each complete batch
// of frontend messages to Session::forward(); the backend's reply is what
// libpq reads next. No socket is opened.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pglite::internal {

class Session;

struct PgDumpOutcome {
  int exit_code = 0;
  std::string messages;          ///< pg_dump's stderr
  std::string backend_sqlstate;  ///< SQLSTATE of the last ErrorResponse seen, if any
  std::string failure;           ///< non-empty if pg_dump trapped or the session failed
};

/// Runs pg_dump with `args` (argv[1..]). What it writes to stdout goes to
/// `out` as it is produced; if `output_file` (a guest path under /tmp) is
/// set, that file is handed to `out` after pg_dump exits. Never throws for
/// pg_dump's own failures: see PgDumpOutcome. The session is left in
/// whatever state pg_dump left it (an open transaction, changed settings).
PgDumpOutcome run_pg_dump(Session& session, const std::vector<std::string>& args,
                          const std::string& output_file, const std::function<void(std::string_view)>& out);

}  // namespace pglite::internal
