#include "describe.h"

namespace pglite::cli {

std::optional<bool> run_describe(std::string_view command, std::string_view args, Database& db,
                                 const PrintSettings& settings, std::ostream& out, std::ostream& err) {
  (void)command, (void)args, (void)db, (void)settings, (void)out, (void)err;
  return std::nullopt;
}

}  // namespace pglite::cli
