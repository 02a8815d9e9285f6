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
#include "protocol/sqlstate.h"

namespace pglite {

struct Database::Impl {
  mutable std::recursive_mutex mutex;
  Options options;
  std::unique_ptr<internal::Session> session;
  std::map<std::string, std::function<void(const Notification&)>, std::less<>> listeners;

  internal::Session& open_session() {
    if (!session || session->closed()) throw Error(sqlstate::kConnectionDoesNotExist, "database is closed");
    return *session;
  }

  /// Runs `f` on the open session under the database's lock.
  template <typename F>
  decltype(auto) with_session(F&& f) {
    std::lock_guard lock(mutex);
    return f(open_session());
  }

  /// Delivers a reply's notices and notifications, throws its error, and
  /// returns its last result.
  Result last_result(internal::Reply&& reply) {
    dispatch(reply);
    reply.throw_if_error();
    return reply.results.empty() ? Result() : std::move(reply.results.back());
  }

  /// Delivers a reply's notices and notifications.
  void dispatch(const internal::Reply& reply) {
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
