// `pglite dump [-d PATH] [-f FILE] [-F p|c|t] [pg_dump options...]`
#pragma once

#include <string>
#include <vector>

namespace pglite::cli {

/// Dumps a database with the embedded pg_dump; returns the exit code.
int run_dump(const std::vector<std::string>& args);

}  // namespace pglite::cli
