// Values crossing the API: query parameters (pglite::Param), bytea
// (pglite::Bytes), well-known type OIDs and text -> C++ conversions used by
// Result::get<T>().
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "pglite/error.h"
#include "pglite/export.h"

namespace pglite {

/// bytea contents. Sent as a binary parameter, decoded from hex/escape text.
using Bytes = std::vector<std::byte>;

/// OIDs of built-in types (pg_type.oid), as found in Column::type_oid.
namespace type_oid {
inline constexpr std::uint32_t kUnspecified = 0;  ///< let the server infer
inline constexpr std::uint32_t kBool = 16;
inline constexpr std::uint32_t kBytea = 17;
inline constexpr std::uint32_t kInt8 = 20;
inline constexpr std::uint32_t kInt2 = 21;
inline constexpr std::uint32_t kInt4 = 23;
inline constexpr std::uint32_t kText = 25;
inline constexpr std::uint32_t kOid = 26;
inline constexpr std::uint32_t kJson = 114;
inline constexpr std::uint32_t kFloat4 = 700;
inline constexpr std::uint32_t kFloat8 = 701;
inline constexpr std::uint32_t kUnknown = 705;
inline constexpr std::uint32_t kVarchar = 1043;
inline constexpr std::uint32_t kDate = 1082;
inline constexpr std::uint32_t kTimestamp = 1114;
inline constexpr std::uint32_t kTimestamptz = 1184;
inline constexpr std::uint32_t kNumeric = 1700;
inline constexpr std::uint32_t kUuid = 2950;
inline constexpr std::uint32_t kJsonb = 3802;
}  // namespace type_oid

namespace detail {
template <typename T>
inline constexpr bool is_char_v =
    std::is_same_v<std::remove_cv_t<T>, char> || std::is_same_v<std::remove_cv_t<T>, wchar_t> ||
    std::is_same_v<std::remove_cv_t<T>, char8_t> || std::is_same_v<std::remove_cv_t<T>, char16_t> ||
    std::is_same_v<std::remove_cv_t<T>, char32_t>;

template <typename T>
concept Integer = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool> && !is_char_v<T>;

/// int2/int4/int8 by size; unsigned types take the next wider type.
template <typename T>
constexpr std::uint32_t integer_oid() {
  if constexpr (std::is_signed_v<T>) {
    return sizeof(T) <= 2 ? type_oid::kInt2 : sizeof(T) <= 4 ? type_oid::kInt4 : type_oid::kInt8;
  } else {
    return sizeof(T) < 2    ? type_oid::kInt2
           : sizeof(T) < 4  ? type_oid::kInt4
           : sizeof(T) == 4 ? type_oid::kInt8
                            : type_oid::kNumeric;
  }
}

template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

/// One query parameter: a value in text or binary wire format with a type
/// OID (0 = let the server infer it, as for a quoted literal), or SQL NULL.
///
/// Implicit conversions: integers -> int2/int4/int8 (by size; unsigned 32 ->
/// int8, unsigned 64 -> numeric), float -> float4, double -> float8, bool ->
/// bool, strings -> untyped text, Bytes -> binary bytea, std::nullopt /
/// nullptr / empty std::optional / null const char* -> NULL.
class PGLITE_EXPORT Param {
 public:
  Param() = default;  ///< SQL NULL
  Param(std::nullopt_t) {}
  Param(std::nullptr_t) {}
  Param(bool v);
  template <detail::Integer T>
  Param(T v);
  template <std::floating_point T>
  Param(T v) : Param(from_floating(v)) {}
  Param(const char* v);
  Param(std::string_view v) : Param(text(std::string(v))) {}
  Param(const std::string& v) : Param(text(v)) {}
  Param(std::string&& v) : Param(text(std::move(v))) {}
  Param(const Bytes& v);
  template <typename T>
  Param(const std::optional<T>& v) : Param(v ? Param(*v) : Param()) {}
  /// Pointers other than const char* would silently become bool.
  template <typename T>
  requires(!detail::is_char_v<T>) Param(T*)
  = delete;

  /// A text-format value with an explicit type, e.g. text("{1,2}", 1007).
  static Param text(std::string value, std::uint32_t type_oid = type_oid::kUnspecified);
  /// A binary-format value; the type OID is required (the server needs it to
  /// pick the receive function).
  static Param binary(std::string value, std::uint32_t type_oid);
  static Param null(std::uint32_t type_oid = type_oid::kUnspecified);

  bool is_null() const noexcept { return null_; }
  bool is_binary() const noexcept { return binary_; }
  std::uint32_t type_oid() const noexcept { return type_oid_; }
  /// Wire bytes of the value (empty for NULL).
  const std::string& data() const noexcept { return data_; }

 private:
  static Param from_int(std::int64_t v, std::uint32_t oid);
  static Param from_uint(std::uint64_t v, std::uint32_t oid);
  static Param from_float(float v);
  static Param from_double(double v);
  template <std::floating_point T>
  static Param from_floating(T v) {
    if constexpr (sizeof(T) == sizeof(float)) {
      return from_float(static_cast<float>(v));
    } else {
      return from_double(static_cast<double>(v));
    }
  }

  bool null_ = true;
  bool binary_ = false;
  std::uint32_t type_oid_ = type_oid::kUnspecified;
  std::string data_;
};

template <detail::Integer T>
Param::Param(T v)
    : Param(std::is_signed_v<T> ? from_int(static_cast<std::int64_t>(v), detail::integer_oid<T>())
                                : from_uint(static_cast<std::uint64_t>(v), detail::integer_oid<T>())) {}

// ---- text -> C++ conversions (Postgres text output format) ----------------
// All throw pglite::Error 22P02 for malformed input, 22003 when out of range.

/// Accepts t/f, true/false, yes/no, on/off, 1/0 (case-insensitive).
PGLITE_EXPORT bool parse_bool(std::string_view text);
PGLITE_EXPORT std::int64_t parse_int64(std::string_view text);
PGLITE_EXPORT std::uint64_t parse_uint64(std::string_view text);
/// Accepts Postgres' "Infinity", "-Infinity" and "NaN".
PGLITE_EXPORT double parse_double(std::string_view text);
/// Decodes bytea output: hex ("\x0aff") or the legacy escape format.
PGLITE_EXPORT Bytes parse_bytea(std::string_view text);

/// Converts one text-format value to T: bool, any integer, float, double,
/// std::string, std::string_view (aliases the input) or Bytes.
template <typename T>
T from_text(std::string_view text) {
  if constexpr (std::same_as<T, bool>) {
    return parse_bool(text);
  } else if constexpr (detail::Integer<T>) {
    if constexpr (std::is_signed_v<T>) {
      std::int64_t v = parse_int64(text);
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
        throw Error("22003", "value \"" + std::string(text) + "\" is out of range");
      }
      return static_cast<T>(v);
    } else {
      std::uint64_t v = parse_uint64(text);
      if (v > std::numeric_limits<T>::max()) {
        throw Error("22003", "value \"" + std::string(text) + "\" is out of range");
      }
      return static_cast<T>(v);
    }
  } else if constexpr (std::floating_point<T>) {
    return static_cast<T>(parse_double(text));
  } else if constexpr (std::same_as<T, std::string>) {
    return std::string(text);
  } else if constexpr (std::same_as<T, std::string_view>) {
    return text;
  } else if constexpr (std::same_as<T, Bytes>) {
    return parse_bytea(text);
  } else {
    static_assert(sizeof(T) == 0, "pglite::from_text: unsupported type");
  }
}

}  // namespace pglite
