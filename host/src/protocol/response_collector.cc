#include "protocol/response_collector.h"

#include "protocol/byte_io.h"

namespace pglite::internal::protocol {

void ResponseCollector::feed(std::string_view bytes) {
  if (!pending_.empty()) {
    // Complete the pending message first, without copying the whole chunk.
    pending_.append(bytes);
    MessageReader reader(pending_);
    while (std::optional<Message> m = reader.next()) handle(*m);
    pending_ = std::string(reader.remaining());
    return;
  }
  MessageReader reader(bytes);
  while (std::optional<Message> m = reader.next()) handle(*m);
  pending_ = reader.remaining();
}

void ResponseCollector::expect_message_boundary() const { MessageReader(pending_).expect_end(); }

void ResponseCollector::handle(const Message& m) {
  switch (m.type) {
    case msg::kRowDescription:
      if (in_result_) throw_protocol_error("RowDescription inside an unfinished result");
      builder_.set_columns(parse_row_description(m.body));
      in_result_ = true;
      break;
    case msg::kDataRow:
      if (!in_result_ || copy_out_) throw_protocol_error("DataRow without RowDescription");
      parse_data_row(m.body, row_);
      builder_.add_row(row_);
      break;
    case msg::kCommandComplete:
      results_.push_back(builder_.finish(parse_command_complete(m.body)));
      in_result_ = copy_out_ = false;
      break;
    case msg::kEmptyQueryResponse:
      expect_empty_body(m);
      results_.push_back(builder_.finish(""));
      in_result_ = false;
      break;
    case msg::kPortalSuspended:
      // Only sent for Execute with a row limit; the rows so far form the result.
      expect_empty_body(m);
      results_.push_back(builder_.finish(""));
      in_result_ = false;
      break;
    case msg::kErrorResponse: {
      Error e = parse_error_fields(m.body).to_error();
      if (!error_) error_.emplace(std::move(e));
      builder_.finish("");  // discard a partial result
      in_result_ = copy_in_ = copy_out_ = false;
      break;
    }
    case msg::kNoticeResponse:
      notices_.push_back(parse_error_fields(m.body).to_notice());
      break;
    case msg::kNotificationResponse:
      notifications_.push_back(parse_notification(m.body));
      break;
    case msg::kParameterStatus: {
      auto [name, value] = parse_parameter_status(m.body);
      parameter_status_.emplace_back(name, value);
      break;
    }
    case msg::kReadyForQuery:
      tx_status_ = parse_ready_for_query(m.body);
      if (in_result_) throw_protocol_error("ReadyForQuery inside an unfinished result");
      ready_ = true;
      copy_in_ = false;
      break;
    case msg::kParseComplete:
    case msg::kBindComplete:
    case msg::kCloseComplete:
    case msg::kNoData:
      expect_empty_body(m);
      break;
    case msg::kParameterDescription:
      parameter_types_ = parse_parameter_description(m.body);
      break;
    case msg::kCopyInResponse:
      parse_copy_response(m.body);
      copy_in_ = true;
      break;
    case msg::kCopyOutResponse:
      if (in_result_) throw_protocol_error("CopyOutResponse inside an unfinished result");
      parse_copy_response(m.body);
      builder_.finish("");
      in_result_ = copy_out_ = true;
      break;
    case msg::kCopyData:
      if (!copy_out_) throw_protocol_error("CopyData outside COPY TO STDOUT");
      builder_.add_copy_data(m.body);
      break;
    case msg::kCopyDone:
      if (!copy_out_) throw_protocol_error("CopyDone outside COPY TO STDOUT");
      expect_empty_body(m);
      break;
    case msg::kBackendKeyData:
      parse_backend_key_data(m.body);
      break;
    case msg::kNegotiateProtocolVersion:
      break;
    default:
      throw_protocol_error("unexpected backend message " + describe_type(m.type));
  }
}

}  // namespace pglite::internal::protocol
