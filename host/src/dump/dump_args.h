// pg_dump command lines for Database::dump(): built from DumpOptions, with
// every option that could point pg_dump somewhere else refused.
#pragma once

#include <string>
#include <vector>

#include "pglite/dump.h"

namespace pglite::internal {

/// argv[1..] for pg_dump: the options, then the in-process connection
/// (`conninfo`) and, unless empty, the guest file to write (`output_file`;
/// stdout otherwise). Throws Error 22023 for a refused extra argument.
std::vector<std::string> pg_dump_arguments(const DumpOptions& options, const std::string& conninfo,
                                           const std::string& output_file);

/// Throws Error 22023 if `args` (extra pg_dump options) holds one that
/// selects a server, a user, an output, a format or parallel jobs, a
/// positional database name, or --help/--version.
void check_extra_dump_arguments(const std::vector<std::string>& args);

}  // namespace pglite::internal
