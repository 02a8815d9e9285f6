// psql-style rendering of results, errors, notices and notifications.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "pglite/error.h"
#include "pglite/notice.h"
#include "pglite/result.h"

namespace pglite::cli {

/// psql's "aligned" format: centered header, separator, rows (numeric
/// types right-aligned, multi-line values continued with '+'), then
/// "(N rows)" and a blank line.
std::string format_table(const Result& result);

/// What psql prints for one statement's result: the table (plus the tag for
/// INSERT/UPDATE/DELETE/MERGE ... RETURNING), COPY TO STDOUT data followed
/// by the tag, or just the command tag. Nothing for an empty query.
void print_result(std::ostream& out, const Result& result);

/// "ERROR:  message", a LINE/caret excerpt of `sql` when the error has a
/// position, DETAIL and HINT lines, then "SQLSTATE: XXXXX".
void print_error(std::ostream& err, const Error& error, std::string_view sql);

/// "NOTICE:  message" with DETAIL/HINT lines.
void print_notice(std::ostream& err, const Notice& notice);

/// psql's "Asynchronous notification ..." line.
void print_notification(std::ostream& out, const Notification& notification);

/// Terminal columns taken by UTF-8 text (wide East Asian characters count 2,
/// combining marks 0).
std::size_t display_width(std::string_view text);

}  // namespace pglite::cli
