// SQL the server runs on the shared backend when it changes hands between
// clients, so that each client keeps session state of its own: settings,
// temporary schemas, LISTEN channels and prepared statements.
//
// Temporary schemas: Postgres gives a backend one pair (pg_temp_N and
// pg_toast_temp_N, created on first use). The server points the backend at
// the running client's pair (Backend::set_temp_namespace) and renames the
// pairs of the other clients out of the way ("parks" them under a
// client-specific name), so a client that needs a new pair never finds, and
// empties, someone else's under the standard name.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backend/backend.h"

namespace pglite::internal::handoff {

/// Drops the temporary schemas parked by an earlier server (stopped or killed).
extern const char* const kSweepParkedSql;

/// Renames a client's temporary schemas to their parked names.
std::string park_temp_sql(TempNamespace schemas, uint64_t client);
/// Renames parked temporary schemas back to their standard names.
std::string unpark_temp_sql(TempNamespace schemas);
/// Drops a client's temporary schemas and their tables.
std::string drop_temp_sql(TempNamespace schemas);
/// set_config() calls for startup-packet settings, values quoted.
std::string startup_settings_sql(const std::vector<std::pair<std::string, std::string>>& settings);
/// LISTEN for every channel in `channels` (idempotent).
std::string listen_sql(const std::set<std::string>& channels);

}  // namespace pglite::internal::handoff
