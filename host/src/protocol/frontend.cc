#include "protocol/frontend.h"

#include <limits>

#include "pglite/error.h"
#include "protocol/byte_io.h"
#include "protocol/framing.h"
#include "protocol/sqlstate.h"

namespace pglite::internal::protocol {
namespace {

void check_no_nul(std::string_view s, const char* what) {
  if (s.find('\0') != std::string_view::npos) {
    throw Error(sqlstate::kCharacterNotInRepertoire, std::string(what) + " contains a NUL byte");
  }
}

void check_count(std::size_t n, const char* what) {
  if (n > std::numeric_limits<std::uint16_t>::max()) {
    throw Error(sqlstate::kProgramLimitExceeded, std::string("too many ") + what + " (at most 65535)");
  }
}

void encode_empty(std::string& out, char type) {
  MessageWriter m(out, type);
  m.finish();
}

}  // namespace

void encode_startup(std::string& out,
                    std::span<const std::pair<std::string_view, std::string_view>> parameters) {
  for (const auto& [name, value] : parameters) {
    check_no_nul(name, "startup parameter name");
    check_no_nul(value, "startup parameter value");
  }
  // Like a message without the type byte: the length word counts itself.
  std::size_t start = out.size();
  ByteWriter w(out);
  w.int32(0);
  w.uint32(kProtocolVersion3);
  for (const auto& [name, value] : parameters) {
    w.cstring(name);
    w.cstring(value);
  }
  w.byte('\0');
  w.patch_int32(start, static_cast<std::int32_t>(out.size() - start));
}

void encode_query(std::string& out, std::string_view sql) {
  check_no_nul(sql, "SQL text");
  MessageWriter m(out, 'Q');
  m.body().cstring(sql);
  m.finish();
}

void encode_parse(std::string& out, std::string_view statement, std::string_view sql,
                  std::span<const std::uint32_t> param_types) {
  check_no_nul(statement, "statement name");
  check_no_nul(sql, "SQL text");
  check_count(param_types.size(), "parameter types");
  MessageWriter m(out, 'P');
  m.body().cstring(statement);
  m.body().cstring(sql);
  m.body().int16(static_cast<std::int16_t>(param_types.size()));
  for (std::uint32_t oid : param_types) m.body().uint32(oid);
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
    if (p.data && p.data->size() > kMaxMessageLength - 4)
      throw Error(sqlstate::kProgramLimitExceeded, "parameter value too large");
  }

  MessageWriter m(out, 'B');
  ByteWriter& w = m.body();
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
  MessageWriter m(out, 'D');
  m.body().byte(static_cast<char>(target));
  m.body().cstring(name);
  m.finish();
}

void encode_execute(std::string& out, std::string_view portal, std::int32_t max_rows) {
  check_no_nul(portal, "portal name");
  MessageWriter m(out, 'E');
  m.body().cstring(portal);
  m.body().int32(max_rows);
  m.finish();
}

void encode_close(std::string& out, Target target, std::string_view name) {
  check_no_nul(name, "statement or portal name");
  MessageWriter m(out, 'C');
  m.body().byte(static_cast<char>(target));
  m.body().cstring(name);
  m.finish();
}

void encode_sync(std::string& out) { encode_empty(out, 'S'); }
void encode_flush(std::string& out) { encode_empty(out, 'H'); }
void encode_terminate(std::string& out) { encode_empty(out, 'X'); }
void encode_copy_done(std::string& out) { encode_empty(out, 'c'); }

void encode_copy_data(std::string& out, std::string_view data) {
  MessageWriter m(out, 'd');
  m.body().bytes(data);
  m.finish();
}

void encode_copy_fail(std::string& out, std::string_view reason) {
  check_no_nul(reason, "CopyFail reason");
  MessageWriter m(out, 'f');
  m.body().cstring(reason);
  m.finish();
}

}  // namespace pglite::internal::protocol
