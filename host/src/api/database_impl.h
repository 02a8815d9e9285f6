// Database's private state, shared by the files implementing its methods
// (database.cc, dump.cc, archive.cc).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "api/session.h"
#include "pglite/database.h"

namespace pglite {

struct Database::Impl {
  mutable std::recursive_mutex mutex;
  Options options;
  std::unique_ptr<internal::Session> session;
  std::map<std::string, std::function<void(const Notification&)>, std::less<>> listeners;

  internal::Session& open_session() {
    if (!session || session->closed()) throw Error("08003", "database is closed");
    return *session;
  }

  /// Delivers notices and notifications, then throws the reply's error.
  void dispatch(internal::Reply& reply) {
    if (options.on_notice) {
      for (const Notice& n : reply.notices) options.on_notice(n);
    }
    for (const Notification& n : reply.notifications) {
      std::function<void(const Notification&)> callback;
      if (auto it = listeners.find(n.channel); it != listeners.end()) callback = it->second;
      if (callback) callback(n);
      if (options.on_notification) options.on_notification(n);
    }
  }
};

}  // namespace pglite
