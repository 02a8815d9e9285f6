// Temporary databases without Postgres' startup: per configuration, one
// backend is started once per process and kept idle, and each new
// temporary database is a copy of it (Session::clone: memory and files
// shared copy-on-write).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace pglite::internal {

class Session;

/// A new session copied from the started template for `config` (its
/// memory_data_dir is ignored: the template's PGDATA has `extensions`).
/// Null when there is no template yet because this is the configuration's
/// first use in the process (the caller starts a backend itself, so a
/// process that opens one temporary database pays nothing extra), or when
/// the template cannot be copied (then never again for this configuration).
/// Throws pglite::Error if the template cannot start.
std::unique_ptr<Session> clone_started_template(const BackendConfig& config,
                                                const std::vector<std::string>& extensions);

}  // namespace pglite::internal
