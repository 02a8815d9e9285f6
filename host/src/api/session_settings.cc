#include "api/session_settings.h"

#include "api/session.h"

namespace pglite::internal::settings {

std::string capture(Session& session) {
  Reply reply = session.simple_query(kCaptureSql);
  reply.throw_if_error();
  if (reply.results.empty() || reply.results.back().empty()) return {};
  return std::string(reply.results.back().value(0, 0).value_or(""));
}

}  // namespace pglite::internal::settings
