// Ctrl-C for the shell, as in psql: SIGINT cancels the statement running on
// the database (it fails with 57014) instead of ending the process.
//
// The handler is async-signal-safe: it sets a flag and writes a byte to two
// pipes. A watcher thread reads the first and calls Database::cancel(); the
// second wakes whoever waits for input or sleeps (the line reader, \watch).
#pragma once

#include "pglite/database.h"

namespace pglite::cli {

class CancelOnInterrupt {
 public:
  /// Installs the SIGINT handler and starts the watcher for `db`.
  explicit CancelOnInterrupt(Database& db);
  /// Stops the watcher and restores the previous SIGINT disposition.
  ~CancelOnInterrupt();
  CancelOnInterrupt(const CancelOnInterrupt&) = delete;
  CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;
};

/// True when SIGINT arrived since the last clear_interrupt().
bool interrupt_pending();
/// Forgets earlier SIGINTs (the flag and wake_fd()'s bytes).
void clear_interrupt();
/// Readable once SIGINT arrives (until clear_interrupt()); -1 when no
/// CancelOnInterrupt is installed.
int interrupt_fd();
/// Sleeps `seconds` or until SIGINT; returns false when interrupted.
bool sleep_unless_interrupted(double seconds);

}  // namespace pglite::cli
