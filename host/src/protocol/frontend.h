// Encoders for the frontend (client -> backend) messages of protocol v3, and
// what the server and pg_dump runner need to read them (startup codes, batch
// ends).
// Each function appends one complete message (type byte, Int32 length,
// body) to `out`, so a batch such as Parse+Bind+Describe+Execute+Sync is
// built by successive calls on the same buffer.
//
// Strings the protocol NUL-terminates (SQL text, statement and portal names,
// CopyFail reasons, startup parameters) must not contain NUL bytes:
// pglite::Error 22021 is thrown and `out` is left unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace pglite::internal::protocol {

/// Codes in the startup packet's version field.
inline constexpr std::uint32_t kProtocolVersion3 = 3 << 16;  // protocol 3.0
inline constexpr std::uint32_t kSslRequestCode = 80877103;
inline constexpr std::uint32_t kGssEncRequestCode = 80877104;
inline constexpr std::uint32_t kCancelRequestCode = 80877102;

/// True for the frontend messages after which a client waits for an
/// answer, so bytes may reach the backend only in batches ending with one.
inline bool ends_batch(char type) {
  return type == 'S' || type == 'Q' || type == 'F' || type == 'H' || type == 'c' || type == 'f';
}

/// Target of Describe and Close.
enum class Target : char { kStatement = 'S', kPortal = 'P' };

/// Format codes used in Bind.
enum class Format : std::int16_t { kText = 0, kBinary = 1 };

/// One Bind parameter: nullopt data is SQL NULL.
struct BindValue {
  std::optional<std::string_view> data;
  Format format = Format::kText;
};

/// StartupMessage for protocol 3.0 with (name, value) parameters such as
/// user and database. It has no type byte.
void encode_startup(std::string& out,
                    std::span<const std::pair<std::string_view, std::string_view>> parameters);

void encode_query(std::string& out, std::string_view sql);

/// Parse; a param type OID of 0 lets the server infer the type.
void encode_parse(std::string& out, std::string_view statement, std::string_view sql,
                  std::span<const std::uint32_t> param_types);

/// Bind. Parameter format codes are omitted when every value is text;
/// empty `result_formats` requests text for every result column.
void encode_bind(std::string& out, std::string_view portal, std::string_view statement,
                 std::span<const BindValue> params, std::span<const Format> result_formats = {});

void encode_describe(std::string& out, Target target, std::string_view name);

/// Execute; max_rows 0 means "no limit".
void encode_execute(std::string& out, std::string_view portal, std::int32_t max_rows = 0);

void encode_close(std::string& out, Target target, std::string_view name);
void encode_sync(std::string& out);
void encode_flush(std::string& out);
void encode_terminate(std::string& out);

void encode_copy_data(std::string& out, std::string_view data);
void encode_copy_done(std::string& out);
void encode_copy_fail(std::string& out, std::string_view reason);

}  // namespace pglite::internal::protocol
