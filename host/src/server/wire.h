// Framing and the few message rewrites the server needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pglite::internal::wire {

inline constexpr uint32_t kProtocol3 = 196608;
inline constexpr uint32_t kSslRequest = 80877103;
inline constexpr uint32_t kGssEncRequest = 80877104;
inline constexpr uint32_t kCancelRequest = 80877102;

uint32_t read_u32(const char* p);
void put_u32(std::string& out, uint32_t v);

/// A complete typed message (type byte + length + body) at the start of
/// `buf`: its total size, 0 if incomplete, or nullopt if the length field is
/// invalid (< 4) or exceeds `max`.
std::optional<size_t> message_size(std::string_view buf, size_t max);

/// True for the frontend messages after which a client waits for an
/// answer, so bytes may reach the backend only in batches ending with one.
inline bool ends_batch(char type) {
  return type == 'S' || type == 'Q' || type == 'F' || type == 'H' || type == 'c' || type == 'f';
}

/// One typed message.
std::string message(char type, std::string_view body);
/// ErrorResponse with severity, SQLSTATE and message.
std::string error_response(const char* severity, const char* sqlstate, std::string_view text);

/// Startup packet parameters (user, database, options, ...).
std::vector<std::pair<std::string, std::string>> startup_parameters(std::string_view body);

/// Rewrites the statement/portal names in Parse, Bind, Describe, Close and
/// Execute so each client gets its own namespace; unnamed ones stay shared.
/// Returns the message unchanged for other types.
std::string rename_objects(std::string_view msg, std::string_view prefix);

/// Name of the statement a Parse message creates ("" if unnamed).
std::string parsed_statement_name(std::string_view msg);

}  // namespace pglite::internal::wire
