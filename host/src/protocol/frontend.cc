#include "protocol/frontend.h"

#include <limits>

#include "pglite/error.h"
#include "protocol/byte_io.h"

namespace pglite::internal::protocol {
namespace {

// Postgres refuses messages above 1 GB anyway; the Int32 length is the hard cap.
constexpr std::size_t kMaxLength = std::numeric_limits<std::int32_t>::max();

void check_no_nul(std::string_view s, const char* what) {
  if (s.find('\0') != std::string_view::npos) {
    throw Error("22021", std::string(what) + " contains a NUL byte");
  }
}

void check_count(std::size_t n, const char* what) {
  if (n > std::numeric_limits<std::uint16_t>::max()) {
    throw Error("54000", std::string("too many ") + what + " (at most 65535)");
  }
}

// Writes the type byte and a length placeholder; finish() patches the length.
class Message {
 public:
  Message(std::string& out, char type) : out_(out), start_(out.size()), w_(out) {
    w_.byte(type);
    w_.int32(0);
  }
  ByteWriter& w() { return w_; }
  void finish() {
    std::size_t length = out_.size() - start_ - 1;  // includes the length field itself
    if (length > kMaxLength) {
      out_.resize(start_);
      throw Error("54000", "frontend message exceeds the 2 GB protocol limit");
    }
    w_.patch_int32(start_ + 1, static_cast<std::int32_t>(length));
  }

 private:
  std::string& out_;
  std::size_t start_;
  ByteWriter w_;
};

void encode_empty(std::string& out, char type) {
  Message m(out, type);
  m.finish();
}

}  // namespace

void encode_query(std::string& out, std::string_view sql) {
  check_no_nul(sql, "SQL text");
  Message m(out, 'Q');
  m.w().cstring(sql);
  m.finish();
}

void encode_parse(std::string& out, std::string_view statement, std::string_view sql,
                  std::span<const std::uint32_t> param_types) {
  check_no_nul(statement, "statement name");
  check_no_nul(sql, "SQL text");
  check_count(param_types.size(), "parameter types");
  Message m(out, 'P');
  m.w().cstring(statement);
  m.w().cstring(sql);
  m.w().int16(static_cast<std::int16_t>(param_types.size()));
  for (std::uint32_t oid : param_types) m.w().uint32(oid);
  m.finish();
}

void encode_bind(std::string& out, std::string_view portal, std::string_view statement,
                 std::span<const BindValue> params, std::span<const Format> result_formats) {
  check_no_nul(portal, "portal name");
  check_no_nul(statement, "statement name");
  check_count(params.size(), "parameters");
  check_count(result_formats.size(), "result formats");
  bool any_binary = false;
  for (const BindValue& p : params) {
    any_binary |= p.format == Format::kBinary;
    if (p.data && p.data->size() > kMaxLength - 4) throw Error("54000", "parameter value too large");
  }

  Message m(out, 'B');
  ByteWriter& w = m.w();
  w.cstring(portal);
  w.cstring(statement);
  if (any_binary) {
    w.int16(static_cast<std::int16_t>(params.size()));
    for (const BindValue& p : params) w.int16(static_cast<std::int16_t>(p.format));
  } else {
    w.int16(0);
  }
  w.int16(static_cast<std::int16_t>(params.size()));
  for (const BindValue& p : params) {
    if (!p.data) {
      w.int32(-1);
      continue;
    }
    w.int32(static_cast<std::int32_t>(p.data->size()));
    w.bytes(*p.data);
  }
  w.int16(static_cast<std::int16_t>(result_formats.size()));
  for (Format f : result_formats) w.int16(static_cast<std::int16_t>(f));
  m.finish();
}

void encode_describe(std::string& out, Target target, std::string_view name) {
  check_no_nul(name, "statement or portal name");
  Message m(out, 'D');
  m.w().byte(static_cast<char>(target));
  m.w().cstring(name);
  m.finish();
}

void encode_execute(std::string& out, std::string_view portal, std::int32_t max_rows) {
  check_no_nul(portal, "portal name");
  Message m(out, 'E');
  m.w().cstring(portal);
  m.w().int32(max_rows);
  m.finish();
}

void encode_close(std::string& out, Target target, std::string_view name) {
  check_no_nul(name, "statement or portal name");
  Message m(out, 'C');
  m.w().byte(static_cast<char>(target));
  m.w().cstring(name);
  m.finish();
}

void encode_sync(std::string& out) { encode_empty(out, 'S'); }
void encode_flush(std::string& out) { encode_empty(out, 'H'); }
void encode_terminate(std::string& out) { encode_empty(out, 'X'); }
void encode_copy_done(std::string& out) { encode_empty(out, 'c'); }

void encode_copy_data(std::string& out, std::string_view data) {
  Message m(out, 'd');
  m.w().bytes(data);
  m.finish();
}

void encode_copy_fail(std::string& out, std::string_view reason) {
  check_no_nul(reason, "CopyFail reason");
  Message m(out, 'f');
  m.w().cstring(reason);
  m.finish();
}

}  // namespace pglite::internal::protocol
