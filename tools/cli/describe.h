// psql's describe commands (\d and its family, \l, \z) with psql 15's output
// shape, answered from our own catalog queries (modelled on psql 15's
// describe.c): \d [NAME], \dt \di \dv \dm \ds \dE, \dn \df \du \dg \dx \dT \da
// \db \dp \dD \dL \dA[cfop] \do \dC \dc \dd \ddp \dy \des \dew \det \deu
// \drds \dX \dP \dl \dO \dRp \dRs \dF[dpt], with psql's patterns and its S
// and + modifiers. Where psql 15's query fails against PostgreSQL 17 (\l and
// \dO read columns 17 renamed) the same columns come from the new names.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>

#include "format.h"
#include "pglite/database.h"

namespace pglite::cli {

/// Runs `command` (the backslash word, e.g. "\\dt+" or "\\d") with its
/// argument text `args` (patterns, unparsed). Prints the tables to `out` and
/// errors psql-style to `err`. Returns nullopt when `command` is not a
/// describe command, otherwise whether it succeeded.
std::optional<bool> run_describe(std::string_view command, std::string_view args, Database& db,
                                 const PrintSettings& settings, std::ostream& out, std::ostream& err);

}  // namespace pglite::cli
