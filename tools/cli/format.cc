#include "format.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>
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

// A result as psql's printing code sees it: header names and cells (NULL
// already replaced by \pset null), with per-column alignment.
struct Table {
  std::vector<std::string> headers;
  std::vector<bool> right;         // right-aligned column
  std::vector<std::string> cells;  // row-major
  std::size_t rows = 0;
  std::size_t cols() const { return headers.size(); }
  const std::string& cell(std::size_t r, std::size_t c) const { return cells[r * cols() + c]; }
  /// Rows to draw: none when there are no columns (SELECT;), as psql.
  std::size_t data_rows() const { return cols() == 0 ? 0 : rows; }
};

Table make_table(const Result& result, const PrintSettings& settings) {
  Table t;
  for (const Column& c : result.columns()) {
    t.headers.push_back(c.name);
    t.right.push_back(right_aligned(c.type_oid));
  }
  t.rows = result.rows();
  t.cells.reserve(t.rows * t.cols());
  for (std::size_t r = 0; r < t.rows; ++r) {
    for (std::size_t c = 0; c < t.cols(); ++c) {
      std::optional<std::string_view> v = result.value(r, c);
      t.cells.emplace_back(v ? std::string(*v) : settings.null_display);
    }
  }
  return t;
}

std::string row_count_line(std::size_t rows) {
  return rows == 1 ? "(1 row)" : "(" + std::to_string(rows) + " rows)";
}

std::size_t max_width(const std::vector<std::string>& lines) {
  std::size_t w = 0;
  for (const std::string& l : lines) w = std::max(w, display_width(l));
  return w;
}

// The width an aligned table takes (header and cells), as for \x auto.
struct AlignedLayout {
  std::vector<std::size_t> width;
  std::vector<std::vector<std::string>> header_lines, cell_lines;
  std::size_t total = 0;
};

AlignedLayout layout_aligned(const Table& t, int border) {
  AlignedLayout l;
  const std::size_t ncols = t.cols();
  l.width.assign(ncols, 0);
  for (std::size_t c = 0; c < ncols; ++c) {
    l.header_lines.push_back(display_lines(t.headers[c]));
    l.width[c] = max_width(l.header_lines.back());
  }
  l.cell_lines.reserve(t.cells.size());
  for (std::size_t i = 0; i < t.cells.size(); ++i) {
    l.cell_lines.push_back(display_lines(t.cells[i]));
    std::size_t& w = l.width[i % ncols];
    w = std::max(w, max_width(l.cell_lines.back()));
  }
  // psql's width_total (used to center the title and for \x auto).
  l.total = border == 0 ? ncols : border == 1 ? (ncols > 0 ? ncols * 3 - 1 : 0) : ncols * 3 + 1;
  for (std::size_t w : l.width) l.total += w;
  return l;
}

// One logical row (header or data) of an aligned table, possibly several
// display lines high.
void aligned_row(std::string& out, const std::vector<std::vector<std::string>>& cells,
                 const std::vector<std::size_t>& width, const std::vector<bool>& right, bool header,
                 int border) {
  const std::size_t ncols = width.size();
  std::size_t height = 1;
  for (const auto& c : cells) height = std::max(height, c.size());
  for (std::size_t line = 0; line < height; ++line) {
    if (border == 2) out += '|';
    for (std::size_t c = 0; c < ncols; ++c) {
      const bool last = c + 1 == ncols;
      const bool has_line = line < cells[c].size();
      const bool continues = line + 1 < cells[c].size();
      const std::string text = has_line ? cells[c][line] : std::string();
      const std::size_t space = width[c] - display_width(text);
      if (border > 0) out += ' ';
      if (header) {
        pad(out, space / 2);
        out += text;
        pad(out, (space + 1) / 2);
      } else if (right[c] && has_line) {
        pad(out, space);
        out += text;
      } else {
        out += text;
        if (!last || continues || border == 2) pad(out, space);
      }
      if (continues) {
        out += '+';
      } else if (header || !last || border == 2) {
        out += ' ';
      }
      if (border > 0 && (!last || border == 2)) out += '|';
    }
    out += '\n';
  }
}

void print_aligned(std::ostream& out, const Table& t, const AlignedLayout& l, const PrintSettings& s,
                   const TableDecoration& d, const std::string& title) {
  const int border = s.border;
  std::string text;
  if (!title.empty() && !s.tuples_only) {
    std::size_t title_width = display_width(title);
    if (l.total > title_width) text.append((l.total - title_width) / 2, ' ');
    text += title;
    text += '\n';
  }
  auto rule = [&] {
    if (border == 0) {
      for (std::size_t c = 0; c < l.width.size(); ++c) {
        text.append(l.width[c], '-');
        if (c + 1 < l.width.size()) text += ' ';
      }
      text += '\n';
    } else if (border == 1) {
      if (l.width.empty()) text += "--";  // psql's rule for a zero-column result
      for (std::size_t c = 0; c < l.width.size(); ++c) {
        text.append(l.width[c] + 2, '-');
        if (c + 1 < l.width.size()) text += '+';
      }
      text += '\n';
    } else {
      text += l.width.empty() ? "+-" : "+";
      if (l.width.empty()) text += "-+";
      for (std::size_t c = 0; c < l.width.size(); ++c) {
        text.append(l.width[c] + 2, '-');
        text += '+';
      }
      text += '\n';
    }
  };
  if (!s.tuples_only) {
    if (border == 2) rule();
    if (t.cols() > 0) aligned_row(text, l.header_lines, l.width, t.right, true, border);
    rule();
  }
  const std::size_t ncols = t.cols();
  for (std::size_t r = 0; r < t.data_rows(); ++r) {
    std::vector<std::vector<std::string>> row(
        l.cell_lines.begin() + static_cast<std::ptrdiff_t>(r * ncols),
        l.cell_lines.begin() + static_cast<std::ptrdiff_t>((r + 1) * ncols));
    aligned_row(text, row, l.width, t.right, false, border);
  }
  if (border == 2) rule();
  if (!s.tuples_only) {
    for (const std::string& footer : d.footers) text += footer + "\n";
    if (d.row_count && s.footer) text += row_count_line(t.rows) + "\n";
  }
  text += '\n';
  out << text;
}

// psql's print_aligned_vertical_line: the rule above each record, with
// "[ RECORD n ]" (border 1, 2) or "* Record n" (border 0) when n > 0.
void record_rule(std::string& out, std::size_t record, std::size_t hwidth, std::size_t dwidth, int border) {
  const char fill = border > 0 ? '-' : ' ';
  if (border == 2) {
    out += "+-";
  } else if (border == 1) {
    out += '-';
  }
  long reclen = 0;
  if (record > 0) {
    std::string label =
        border == 0 ? "* Record " + std::to_string(record) : "[ RECORD " + std::to_string(record) + " ]";
    out += label;
    reclen = static_cast<long>(label.size());
  }
  if (border != 2) ++reclen;
  for (long i = reclen; i < static_cast<long>(hwidth); ++i) out += fill;
  reclen -= static_cast<long>(hwidth);
  if (border > 0) {
    if (reclen-- <= 0) out += '-';
    if (reclen-- <= 0) out += '+';
    if (reclen-- <= 0) out += '-';
  } else {
    if (reclen-- <= 0) out += ' ';
  }
  if (reclen < 0) reclen = 0;
  for (long i = reclen; i < static_cast<long>(dwidth); ++i) out += fill;
  if (border == 2) out += "-+";
  out += '\n';
}

void print_aligned_expanded(std::ostream& out, const Table& t, const PrintSettings& s,
                            const TableDecoration& d, const std::string& title) {
  const int border = s.border;
  std::string text;
  if (t.data_rows() == 0) {
    if (!s.tuples_only) {
      for (const std::string& footer : d.footers) text += footer + "\n";
      if (d.row_count && s.footer) text += row_count_line(t.rows) + "\n";
    }
    out << text << "\n";
    return;
  }
  if (!title.empty() && !s.tuples_only) text += title + "\n";
  const std::size_t ncols = t.cols();
  std::vector<std::vector<std::string>> header_lines, cell_lines;
  std::size_t hwidth = 0, dwidth = 0;
  bool header_multiline = false;
  for (const std::string& h : t.headers) {
    header_lines.push_back(display_lines(h));
    hwidth = std::max(hwidth, max_width(header_lines.back()));
    header_multiline |= header_lines.back().size() > 1;
  }
  for (const std::string& c : t.cells) {
    cell_lines.push_back(display_lines(c));
    dwidth = std::max(dwidth, max_width(cell_lines.back()));
  }
  for (std::size_t r = 0; r < t.rows; ++r) {
    if (!s.tuples_only) {
      record_rule(text, r + 1, hwidth, dwidth, border);
    } else if (r > 0 || border == 2) {
      record_rule(text, 0, hwidth, dwidth, border);
    }
    for (std::size_t c = 0; c < ncols; ++c) {
      const auto& hl = header_lines[c];
      const auto& dl = cell_lines[r * ncols + c];
      std::size_t height = std::max(hl.size(), dl.size());
      for (std::size_t line = 0; line < height; ++line) {
        // psql's print_aligned_vertical: the header, a '+' or ' ' after it
        // (border 0: only when some header has several lines), the rule, the
        // value.
        if (border == 2) text += "| ";
        if (line < hl.size()) {
          text += hl[line];
          pad(text, hwidth - display_width(hl[line]));
          if (border > 0 || header_multiline) text += line + 1 < hl.size() ? '+' : ' ';
        } else {
          pad(text, hwidth + (border > 0 || header_multiline ? 1 : 0));
        }
        if (border > 0) text += '|';
        if (line < dl.size()) {
          text += ' ';
          text += dl[line];
          bool continues = line + 1 < dl.size();
          if (continues || border == 2) pad(text, dwidth - display_width(dl[line]));
          if (continues) {
            text += '+';
          } else if (border == 2) {
            text += ' ';
          }
          if (border == 2) text += '|';
        } else if (border == 2) {
          pad(text, dwidth + 2);
          text += '|';
        }
        text += '\n';
      }
    }
  }
  if (border == 2) record_rule(text, 0, hwidth, dwidth, border);
  if (!s.tuples_only) {
    for (const std::string& footer : d.footers) text += footer + "\n";
  }
  text += '\n';
  out << text;
}

void print_unaligned(std::ostream& out, const Table& t, const PrintSettings& s, const TableDecoration& d,
                     const std::string& title, bool expanded) {
  std::string text;
  const std::string& fs = s.field_sep;
  const std::string& rs = s.record_sep;
  bool need_rs = false;
  if (!s.tuples_only && !title.empty()) {
    text += title;
    need_rs = true;
  }
  const std::size_t ncols = t.cols();
  if (expanded) {
    for (std::size_t r = 0; r < t.data_rows(); ++r) {
      if (need_rs) {
        text += rs;
        text += rs;
      }
      for (std::size_t c = 0; c < ncols; ++c) {
        if (c > 0) text += rs;
        text += t.headers[c] + fs + t.cell(r, c);
      }
      need_rs = true;
    }
    if (!s.tuples_only) {
      for (const std::string& footer : d.footers) {
        text += rs;
        text += footer;
      }
    }
    if (need_rs || !d.footers.empty()) text += '\n';
  } else {
    if (!s.tuples_only) {
      if (need_rs) text += rs;
      for (std::size_t c = 0; c < ncols; ++c) {
        if (c > 0) text += fs;
        text += t.headers[c];
      }
      need_rs = true;
    }
    for (std::size_t r = 0; r < t.data_rows(); ++r) {
      if (need_rs) text += rs;
      for (std::size_t c = 0; c < ncols; ++c) {
        if (c > 0) text += fs;
        text += t.cell(r, c);
      }
      need_rs = true;
    }
    if (!s.tuples_only) {
      for (const std::string& footer : d.footers) {
        if (need_rs) text += rs;
        text += footer;
        need_rs = true;
      }
      if (d.row_count && s.footer) {
        if (need_rs) text += rs;
        text += row_count_line(t.rows);
        need_rs = true;
      }
    }
    if (need_rs) text += '\n';
  }
  out << text;
}

std::string csv_field(const std::string& value, const std::string& sep) {
  bool quote = value.find_first_of("\"\r\n") != std::string::npos || value == "\\." ||
               (!sep.empty() && value.find(sep) != std::string::npos) || sep == "\\" || sep == ".";
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void print_csv(std::ostream& out, const Table& t, const PrintSettings& s, bool expanded) {
  std::string text;
  const std::string& sep = s.csv_field_sep;
  const std::size_t ncols = t.cols();
  if (expanded) {
    for (std::size_t r = 0; r < t.data_rows(); ++r) {
      for (std::size_t c = 0; c < ncols; ++c) {
        text += csv_field(t.headers[c], sep) + sep + csv_field(t.cell(r, c), sep) + "\n";
      }
    }
  } else {
    if (!s.tuples_only) {
      for (std::size_t c = 0; c < ncols; ++c) text += (c > 0 ? sep : "") + csv_field(t.headers[c], sep);
      text += '\n';
    }
    for (std::size_t r = 0; r < t.data_rows(); ++r) {
      for (std::size_t c = 0; c < ncols; ++c) text += (c > 0 ? sep : "") + csv_field(t.cell(r, c), sep);
      text += '\n';
    }
  }
  out << text;
}

// The terminal width \x auto compares with (0: never expand).
std::size_t output_columns(std::ostream& out, const PrintSettings& settings) {
  if (settings.columns > 0) return static_cast<std::size_t>(settings.columns);
  if (&out != &std::cout || !isatty(STDOUT_FILENO)) return 0;
  if (const char* env = std::getenv("COLUMNS"); env != nullptr && std::atoi(env) > 0) {
    return static_cast<std::size_t>(std::atoi(env));
  }
  struct winsize ws {};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 0;
}

}  // namespace

std::string format_table(const Result& result) {
  std::ostringstream out;
  PrintSettings settings;
  Table t = make_table(result, settings);
  print_aligned(out, t, layout_aligned(t, 1), settings, {}, "");
  return out.str();
}

void print_table(std::ostream& out, const Result& result, const PrintSettings& requested,
                 const TableDecoration& decoration) {
  PrintSettings settings = requested;
  settings.border = std::clamp(settings.border, 0, 2);  // as psql: \pset border 3 draws 2
  const Table t = make_table(result, settings);
  const std::string& title = decoration.title.empty() ? settings.title : decoration.title;
  bool expanded = settings.expanded == PrintSettings::Expanded::kOn;
  switch (settings.format) {
    case PrintSettings::Format::kUnaligned:
      print_unaligned(out, t, settings, decoration, title, expanded);
      return;
    case PrintSettings::Format::kCsv:
      print_csv(out, t, settings, expanded);
      return;
    case PrintSettings::Format::kAligned:
      break;
  }
  if (expanded) {
    print_aligned_expanded(out, t, settings, decoration, title);
    return;
  }
  AlignedLayout layout = layout_aligned(t, settings.border);
  if (settings.expanded == PrintSettings::Expanded::kAuto && t.rows > 0) {
    std::size_t columns = output_columns(out, settings);
    if (columns > 0 && layout.total > columns) {
      print_aligned_expanded(out, t, settings, decoration, title);
      return;
    }
  }
  print_aligned(out, t, layout, settings, decoration, title);
}

void print_result(std::ostream& out, const Result& result, const PrintSettings& settings) {
  const std::string& tag = result.command_tag();
  if (result.cols() > 0 || result.rows() > 0) {  // rows without columns: SELECT;
    print_table(out, result, settings);
    for (const char* verb : {"INSERT", "UPDATE", "DELETE", "MERGE"}) {
      if (tag.rfind(verb, 0) == 0) {
        out << tag << "\n";
        break;
      }
    }
    return;
  }
  if (!result.copy_data().empty()) {
    // COPY ... TO STDOUT: psql leaves out the tag when it would go where the
    // data just went.
    out << result.copy_data();
    return;
  }
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
