// `pglite serve [-d PATH] [--port N] [--unix DIR] [--host ADDR]`
#pragma once

#include <string>
#include <vector>

namespace pglite::cli {

/// Serves an embedded database until SIGINT/SIGTERM; returns the exit code.
int run_serve(const std::vector<std::string>& args);

}  // namespace pglite::cli
