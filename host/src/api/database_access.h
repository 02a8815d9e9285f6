// Library-internal access to a Database's session (the server forwards
// wire traffic to it). Not part of the public API.
#pragma once

#include <mutex>

#include "pglite/database.h"

namespace pglite::internal {

class Session;

struct DatabaseAccess {
  /// Throws pglite::Error 08003 if the database is closed.
  static Session& session(Database& db);
  /// Held around every use of the session, shared with the public API.
  static std::recursive_mutex& mutex(Database& db);
};

}  // namespace pglite::internal
