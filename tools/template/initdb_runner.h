// Runs the translated initdb against a host directory. initdb starts the
// backend through popen()/system(); PGlite's initdb routes those to function
// pointers we install, and we answer each with a fresh Postgres process
// that shares the same host directories.
#pragma once

#include <string>

namespace pglite::tools {

struct InitdbResult {
  int exit_code = 0;
  std::string output;  ///< initdb's stdout + stderr
};

/// Creates a new cluster in host_data_dir (must not exist or be empty).
InitdbResult run_initdb(const std::string& host_data_dir, const std::string& host_scratch_dir);

}  // namespace pglite::tools
