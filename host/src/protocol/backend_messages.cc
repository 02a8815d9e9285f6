#include "protocol/backend_messages.h"

#include <charconv>

#include "protocol/byte_io.h"
#include "protocol/sqlstate.h"

namespace pglite::internal::protocol {

std::string_view ErrorFields::get(char code) const {
  for (const auto& [c, v] : fields) {
    if (c == code) return v;
  }
  return {};
}

namespace {

int parse_position(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return 0;
  return v;
}

template <typename T>
void fill_common(const ErrorFields& f, T& out, const char* default_severity) {
  std::string_view sev = f.get('V');
  if (sev.empty()) sev = f.get('S');
  out.severity = sev.empty() ? default_severity : std::string(sev);
  std::string_view code = f.get('C');
  out.sqlstate = code.empty() ? sqlstate::kInternalError : std::string(code);
  out.message = f.get('M');
  out.detail = f.get('D');
  out.hint = f.get('H');
  out.position = parse_position(f.get('P'));
}

}  // namespace

Error ErrorFields::to_error() const {
  Error::Fields e;
  fill_common(*this, e, "ERROR");
  return Error(std::move(e));
}

Notice ErrorFields::to_notice() const {
  Notice n;
  fill_common(*this, n, "NOTICE");
  if (n.sqlstate == sqlstate::kInternalError && get('C').empty()) n.sqlstate = sqlstate::kSuccess;
  return n;
}

ErrorFields parse_error_fields(std::string_view body) {
  ByteReader r(body, "ErrorResponse/NoticeResponse");
  ErrorFields out;
  for (;;) {
    char code = r.byte();
    if (code == '\0') break;
    out.fields.emplace_back(code, std::string(r.cstring()));
  }
  r.expect_end();
  return out;
}

namespace {

std::string error_fields_message(char type, std::string_view severity, std::string_view sqlstate,
                                 std::string_view text) {
  std::string out;
  MessageWriter m(out, type);
  for (auto [code, value] :
       {std::pair<char, std::string_view>{'S', severity}, {'V', severity}, {'C', sqlstate}, {'M', text}}) {
    m.body().byte(code);
    m.body().cstring(value);
  }
  m.body().byte('\0');
  m.finish();
  return out;
}

}  // namespace

std::string error_response(std::string_view severity, std::string_view sqlstate, std::string_view text) {
  return error_fields_message(msg::kErrorResponse, severity, sqlstate, text);
}

std::string notice_response(std::string_view severity, std::string_view sqlstate, std::string_view text) {
  return error_fields_message(msg::kNoticeResponse, severity, sqlstate, text);
}

std::vector<Column> parse_row_description(std::string_view body) {
  ByteReader r(body, "RowDescription");
  std::int16_t n = r.int16();
  if (n < 0) throw_protocol_error("RowDescription has a negative field count");
  std::vector<Column> columns(static_cast<std::size_t>(n));
  for (Column& c : columns) {
    c.name = r.cstring();
    c.table_oid = r.uint32();
    c.column_number = r.int16();
    c.type_oid = r.uint32();
    c.type_size = r.int16();
    c.type_modifier = r.int32();
    c.format = r.int16();
  }
  r.expect_end();
  return columns;
}

void parse_data_row(std::string_view body, std::vector<std::optional<std::string_view>>& values) {
  ByteReader r(body, "DataRow");
  std::int16_t n = r.int16();
  if (n < 0) throw_protocol_error("DataRow has a negative column count");
  values.clear();
  for (std::int16_t i = 0; i < n; ++i) {
    std::int32_t len = r.int32();
    if (len == -1) {
      values.emplace_back(std::nullopt);
    } else if (len < 0) {
      throw_protocol_error("DataRow has an invalid value length");
    } else {
      values.emplace_back(r.bytes(static_cast<std::size_t>(len)));
    }
  }
  r.expect_end();
}

std::string_view parse_command_complete(std::string_view body) {
  ByteReader r(body, "CommandComplete");
  std::string_view tag = r.cstring();
  r.expect_end();
  return tag;
}

Notification parse_notification(std::string_view body) {
  ByteReader r(body, "NotificationResponse");
  Notification n;
  n.pid = r.int32();
  n.channel = r.cstring();
  n.payload = r.cstring();
  r.expect_end();
  return n;
}

std::pair<std::string_view, std::string_view> parse_parameter_status(std::string_view body) {
  ByteReader r(body, "ParameterStatus");
  std::string_view name = r.cstring();
  std::string_view value = r.cstring();
  r.expect_end();
  return {name, value};
}

char parse_ready_for_query(std::string_view body) {
  ByteReader r(body, "ReadyForQuery");
  char status = r.byte();
  r.expect_end();
  if (status != 'I' && status != 'T' && status != 'E') {
    throw_protocol_error("ReadyForQuery has an invalid transaction status");
  }
  return status;
}

std::vector<std::uint32_t> parse_parameter_description(std::string_view body) {
  ByteReader r(body, "ParameterDescription");
  std::uint16_t n = static_cast<std::uint16_t>(r.int16());
  std::vector<std::uint32_t> types(n);
  for (std::uint32_t& t : types) t = r.uint32();
  r.expect_end();
  return types;
}

CopyResponse parse_copy_response(std::string_view body) {
  ByteReader r(body, "CopyInResponse/CopyOutResponse");
  CopyResponse c;
  c.format = static_cast<std::int8_t>(r.byte());
  std::int16_t n = r.int16();
  if (n < 0) throw_protocol_error("copy response has a negative column count");
  c.column_formats.resize(static_cast<std::size_t>(n));
  for (std::int16_t& f : c.column_formats) f = r.int16();
  r.expect_end();
  return c;
}

BackendKeyData parse_backend_key_data(std::string_view body) {
  ByteReader r(body, "BackendKeyData");
  BackendKeyData k;
  k.pid = r.int32();
  k.secret = r.int32();
  r.expect_end();
  return k;
}

void expect_empty_body(const Message& message) {
  if (!message.body.empty()) {
    throw_protocol_error(describe_type(message.type) + " message has a non-empty body");
  }
}

std::string describe_type(char type) {
  switch (type) {
    case msg::kAuthentication:
      return "Authentication";
    case msg::kBackendKeyData:
      return "BackendKeyData";
    case msg::kBindComplete:
      return "BindComplete";
    case msg::kCloseComplete:
      return "CloseComplete";
    case msg::kCommandComplete:
      return "CommandComplete";
    case msg::kCopyBothResponse:
      return "CopyBothResponse";
    case msg::kCopyData:
      return "CopyData";
    case msg::kCopyDone:
      return "CopyDone";
    case msg::kCopyInResponse:
      return "CopyInResponse";
    case msg::kCopyOutResponse:
      return "CopyOutResponse";
    case msg::kDataRow:
      return "DataRow";
    case msg::kEmptyQueryResponse:
      return "EmptyQueryResponse";
    case msg::kErrorResponse:
      return "ErrorResponse";
    case msg::kNegotiateProtocolVersion:
      return "NegotiateProtocolVersion";
    case msg::kNoData:
      return "NoData";
    case msg::kNoticeResponse:
      return "NoticeResponse";
    case msg::kNotificationResponse:
      return "NotificationResponse";
    case msg::kParameterDescription:
      return "ParameterDescription";
    case msg::kParameterStatus:
      return "ParameterStatus";
    case msg::kParseComplete:
      return "ParseComplete";
    case msg::kPortalSuspended:
      return "PortalSuspended";
    case msg::kReadyForQuery:
      return "ReadyForQuery";
    case msg::kRowDescription:
      return "RowDescription";
  }
  unsigned char u = static_cast<unsigned char>(type);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + type + "'";
  return "0x" + std::string(1, "0123456789abcdef"[u >> 4]) + "0123456789abcdef"[u & 15];
}

}  // namespace pglite::internal::protocol
