// Tab completion for the interactive shell (libedit's readline interface):
// SQL keywords, backslash commands, and table and view names from the
// catalog (cached for a few seconds).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pglite/database.h"

namespace pglite::cli {

/// Makes Tab complete against `db` (which must outlive the line reader).
void install_completion(Database& db);

/// The candidates for `word`, the word before the cursor, given the text of
/// the line before it (exposed for tests).
std::vector<std::string> completion_candidates(std::string_view line_before, std::string_view word,
                                               Database& db);

}  // namespace pglite::cli
