// psql-style rendering of results, errors, notices and notifications.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "pglite/error.h"
#include "pglite/notice.h"
#include "pglite/result.h"

namespace pglite::cli {

/// How results are printed: psql's \pset state and \x.
struct PrintSettings {
  enum class Format { kAligned, kUnaligned, kCsv };
  enum class Expanded { kOff, kOn, kAuto };
  Format format = Format::kAligned;  ///< \pset format, \a
  Expanded expanded = Expanded::kOff;
  int border = 1;                 ///< \pset border: 0, 1 or 2 (aligned format)
  std::string null_display;       ///< \pset null
  bool footer = true;             ///< \pset footer: the "(N rows)" line
  bool tuples_only = false;       ///< \t: rows only, no header, title or footer
  std::string field_sep = "|";    ///< \pset fieldsep (unaligned format)
  std::string record_sep = "\n";  ///< \pset recordsep (unaligned format)
  std::string csv_field_sep = ",";
  std::string title;  ///< \pset title: shown above query results
  /// \pset columns: the width \x auto compares a table with; 0 = the
  /// terminal's when printing to standard output on a terminal, else never.
  int columns = 0;
};

/// What psql's describe commands add around a table: a title centered above
/// it, and footer lines below it (which replace the row count when
/// `row_count` is false, as for "\d NAME").
struct TableDecoration {
  std::string title;
  std::vector<std::string> footers;
  bool row_count = true;
};

/// Prints `result` as psql does under `settings` (format, border, expanded,
/// null, tuples_only...), with `decoration` (whose title, if any, replaces
/// `settings.title`). The aligned format ends with a blank line.
void print_table(std::ostream& out, const Result& result, const PrintSettings& settings,
                 const TableDecoration& decoration = {});

/// psql's "aligned" format: centered header, separator, rows (numeric
/// types right-aligned, multi-line values continued with '+'), then
/// "(N rows)" and a blank line.
std::string format_table(const Result& result);

/// What psql prints for one statement's result: the table (plus the tag for
/// INSERT/UPDATE/DELETE/MERGE ... RETURNING), COPY TO STDOUT data (without
/// the tag, as psql), or just the command tag. Nothing for an empty query.
void print_result(std::ostream& out, const Result& result, const PrintSettings& settings = {});

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
