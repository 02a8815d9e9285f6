// Asynchronous messages a backend sends besides results: notices (warnings,
// NOTICE/INFO/LOG output of RAISE) and LISTEN/NOTIFY notifications.
#pragma once

#include <cstdint>
#include <string>

namespace pglite {

/// A NoticeResponse: same fields as pglite::Error, severity e.g. "WARNING".
struct Notice {
  std::string severity;
  std::string sqlstate;
  std::string message;
  std::string detail;
  std::string hint;
  int position = 0;  ///< 1-based character position in the query, 0 if none
};

/// A NotificationResponse produced by NOTIFY on a channel this database LISTENs on.
struct Notification {
  std::int32_t pid = 0;  ///< process id the notifying backend reported
  std::string channel;
  std::string payload;
};

}  // namespace pglite
