// Framing of protocol v3 messages in either direction: a type byte, an Int32
// length that counts itself and the body, then the body. The only code that
// reads or writes message boundaries; server, backend, dump and library use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/byte_io.h"

namespace pglite::internal::protocol {

/// The Int32 length word is the hard cap (Postgres refuses above 1 GB anyway).
inline constexpr std::size_t kMaxMessageLength = std::numeric_limits<std::int32_t>::max();

/// One framed message: its type byte and body (without the length word).
struct Message {
  char type = 0;
  std::string_view body;
  std::string_view frame;  ///< the whole message: type byte, length word and body
};

/// Splits a byte buffer into messages. next() returns nullopt when the
/// remaining bytes do not hold a complete message (see remaining()); a
/// length word below 4 or above `max_length` throws 08P01.
class MessageReader {
 public:
  explicit MessageReader(std::string_view data, std::size_t max_length = kMaxMessageLength)
      : data_(data), max_length_(max_length) {}
  std::optional<Message> next();
  std::string_view remaining() const { return data_.substr(pos_); }
  /// Bytes taken by the messages returned so far.
  std::size_t consumed() const { return pos_; }
  /// Throws 08P01 if bytes of an incomplete message are left.
  void expect_end() const;

 private:
  std::string_view data_;
  std::size_t max_length_;
  std::size_t pos_ = 0;
};

/// Splits a whole buffer, throwing 08P01 if it ends inside a message.
std::vector<Message> split_messages(std::string_view data);

/// Appends one message to `out`: the body is written through body(), then
/// finish() fills in the length (so the body is never copied).
class MessageWriter {
 public:
  MessageWriter(std::string& out, char type) : out_(out), start_(out.size()), body_(out) {
    body_.byte(type);
    body_.int32(0);
  }
  ByteWriter& body() { return body_; }
  /// Throws 54000 (and drops the message) above the protocol's 2 GB limit.
  void finish();

 private:
  std::string& out_;
  std::size_t start_;
  ByteWriter body_;
};

/// One message with the given type and body.
std::string message(char type, std::string_view body);

}  // namespace pglite::internal::protocol
