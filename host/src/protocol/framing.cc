#include "protocol/framing.h"

#include "pglite/error.h"
#include "protocol/backend_messages.h"
#include "protocol/sqlstate.h"

namespace pglite::internal::protocol {

std::optional<Message> MessageReader::next() {
  std::string_view rest = remaining();
  if (rest.size() < 5) return std::nullopt;
  ByteReader header(rest.substr(1, 4), "message header");
  std::uint32_t length = header.uint32();
  if (length < 4 || length > max_length_) {
    throw_protocol_error("invalid length " + std::to_string(length) + " for message type " +
                         describe_type(rest[0]));
  }
  if (rest.size() - 1 < length) return std::nullopt;
  Message m{rest[0], rest.substr(5, length - 4), rest.substr(0, 1 + length)};
  pos_ += 1 + length;
  return m;
}

void MessageReader::expect_end() const {
  std::string_view rest = remaining();
  if (!rest.empty()) {
    throw_protocol_error("backend output ends inside a " + describe_type(rest[0]) + " message (" +
                         std::to_string(rest.size()) + " bytes left)");
  }
}

std::vector<Message> split_messages(std::string_view data) {
  MessageReader reader(data);
  std::vector<Message> out;
  while (std::optional<Message> m = reader.next()) out.push_back(*m);
  reader.expect_end();
  return out;
}

void MessageWriter::finish() {
  std::size_t length = out_.size() - start_ - 1;  // includes the length field itself
  if (length > kMaxMessageLength) {
    out_.resize(start_);
    throw Error(sqlstate::kProgramLimitExceeded, "message exceeds the 2 GB protocol limit");
  }
  body_.patch_int32(start_ + 1, static_cast<std::int32_t>(length));
}

std::string message(char type, std::string_view body) {
  std::string out;
  out.reserve(5 + body.size());
  MessageWriter m(out, type);
  m.body().bytes(body);
  m.finish();
  return out;
}

}  // namespace pglite::internal::protocol
