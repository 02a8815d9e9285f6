#include "format.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pglite/value.h"

namespace pglite::cli {
namespace {

// Decodes one UTF-8 sequence at text[i], advancing i; invalid bytes decode as themselves.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  unsigned char b = static_cast<unsigned char>(text[i]);
  std::size_t extra = b >= 0xf8 ? 0 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
  if (extra == 0 || i + extra >= text.size()) {
    ++i;
    return b;
  }
  char32_t cp = b & (0x3f >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    unsigned char c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xc0) != 0x80) {
      ++i;
      return b;
    }
    cp = (cp << 6) | (c & 0x3f);
  }
  i += extra + 1;
  return cp;
}

int code_point_width(char32_t c) {
  if (c == 0) return 0;
  if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) {
    return 0;
  }
  if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
      (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
      (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd)) {
    return 2;
  }
  return 1;
}

// Splits a value into display lines the way psql does: '\n' breaks lines,
// tabs expand to the next multiple of 8, other control characters are escaped.
std::vector<std::string> display_lines(std::string_view text) {
  std::vector<std::string> lines(1);
  std::size_t col = 0;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      lines.emplace_back();
      col = 0;
      ++i;
    } else if (c == '\t') {
      do {
        lines.back().push_back(' ');
      } while (++col % 8 != 0);
      ++i;
    } else if (c == '\r') {
      lines.back() += "\\r";
      col += 2;
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      lines.back() += std::string("\\x") + hex[c >> 4] + hex[c & 15];
      col += 4;
      ++i;
    } else {
      std::size_t start = i;
      char32_t cp = next_code_point(text, i);
      lines.back().append(text.substr(start, i - start));
      col += static_cast<std::size_t>(code_point_width(cp));
    }
  }
  return lines;
}

bool right_aligned(std::uint32_t oid) {
  switch (oid) {
    case type_oid::kInt2:
    case type_oid::kInt4:
    case type_oid::kInt8:
    case type_oid::kFloat4:
    case type_oid::kFloat8:
    case type_oid::kNumeric:
    case type_oid::kOid:
    case 28:    // xid
    case 29:    // cid
    case 790:   // money
    case 5069:  // xid8
      return true;
  }
  return false;
}

void pad(std::string& out, std::size_t n) { out.append(n, ' '); }

void print_fields_tail(std::ostream& err, const std::string& detail, const std::string& hint) {
  if (!detail.empty()) err << "DETAIL:  " << detail << "\n";
  if (!hint.empty()) err << "HINT:  " << hint << "\n";
}

// libpq-style "LINE n: ..." plus a caret under the 1-based character `position`.
void print_position(std::ostream& err, std::string_view sql, int position) {
  if (position <= 0) return;
  std::size_t i = 0;
  std::size_t line_start = 0;
  int line_no = 1;
  for (int chars = 1; chars < position && i < sql.size(); ++chars) {
    if (sql[i] == '\n') {
      ++line_no;
      line_start = i + 1;
    }
    next_code_point(sql, i);
  }
  if (i > sql.size()) return;
  std::size_t line_end = sql.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = sql.size();
  std::string prefix = "LINE " + std::to_string(line_no) + ": ";
  std::string_view line = sql.substr(line_start, line_end - line_start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string shown;
  for (const std::string& part : display_lines(line)) shown += part;
  std::size_t caret = display_width(prefix) + display_width(sql.substr(line_start, i - line_start));
  err << prefix << shown << "\n" << std::string(caret, ' ') << "^\n";
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    width += static_cast<std::size_t>(code_point_width(next_code_point(text, i)));
  }
  return width;
}

namespace {

// Header, separator and rows in psql's aligned format (border 1); sets
// `total_width` to the table's width in columns.
std::string aligned_body(const Result& result, std::size_t& total_width) {
  const std::size_t ncols = result.cols();
  std::vector<std::size_t> width(ncols);
  std::vector<bool> right(ncols);
  for (std::size_t c = 0; c < ncols; ++c) {
    width[c] = display_width(result.columns()[c].name);
    right[c] = right_aligned(result.columns()[c].type_oid);
  }
  // Display lines of every cell, row-major.
  std::vector<std::vector<std::string>> cells;
  cells.reserve(result.rows() * ncols);
  for (std::size_t r = 0; r < result.rows(); ++r) {
    for (std::size_t c = 0; c < ncols; ++c) {
      cells.push_back(display_lines(result.value(r, c).value_or("")));
      for (const std::string& l : cells.back()) width[c] = std::max(width[c], display_width(l));
    }
  }

  std::string out;
  for (std::size_t c = 0; c < ncols; ++c) {
    const std::string& name = result.columns()[c].name;
    std::size_t space = width[c] - display_width(name);
    out += ' ';
    pad(out, space / 2);
    out += name;
    pad(out, (space + 1) / 2);
    out += ' ';
    if (c + 1 < ncols) out += '|';
  }
  out += '\n';
  for (std::size_t c = 0; c < ncols; ++c) {
    out.append(width[c] + 2, '-');
    if (c + 1 < ncols) out += '+';
  }
  out += '\n';

  for (std::size_t r = 0; r < result.rows(); ++r) {
    const std::vector<std::string>* row = &cells[r * ncols];
    std::size_t height = 1;
    for (std::size_t c = 0; c < ncols; ++c) height = std::max(height, row[c].size());
    for (std::size_t line = 0; line < height; ++line) {
      for (std::size_t c = 0; c < ncols; ++c) {
        bool last = c + 1 == ncols;
        bool has_line = line < row[c].size();
        bool continues = line + 1 < row[c].size();
        const std::string text = has_line ? row[c][line] : std::string();
        std::size_t space = width[c] - display_width(text);
        out += ' ';
        if (right[c] && has_line) {
          pad(out, space);
          out += text;
        } else {
          out += text;
          if (!last || continues) pad(out, space);
        }
        if (continues) {
          out += '+';
        } else if (!last) {
          out += ' ';
        }
        if (!last) out += '|';
      }
      out += '\n';
    }
  }
  total_width = ncols == 0 ? 0 : ncols * 3 - 1;
  for (std::size_t w : width) total_width += w;
  return out;
}

std::string row_count_line(std::size_t rows) {
  return rows == 1 ? "(1 row)" : "(" + std::to_string(rows) + " rows)";
}

}  // namespace

std::string format_table(const Result& result) {
  std::size_t total_width = 0;
  return aligned_body(result, total_width) + row_count_line(result.rows()) + "\n\n";
}

void print_table(std::ostream& out, const Result& result, const PrintSettings& settings,
                 const TableDecoration& decoration) {
  std::size_t total_width = 0;
  std::string body = aligned_body(result, total_width);
  if (!decoration.title.empty()) {
    std::size_t title_width = display_width(decoration.title);
    if (total_width > title_width) out << std::string((total_width - title_width) / 2, ' ');
    out << decoration.title << "\n";
  }
  out << body;
  for (const std::string& footer : decoration.footers) out << footer << "\n";
  if (decoration.row_count && settings.footer) out << row_count_line(result.rows()) << "\n";
  out << "\n";
}

void print_result(std::ostream& out, const Result& result) {
  const std::string& tag = result.command_tag();
  if (result.cols() > 0) {
    out << format_table(result);
    for (const char* verb : {"INSERT", "UPDATE", "DELETE", "MERGE"}) {
      if (tag.rfind(verb, 0) == 0) {
        out << tag << "\n";
        break;
      }
    }
    return;
  }
  if (!result.copy_data().empty()) out << result.copy_data();
  if (!tag.empty()) out << tag << "\n";
}

void print_error(std::ostream& err, const Error& error, std::string_view sql) {
  err << error.severity() << ":  " << error.message() << "\n";
  print_position(err, sql, error.position());
  print_fields_tail(err, error.detail(), error.hint());
  err << "SQLSTATE: " << error.sqlstate() << "\n";
}

void print_notice(std::ostream& err, const Notice& notice) {
  err << notice.severity << ":  " << notice.message << "\n";
  print_fields_tail(err, notice.detail, notice.hint);
}

void print_notification(std::ostream& out, const Notification& n) {
  out << "Asynchronous notification \"" << n.channel << "\"";
  if (!n.payload.empty()) out << " with payload \"" << n.payload << "\"";
  out << " received from server process with PID " << n.pid << ".\n";
}

}  // namespace pglite::cli
