// Decoding of backend (server -> client) messages of protocol v3, and the
// ErrorResponse/NoticeResponse the host composes itself.
// Every decoder validates the whole body and throws pglite::Error 08P01 on
// truncated, overlong or malformed input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pglite/error.h"
#include "pglite/notice.h"
#include "pglite/result.h"
#include "protocol/framing.h"

namespace pglite::internal::protocol {

/// Backend message type bytes.
namespace msg {
inline constexpr char kAuthentication = 'R';
inline constexpr char kBackendKeyData = 'K';
inline constexpr char kBindComplete = '2';
inline constexpr char kCloseComplete = '3';
inline constexpr char kCommandComplete = 'C';
inline constexpr char kCopyBothResponse = 'W';
inline constexpr char kCopyData = 'd';
inline constexpr char kCopyDone = 'c';
inline constexpr char kCopyInResponse = 'G';
inline constexpr char kCopyOutResponse = 'H';
inline constexpr char kDataRow = 'D';
inline constexpr char kEmptyQueryResponse = 'I';
inline constexpr char kErrorResponse = 'E';
inline constexpr char kNegotiateProtocolVersion = 'v';
inline constexpr char kNoData = 'n';
inline constexpr char kNoticeResponse = 'N';
inline constexpr char kNotificationResponse = 'A';
inline constexpr char kParameterDescription = 't';
inline constexpr char kParameterStatus = 'S';
inline constexpr char kParseComplete = '1';
inline constexpr char kPortalSuspended = 's';
inline constexpr char kReadyForQuery = 'Z';
inline constexpr char kRowDescription = 'T';
}  // namespace msg

/// ErrorResponse / NoticeResponse: (code byte, string) pairs in arrival order.
struct ErrorFields {
  std::vector<std::pair<char, std::string>> fields;

  /// Value of a field code ('S', 'V', 'C', 'M', 'D', 'H', 'P', 'W', ...), empty if absent.
  std::string_view get(char code) const;
  /// Severity (non-localized 'V' if present, else 'S'), SQLSTATE, message,
  /// detail, hint and position as a pglite::Error.
  Error to_error() const;
  Notice to_notice() const;
};

ErrorFields parse_error_fields(std::string_view body);
/// ErrorResponse / NoticeResponse with severity, SQLSTATE and message.
std::string error_response(std::string_view severity, std::string_view sqlstate, std::string_view text);
std::string notice_response(std::string_view severity, std::string_view sqlstate, std::string_view text);
std::vector<Column> parse_row_description(std::string_view body);
/// Decodes a DataRow into `values` (views into `body`; nullopt = NULL),
/// reusing its storage.
void parse_data_row(std::string_view body, std::vector<std::optional<std::string_view>>& values);
std::string_view parse_command_complete(std::string_view body);
Notification parse_notification(std::string_view body);
std::pair<std::string_view, std::string_view> parse_parameter_status(std::string_view body);
/// Returns the transaction status byte: 'I' idle, 'T' in a block, 'E' failed block.
char parse_ready_for_query(std::string_view body);
std::vector<std::uint32_t> parse_parameter_description(std::string_view body);

/// CopyInResponse / CopyOutResponse / CopyBothResponse.
struct CopyResponse {
  std::int8_t format = 0;  ///< 0 text, 1 binary
  std::vector<std::int16_t> column_formats;
};
CopyResponse parse_copy_response(std::string_view body);

struct BackendKeyData {
  std::int32_t pid = 0;
  std::int32_t secret = 0;
};
BackendKeyData parse_backend_key_data(std::string_view body);

/// For ParseComplete, BindComplete, CloseComplete, NoData, PortalSuspended,
/// EmptyQueryResponse and CopyDone: throws unless the body is empty.
void expect_empty_body(const Message& message);

/// Printable name of a backend message type for error messages.
std::string describe_type(char type);

}  // namespace pglite::internal::protocol
