#include "pglite/value.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "protocol/sqlstate.h"

namespace pglite {
namespace {

[[noreturn]] void invalid(std::string_view text, const char* type) {
  throw Error(sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type " + std::string(type) + ": \"" + std::string(text) + "\"");
}

[[noreturn]] void out_of_range(std::string_view text, const char* type) {
  throw Error(sqlstate::kNumericValueOutOfRange,
              "value \"" + std::string(text) + "\" is out of range for type " + type);
}

template <typename T>
T parse_integer(std::string_view text, const char* type) {
  T v{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc::result_out_of_range) out_of_range(text, type);
  if (ec != std::errc() || ptr != end) invalid(text, type);
  return v;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <typename F>
std::string format_float(F v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 64 bytes always suffice for the shortest representation
  return std::string(buf, ptr);
}

}  // namespace

// ---- Param ------------------------------------------------------------------

Param::Param(bool v) : null_(false), type_oid_(type_oid::kBool), data_(v ? "true" : "false") {}

Param::Param(const char* v) {
  if (v != nullptr) *this = text(v);
}

Param::Param(const Bytes& v)
    : null_(false),
      binary_(true),
      type_oid_(type_oid::kBytea),
      data_(reinterpret_cast<const char*>(v.data()), v.size()) {}

Param Param::text(std::string value, std::uint32_t type_oid) {
  Param p;
  p.null_ = false;
  p.type_oid_ = type_oid;
  p.data_ = std::move(value);
  return p;
}

Param Param::binary(std::string value, std::uint32_t type_oid) {
  Param p = text(std::move(value), type_oid);
  p.binary_ = true;
  return p;
}

Param Param::null(std::uint32_t type_oid) {
  Param p;
  p.type_oid_ = type_oid;
  return p;
}

Param Param::from_int(std::int64_t v, std::uint32_t oid) { return text(std::to_string(v), oid); }
Param Param::from_uint(std::uint64_t v, std::uint32_t oid) { return text(std::to_string(v), oid); }
Param Param::from_float(float v) { return text(format_float(v), type_oid::kFloat4); }
Param Param::from_double(double v) { return text(format_float(v), type_oid::kFloat8); }

// ---- text -> C++ --------------------------------------------------------------

bool parse_bool(std::string_view text) {
  for (const char* t : {"t", "true", "yes", "on", "1"}) {
    if (iequals(text, t)) return true;
  }
  for (const char* f : {"f", "false", "no", "off", "0"}) {
    if (iequals(text, f)) return false;
  }
  invalid(text, "boolean");
}

std::int64_t parse_int64(std::string_view text) { return parse_integer<std::int64_t>(text, "bigint"); }

std::uint64_t parse_uint64(std::string_view text) {
  if (!text.empty() && text[0] == '-') {
    if (text.size() > 1 && text.find_first_not_of('0', 1) == std::string_view::npos) return 0;
    out_of_range(text, "an unsigned integer");
  }
  return parse_integer<std::uint64_t>(text, "an unsigned integer");
}

double parse_double(std::string_view text) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc::result_out_of_range) out_of_range(text, "double precision");
  if (ec != std::errc() || ptr != end) invalid(text, "double precision");
  return v;
}

Bytes parse_bytea(std::string_view text) {
  Bytes out;
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
    std::string_view hex = text.substr(2);
    if (hex.size() % 2 != 0) invalid(text, "bytea");
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      int hi = hex_digit(hex[i]);
      int lo = hex_digit(hex[i + 1]);
      if (hi < 0 || lo < 0) invalid(text, "bytea");
      out.push_back(static_cast<std::byte>(hi * 16 + lo));
    }
    return out;
  }
  // Escape format: "\\" is a backslash, "\ooo" an octal byte, anything else literal.
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\\') {
      out.push_back(static_cast<std::byte>(c));
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      out.push_back(std::byte{'\\'});
      ++i;
    } else if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' && text[i + 2] >= '0' &&
               text[i + 2] <= '7' && text[i + 3] >= '0' && text[i + 3] <= '7') {
      int v = (text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0');
      out.push_back(static_cast<std::byte>(v));
      i += 3;
    } else {
      invalid(text, "bytea");
    }
  }
  return out;
}

}  // namespace pglite
