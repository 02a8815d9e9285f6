// Big-endian reading and writing of protocol primitives (Int16, Int32,
// NUL-terminated String). ByteReader throws pglite::Error 08P01 when the input
// ends early or a String has no terminator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pglite/error.h"
#include "protocol/sqlstate.h"

namespace pglite::internal::protocol {

[[noreturn]] inline void throw_protocol_error(const std::string& what) {
  throw Error(sqlstate::kProtocolViolation, "protocol violation: " + what);
}

/// Appends protocol primitives to a std::string buffer.
class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  void byte(char c) { out_.push_back(c); }
  void int16(std::int16_t v) { be(static_cast<std::uint16_t>(v), 2); }
  void int32(std::int32_t v) { be(static_cast<std::uint32_t>(v), 4); }
  void uint32(std::uint32_t v) { be(v, 4); }
  void bytes(std::string_view data) { out_.append(data); }
  /// Writes the string and its terminator; callers check for embedded NULs.
  void cstring(std::string_view s) {
    out_.append(s);
    out_.push_back('\0');
  }
  std::size_t size() const { return out_.size(); }
  /// Overwrites 4 bytes at `at` (used to patch a message length).
  void patch_int32(std::size_t at, std::int32_t v) {
    auto u = static_cast<std::uint32_t>(v);
    for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<char>((u >> (24 - 8 * i)) & 0xff);
  }

 private:
  void be(std::uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string& out_;
};

/// Consumes protocol primitives from the body of one message.
class ByteReader {
 public:
  ByteReader(std::string_view data, const char* what) : data_(data), what_(what) {}

  std::size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }

  char byte() {
    need(1);
    return data_[pos_++];
  }
  std::int16_t int16() { return static_cast<std::int16_t>(be(2)); }
  std::int32_t int32() { return static_cast<std::int32_t>(be(4)); }
  std::uint32_t uint32() { return be(4); }

  std::string_view bytes(std::size_t n) {
    need(n);
    std::string_view v = data_.substr(pos_, n);
    pos_ += n;
    return v;
  }

  std::string_view cstring() {
    std::size_t end = data_.find('\0', pos_);
    if (end == std::string_view::npos) {
      throw_protocol_error(std::string(what_) + " has an unterminated string");
    }
    std::string_view v = data_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return v;
  }

  /// Throws unless the whole body was consumed.
  void expect_end() const {
    if (!at_end()) throw_protocol_error(std::string(what_) + " has trailing bytes");
  }

 private:
  void need(std::size_t n) const {
    if (remaining() < n) throw_protocol_error(std::string(what_) + " is truncated");
  }
  std::uint32_t be(int n) {
    need(static_cast<std::size_t>(n));
    std::uint32_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(data_[pos_++]);
    return v;
  }

  std::string_view data_;
  std::size_t pos_ = 0;
  const char* what_;
};

}  // namespace pglite::internal::protocol
