// Protocol layer without a backend: frontend encoders and backend decoders
// against hand-written wire bytes (PostgreSQL protocol v3, "Message
// Formats"), malformed input, reply interpretation, Result and Param.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pglite/error.h"
#include "pglite/result.h"
#include "pglite/value.h"
#include "protocol/backend_messages.h"
#include "protocol/framing.h"
#include "protocol/frontend.h"
#include "protocol/response_collector.h"

namespace pglite::internal::protocol {
namespace {

// "51 0000000d" -> bytes; spaces are ignored.
std::string hex(std::string_view h) {
  std::string out;
  int pending = -1;
  for (char c : h) {
    if (c == ' ') continue;
    int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<char>(pending * 16 + v));
      pending = -1;
    }
  }
  return out;
}

std::string z(std::string_view s) { return std::string(s) + '\0'; }  // NUL-terminated String

// Asserts that `f` throws pglite::Error with `sqlstate`.
template <typename F>
void expect_error(const char* sqlstate, F&& f) {
  try {
    f();
    ADD_FAILURE() << "expected pglite::Error " << sqlstate;
  } catch (const Error& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate) << e.what();
  }
}

// ---- Backend message bytes used by several tests (from the spec) ----------

// RowDescription: 2 fields, "id" int4 (table 16384, attnum 1) and "name" text.
const std::string kRowDescription = hex("54 00000032 0002") + z("id") +
                                    hex("00004000 0001 00000017 0004 ffffffff 0000") + z("name") +
                                    hex("00000000 0000 00000019 ffff ffffffff 0000");
// DataRow (1, "one") and (2, NULL).
const std::string kRow1 = hex("44 00000012 0002 00000001") + "1" + hex("00000003") + "one";
const std::string kRow2 = hex("44 0000000f 0002 00000001") + "2" + hex("ffffffff");
const std::string kSelect2 = hex("43 0000000d") + z("SELECT 2");
const std::string kReadyIdle = hex("5a 00000005") + "I";
const std::string kErrorResponse = hex("45 0000005b") + "S" + z("ERROR") + "V" + z("ERROR") + "C" +
                                   z("42P01") + "M" + z("relation \"nope\" does not exist") + "P" + z("15") +
                                   "D" + z("the detail") + "H" + z("a hint") + "F" + z("parse.c") + hex("00");

// ---- Frontend encoders ------------------------------------------------------

TEST(Frontend, Query) {
  std::string out;
  encode_query(out, "SELECT 1");
  EXPECT_EQ(out, hex("51 0000000d") + z("SELECT 1"));
}

TEST(Frontend, EmptyMessages) {
  std::string out;
  encode_sync(out);
  encode_flush(out);
  encode_terminate(out);
  encode_copy_done(out);
  EXPECT_EQ(out, hex("53 00000004 48 00000004 58 00000004 63 00000004"));
}

TEST(Frontend, ParseWithTypes) {
  std::string out;
  const std::uint32_t types[] = {23, 0};
  encode_parse(out, "s1", "SELECT $1, $2", types);
  EXPECT_EQ(out, hex("50 0000001f") + z("s1") + z("SELECT $1, $2") + hex("0002 00000017 00000000"));
}

TEST(Frontend, BindTextAndNullOmitsFormatCodes) {
  std::string out;
  const BindValue params[] = {{"42", Format::kText}, {std::nullopt, Format::kText}};
  encode_bind(out, "", "", params);
  EXPECT_EQ(out, hex("42 00000016 00 00 0000 0002 00000002") + "42" + hex("ffffffff 0000"));
}

TEST(Frontend, BindBinaryListsEveryFormatCode) {
  std::string out;
  const BindValue params[] = {{"x", Format::kText}, {std::string_view("\x00\xff", 2), Format::kBinary}};
  const Format results[] = {Format::kText};
  encode_bind(out, "p", "s", params, results);
  EXPECT_EQ(out, hex("42 0000001f") + z("p") + z("s") + hex("0002 0000 0001 0002 00000001") + "x" +
                     hex("00000002 00ff 0001 0000"));
}

TEST(Frontend, DescribeExecuteClose) {
  std::string out;
  encode_describe(out, Target::kPortal, "");
  encode_execute(out, "", 0);
  encode_execute(out, "cur", 100);
  encode_close(out, Target::kStatement, "s1");
  EXPECT_EQ(out, hex("44 00000006 50 00") + hex("45 00000009 00 00000000") + hex("45 0000000c") + z("cur") +
                     hex("00000064") + hex("43 00000008 53") + z("s1"));
}

TEST(Frontend, Copy) {
  std::string out;
  encode_copy_data(out, "1\tx\n");
  encode_copy_fail(out, "no");
  EXPECT_EQ(out, hex("64 00000008") + "1\tx\n" + hex("66 00000007") + z("no"));
}

TEST(Frontend, StartupPacket) {
  std::string out;
  const std::pair<std::string_view, std::string_view> params[] = {{"user", "u"}, {"database", "d"}};
  encode_startup(out, params);
  EXPECT_EQ(out, hex("0000001b 00030000") + z("user") + z("u") + z("database") + z("d") + hex("00"));
  EXPECT_EQ(kProtocolVersion3, 196608u);
}

TEST(Frontend, NulInStringIsRejectedAndLeavesBufferUnchanged) {
  std::string out = "keep";
  expect_error("22021", [&] { encode_query(out, std::string_view("SELECT 1\0; DROP", 15)); });
  expect_error("22021", [&] { encode_parse(out, std::string_view("a\0b", 3), "SELECT 1", {}); });
  expect_error("22021", [&] { encode_describe(out, Target::kStatement, std::string_view("\0", 1)); });
  const std::pair<std::string_view, std::string_view> params[] = {{"user", std::string_view("a\0b", 3)}};
  expect_error("22021", [&] { encode_startup(out, params); });
  EXPECT_EQ(out, "keep");
}

TEST(Frontend, ExtendedBatchAppends) {
  std::string out;
  encode_parse(out, "", "SELECT 1", {});
  encode_bind(out, "", "", {});
  encode_describe(out, Target::kPortal, "");
  encode_execute(out, "");
  encode_sync(out);
  std::vector<char> types;
  MessageReader reader(out);
  while (auto m = reader.next()) types.push_back(m->type);
  reader.expect_end();
  EXPECT_EQ(std::string(types.begin(), types.end()), "PBDES");
}

// ---- Framing ----------------------------------------------------------------

TEST(Framing, MessageAddsTypeAndLength) {
  EXPECT_EQ(message('Q', z("SELECT 1")), hex("51 0000000d") + z("SELECT 1"));
  EXPECT_EQ(message('S', ""), hex("53 00000004"));
}

TEST(Framing, FrameIsTheWholeMessage) {
  const std::string data = kSelect2 + kReadyIdle;
  std::vector<Message> msgs = split_messages(data);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].frame, kSelect2);
  EXPECT_EQ(msgs[1].frame, kReadyIdle);
}

TEST(Framing, ReaderChecksLengthAgainstItsLimit) {
  const std::string q = message('Q', z("SELECT 1"));
  MessageReader whole(q, 1024);
  ASSERT_TRUE(whole.next().has_value());
  EXPECT_EQ(whole.consumed(), q.size());
  EXPECT_FALSE(MessageReader(q.substr(0, 7), 1024).next().has_value());  // incomplete
  EXPECT_FALSE(MessageReader("Q", 1024).next().has_value());
  expect_error("08P01", [&] { MessageReader(q, 8).next(); });  // length word 13 > 8
  expect_error("08P01", [] { MessageReader(hex("51 7fffffff"), 1u << 30).next(); });
}

TEST(Framing, SplitsConsecutiveMessages) {
  const std::string data = kRow1 + kSelect2 + kReadyIdle;  // messages are views into it
  std::vector<Message> msgs = split_messages(data);
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[0].type, 'D');
  EXPECT_EQ(msgs[1].type, 'C');
  EXPECT_EQ(msgs[1].body, z("SELECT 2"));
  EXPECT_EQ(msgs[2].body, "I");
}

TEST(Framing, IncompleteTailWaitsThenThrowsAtEnd) {
  std::string all = kSelect2 + kReadyIdle;
  for (std::size_t cut = 1; cut < kReadyIdle.size(); ++cut) {
    std::string data = all.substr(0, kSelect2.size() + cut);
    MessageReader reader(data);
    ASSERT_TRUE(reader.next().has_value());
    EXPECT_FALSE(reader.next().has_value());
    EXPECT_EQ(reader.remaining().size(), cut);
    expect_error("08P01", [&] { reader.expect_end(); });
    expect_error("08P01", [&] { split_messages(data); });
  }
}

TEST(Framing, LengthBelowFourIsGarbage) {
  expect_error("08P01", [] { split_messages(hex("5a 00000003 49")); });
  expect_error("08P01", [] { split_messages(hex("5a ffffffff 49")); });
}

// ---- Backend decoders -------------------------------------------------------

TEST(Decode, RowDescription) {
  std::vector<Column> cols = parse_row_description(split_messages(kRowDescription)[0].body);
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_EQ(cols[0].name, "id");
  EXPECT_EQ(cols[0].table_oid, 16384u);
  EXPECT_EQ(cols[0].column_number, 1);
  EXPECT_EQ(cols[0].type_oid, 23u);
  EXPECT_EQ(cols[0].type_size, 4);
  EXPECT_EQ(cols[0].type_modifier, -1);
  EXPECT_EQ(cols[1].name, "name");
  EXPECT_EQ(cols[1].type_oid, 25u);
  EXPECT_EQ(cols[1].type_size, -1);
}

TEST(Decode, DataRowWithNullAndEmpty) {
  std::vector<std::optional<std::string_view>> values;
  parse_data_row(split_messages(kRow2)[0].body, values);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0], "2");
  EXPECT_FALSE(values[1].has_value());
  parse_data_row(hex("0001 00000000"), values);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0], "");
  expect_error("08P01", [&] { parse_data_row(hex("0001 fffffffe"), values); });
}

TEST(Decode, ErrorResponseFields) {
  ErrorFields f = parse_error_fields(split_messages(kErrorResponse)[0].body);
  EXPECT_EQ(f.get('C'), "42P01");
  EXPECT_EQ(f.get('F'), "parse.c");
  EXPECT_EQ(f.get('W'), "");
  Error e = f.to_error();
  EXPECT_EQ(e.severity(), "ERROR");
  EXPECT_EQ(e.sqlstate(), "42P01");
  EXPECT_EQ(e.message(), "relation \"nope\" does not exist");
  EXPECT_STREQ(e.what(), "relation \"nope\" does not exist");
  EXPECT_EQ(e.detail(), "the detail");
  EXPECT_EQ(e.hint(), "a hint");
  EXPECT_EQ(e.position(), 15);
}

TEST(Decode, ErrorResponsePrefersNonLocalizedSeverity) {
  Error e = parse_error_fields("S" + z("FEHLER") + "V" + z("FATAL") + "M" + z("x") + hex("00")).to_error();
  EXPECT_EQ(e.severity(), "FATAL");
  EXPECT_EQ(e.sqlstate(), "XX000");  // no C field
  EXPECT_EQ(e.position(), 0);
}

TEST(Decode, NoticeResponse) {
  Notice n =
      parse_error_fields("S" + z("WARNING") + "C" + z("01000") + "M" + z("careful") + hex("00")).to_notice();
  EXPECT_EQ(n.severity, "WARNING");
  EXPECT_EQ(n.sqlstate, "01000");
  EXPECT_EQ(n.message, "careful");
}

TEST(Encode, ErrorAndNoticeResponseRoundTrip) {
  const std::string error = error_response("FATAL", "28P01", "nope");
  EXPECT_EQ(error, message('E', "S" + z("FATAL") + "V" + z("FATAL") + "C" + z("28P01") + "M" + z("nope") +
                                    hex("00")));
  Message m = split_messages(error)[0];
  EXPECT_EQ(m.type, msg::kErrorResponse);
  Error e = parse_error_fields(m.body).to_error();
  EXPECT_EQ(e.severity(), "FATAL");
  EXPECT_EQ(e.sqlstate(), "28P01");
  EXPECT_EQ(e.message(), "nope");
  const std::string notice = notice_response("WARNING", "01000", "careful");
  m = split_messages(notice)[0];
  EXPECT_EQ(m.type, msg::kNoticeResponse);
  EXPECT_EQ(parse_error_fields(m.body).to_notice().message, "careful");
}

TEST(Decode, ErrorFieldsNeedTerminator) {
  expect_error("08P01", [] { parse_error_fields("S" + z("ERROR")); });
  expect_error("08P01", [] { parse_error_fields("SERR"); });
  expect_error("08P01", [] { parse_error_fields(hex("00 00")); });
}

TEST(Decode, NotificationParameterStatusReadyForQuery) {
  Notification n = parse_notification(hex("00000457") + z("jobs") + z("payload"));
  EXPECT_EQ(n.pid, 1111);
  EXPECT_EQ(n.channel, "jobs");
  EXPECT_EQ(n.payload, "payload");
  const std::string status = z("TimeZone") + z("UTC");
  auto [name, value] = parse_parameter_status(status);
  EXPECT_EQ(name, "TimeZone");
  EXPECT_EQ(value, "UTC");
  EXPECT_EQ(parse_ready_for_query("I"), 'I');
  EXPECT_EQ(parse_ready_for_query("T"), 'T');
  EXPECT_EQ(parse_ready_for_query("E"), 'E');
  expect_error("08P01", [] { parse_ready_for_query("X"); });
  expect_error("08P01", [] { parse_ready_for_query("II"); });
}

TEST(Decode, ParameterDescriptionCopyResponsesKeyData) {
  EXPECT_EQ(parse_parameter_description(hex("0002 00000017 00000019")), (std::vector<std::uint32_t>{23, 25}));
  CopyResponse c = parse_copy_response(hex("00 0002 0000 0000"));
  EXPECT_EQ(c.format, 0);
  EXPECT_EQ(c.column_formats.size(), 2u);
  BackendKeyData k = parse_backend_key_data(hex("00000010 00000020"));
  EXPECT_EQ(k.pid, 16);
  EXPECT_EQ(k.secret, 32);
  expect_empty_body(split_messages(message('1', ""))[0]);
  expect_error("08P01", [] { expect_empty_body(split_messages(message('2', "x"))[0]); });
}

TEST(Decode, EveryTruncationOfEveryBodyThrows08P01) {
  const std::string bodies[] = {
      std::string(split_messages(kRowDescription)[0].body),
      std::string(split_messages(kRow1)[0].body),
      std::string(split_messages(kErrorResponse)[0].body),
      hex("00000457") + z("jobs") + z("payload"),
      z("TimeZone") + z("UTC"),
      z("SELECT 2"),
      hex("0002 00000017 00000019"),
      hex("00 0002 0000 0000"),
      hex("00000010 00000020"),
  };
  std::vector<std::optional<std::string_view>> values;
  for (const std::string& body : bodies) {
    for (std::size_t n = 0; n < body.size(); ++n) {
      std::string cut = body.substr(0, n);
      SCOPED_TRACE(::testing::Message() << "body " << ::testing::PrintToString(body) << " cut at " << n);
      switch (&body - bodies) {
        case 0:
          expect_error("08P01", [&] { parse_row_description(cut); });
          break;
        case 1:
          expect_error("08P01", [&] { parse_data_row(cut, values); });
          break;
        case 2:
          expect_error("08P01", [&] { parse_error_fields(cut); });
          break;
        case 3:
          expect_error("08P01", [&] { parse_notification(cut); });
          break;
        case 4:
          expect_error("08P01", [&] { parse_parameter_status(cut); });
          break;
        case 5:
          expect_error("08P01", [&] { parse_command_complete(cut); });
          break;
        case 6:
          expect_error("08P01", [&] { parse_parameter_description(cut); });
          break;
        case 7:
          expect_error("08P01", [&] { parse_copy_response(cut); });
          break;
        case 8:
          expect_error("08P01", [&] { parse_backend_key_data(cut); });
          break;
      }
    }
    // Trailing bytes are malformed too.
    if (&body - bodies != 2) {
      std::string longer = body + "x";
      switch (&body - bodies) {
        case 0:
          expect_error("08P01", [&] { parse_row_description(longer); });
          break;
        case 1:
          expect_error("08P01", [&] { parse_data_row(longer, values); });
          break;
        case 5:
          expect_error("08P01", [&] { parse_command_complete(longer); });
          break;
        case 8:
          expect_error("08P01", [&] { parse_backend_key_data(longer); });
          break;
        default:
          break;
      }
    }
  }
}

// ---- ResponseCollector ------------------------------------------------------

ResponseCollector collect(const std::string& bytes) {
  ResponseCollector c;
  c.feed(bytes);
  c.expect_message_boundary();
  return c;
}

TEST(Collector, SimpleSelect) {
  ResponseCollector c = collect(kRowDescription + kRow1 + kRow2 + kSelect2 + kReadyIdle);
  ASSERT_TRUE(c.ready());
  EXPECT_EQ(c.transaction_status(), 'I');
  EXPECT_FALSE(c.error().has_value());
  ASSERT_EQ(c.results().size(), 1u);
  const Result& r = c.results()[0];
  EXPECT_EQ(r.rows(), 2u);
  EXPECT_EQ(r.cols(), 2u);
  EXPECT_EQ(r.command_tag(), "SELECT 2");
  EXPECT_EQ(r.value(0, 1), "one");
  EXPECT_FALSE(r.value(1, 1).has_value());
}

TEST(Collector, EverySplitPointGivesTheSameResult) {
  const std::string all = kRowDescription + kRow1 + kRow2 + kSelect2 + kReadyIdle;
  for (std::size_t a = 0; a <= all.size(); ++a) {
    for (std::size_t b = a; b <= all.size(); b += 7) {
      ResponseCollector c;
      c.feed(all.substr(0, a));
      EXPECT_FALSE(c.ready() && a < all.size());
      c.feed(all.substr(a, b - a));
      c.feed(all.substr(b));
      c.expect_message_boundary();
      ASSERT_TRUE(c.ready());
      ASSERT_EQ(c.results().size(), 1u);
      EXPECT_EQ(c.results()[0].value(0, 1), "one");
      EXPECT_EQ(c.results()[0].command_tag(), "SELECT 2");
    }
  }
}

TEST(Collector, PartialReplyIsNotReadyAndNotAtBoundary) {
  ResponseCollector c;
  c.feed((kRowDescription + kRow1).substr(0, kRowDescription.size() + 3));
  EXPECT_FALSE(c.ready());
  expect_error("08P01", [&] { c.expect_message_boundary(); });
}

TEST(Collector, MultiStatementWithErrorKeepsEarlierResults) {
  std::string insert = hex("43 0000000f") + z("INSERT 0 1");
  std::string empty_query = hex("49 00000004");
  ResponseCollector c = collect(insert + empty_query + kErrorResponse + hex("5a 00000005") + "E");
  ASSERT_EQ(c.results().size(), 2u);
  EXPECT_EQ(c.results()[0].command_tag(), "INSERT 0 1");
  EXPECT_EQ(c.results()[0].affected_rows(), 1);
  EXPECT_EQ(c.results()[0].cols(), 0u);
  EXPECT_EQ(c.results()[1].command_tag(), "");
  ASSERT_TRUE(c.error().has_value());
  EXPECT_EQ(c.error()->sqlstate(), "42P01");
  EXPECT_EQ(c.transaction_status(), 'E');
}

TEST(Collector, ErrorDiscardsPartialRows) {
  ResponseCollector c = collect(kRowDescription + kRow1 + kErrorResponse + kReadyIdle);
  EXPECT_TRUE(c.results().empty());
  EXPECT_TRUE(c.error().has_value());
}

TEST(Collector, ExtendedQuery) {
  std::string reply =
      hex("31 00000004 32 00000004") + kRowDescription + kRow1 + kSelect2 + hex("5a 00000005") + "T";
  ResponseCollector c = collect(reply);
  ASSERT_EQ(c.results().size(), 1u);
  EXPECT_EQ(c.results()[0].rows(), 1u);
  EXPECT_EQ(c.transaction_status(), 'T');
  // NoData + CommandComplete for a statement without rows.
  ResponseCollector d =
      collect(hex("31 00000004 32 00000004 6e 00000004 43 0000000a") + z("BEGIN") + hex("5a 00000005") + "T");
  ASSERT_EQ(d.results().size(), 1u);
  EXPECT_EQ(d.results()[0].command_tag(), "BEGIN");
  // ParameterDescription (Describe statement) and PortalSuspended.
  ResponseCollector s =
      collect(hex("74 0000000a 0001 00000017") + kRowDescription + kRow1 + hex("73 00000004") + kReadyIdle);
  ASSERT_TRUE(s.parameter_types().has_value());
  EXPECT_EQ(*s.parameter_types(), std::vector<std::uint32_t>{23});
  ASSERT_EQ(s.results().size(), 1u);
  EXPECT_EQ(s.results()[0].rows(), 1u);
}

TEST(Collector, AsyncMessages) {
  std::string notice =
      hex("4e 0000001e") + "S" + z("NOTICE") + "C" + z("00000") + "M" + z("hello 42") + hex("00");
  std::string notify = hex("41 0000000f 00000457") + z("jobs") + z("x");
  std::string status = hex("53 00000017") + z("application_name") + z("a");
  ResponseCollector c = collect(notice + notify + status + kSelect2 + kReadyIdle);
  ASSERT_EQ(c.notices().size(), 1u);
  EXPECT_EQ(c.notices()[0].message, "hello 42");
  EXPECT_EQ(c.notices()[0].severity, "NOTICE");
  ASSERT_EQ(c.notifications().size(), 1u);
  EXPECT_EQ(c.notifications()[0].channel, "jobs");
  EXPECT_EQ(c.notifications()[0].pid, 1111);
  ASSERT_EQ(c.parameter_status().size(), 1u);
  EXPECT_EQ(c.parameter_status()[0].first, "application_name");
}

TEST(Collector, CopyOutAndCopyIn) {
  std::string reply = hex("48 0000000b 00 0002 0000 0000") + hex("64 00000008") + "1\tx\n" +
                      hex("64 00000008") + "2\ty\n" + hex("63 00000004 43 0000000b") + z("COPY 2") +
                      kReadyIdle;
  ResponseCollector c = collect(reply);
  ASSERT_EQ(c.results().size(), 1u);
  EXPECT_EQ(c.results()[0].copy_data(), "1\tx\n2\ty\n");
  EXPECT_EQ(c.results()[0].affected_rows(), 2);

  ResponseCollector in = collect(hex("47 00000007 00 0000"));
  EXPECT_TRUE(in.awaiting_copy_in());
  EXPECT_FALSE(in.ready());
  in.feed(kErrorResponse + kReadyIdle);
  EXPECT_FALSE(in.awaiting_copy_in());
  EXPECT_TRUE(in.ready());
}

TEST(Collector, UnexpectedSequencesAreProtocolViolations) {
  expect_error("08P01", [] { collect(kRow1); });  // DataRow first
  expect_error("08P01", [] { collect(kRowDescription + kRowDescription); });
  expect_error("08P01", [] { collect(kRowDescription + kReadyIdle); });  // unfinished result
  expect_error("08P01", [] { collect(hex("64 00000005 78")); });         // CopyData outside COPY
  expect_error("08P01", [] { collect(hex("52 00000008 00000000")); });   // Authentication
  expect_error("08P01", [] { collect(hex("01 00000004")); });            // unknown type
  // DataRow of the wrong width.
  expect_error("08P01", [] { collect(kRowDescription + hex("44 0000000b 0001 00000001") + "1"); });
}

TEST(Collector, RandomGarbageOnlyEverThrows08P01) {
  std::mt19937 rng(12345);
  const std::string valid = kRowDescription + kRow1 + kRow2 + kSelect2 + kErrorResponse + kReadyIdle;
  for (int round = 0; round < 3000; ++round) {
    std::string data = valid;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) data[rng() % data.size()] = static_cast<char>(rng() & 0xff);
    if (round % 3 == 0) data.resize(rng() % data.size());
    try {
      ResponseCollector c;
      c.feed(data.substr(0, data.size() / 2));
      c.feed(data.substr(data.size() / 2));
      c.expect_message_boundary();
    } catch (const Error& e) {
      ASSERT_EQ(e.sqlstate(), "08P01") << e.what();
    }
  }
}

// ---- Result -----------------------------------------------------------------

Result select_result() {
  ResponseCollector c = collect(kRowDescription + kRow1 + kRow2 + kSelect2 + kReadyIdle);
  return std::move(c.results()[0]);
}

TEST(ResultTest, ValueAccessAndConversions) {
  Result r = select_result();
  EXPECT_EQ(r.columns()[0].name, "id");
  EXPECT_EQ(r.get<std::int64_t>(0, 0), 1);
  EXPECT_EQ(r.get<int>(1, 0), 2);
  EXPECT_EQ(r.get<double>(1, 0), 2.0);
  EXPECT_EQ(r.get<std::string>(0, 1), "one");
  EXPECT_EQ(r.get<std::string>(0, "name"), "one");
  EXPECT_EQ(r.get<std::optional<std::string>>(1, 1), std::nullopt);
  EXPECT_TRUE(r.is_null(1, 1));
  EXPECT_FALSE(r.is_null(1, 0));
  EXPECT_EQ(r.find_column("name"), 1u);
  EXPECT_FALSE(r.find_column("nope").has_value());
  EXPECT_EQ(r.affected_rows(), 2);
  // Every value is NUL-terminated in place (the C API relies on it).
  EXPECT_EQ(r.value(0, 1)->data()[3], '\0');
}

TEST(ResultTest, Errors) {
  Result r = select_result();
  expect_error("22004", [&] { r.get<int>(1, 1); });
  expect_error("22P02", [&] { r.get<int>(0, 1); });
  expect_error("22023", [&] { r.value(2, 0); });
  expect_error("22023", [&] { r.value(0, 2); });
  expect_error("22023", [&] { r[5]; });
  expect_error("42703", [&] { r.get<int>(0, "missing"); });
}

TEST(ResultTest, IterationAndCopy) {
  Result r = select_result();
  std::vector<std::int64_t> ids;
  for (const Row& row : r) {
    ids.push_back(row.get<std::int64_t>(0));
    EXPECT_EQ(row.size(), 2u);
  }
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2}));
  Result copy = r;
  EXPECT_EQ(copy[0].value(1), "one");
  EXPECT_EQ(copy[1]["name"], std::nullopt);
  EXPECT_EQ(copy[1].get<std::optional<int>>("name"), std::nullopt);
  Result empty;
  EXPECT_EQ(empty.rows(), 0u);
  EXPECT_EQ(empty.begin(), empty.end());
  EXPECT_EQ(empty.affected_rows(), 0);
}

TEST(ResultTest, AffectedRowsFromTags) {
  auto tagged = [](const std::string& tag) {
    return collect(message('C', z(tag)) + kReadyIdle).results()[0].affected_rows();
  };
  EXPECT_EQ(tagged("INSERT 0 5"), 5);
  EXPECT_EQ(tagged("UPDATE 12"), 12);
  EXPECT_EQ(tagged("DELETE 0"), 0);
  EXPECT_EQ(tagged("MERGE 3"), 3);
  EXPECT_EQ(tagged("CREATE TABLE"), 0);
  EXPECT_EQ(tagged("BEGIN"), 0);
}

// ---- Param and text conversions ---------------------------------------------

TEST(ParamTest, TypesAndEncodings) {
  EXPECT_TRUE(Param().is_null());
  EXPECT_TRUE(Param(std::nullopt).is_null());
  EXPECT_TRUE(Param(nullptr).is_null());
  EXPECT_TRUE(Param(static_cast<const char*>(nullptr)).is_null());
  EXPECT_TRUE(Param(std::optional<int>()).is_null());
  EXPECT_EQ(Param(std::optional<int>(4)).data(), "4");
  EXPECT_EQ(Param(std::int16_t{-7}).type_oid(), type_oid::kInt2);
  EXPECT_EQ(Param(42).type_oid(), type_oid::kInt4);
  EXPECT_EQ(Param(std::int64_t{-9000000000}).data(), "-9000000000");
  EXPECT_EQ(Param(std::int64_t{1}).type_oid(), type_oid::kInt8);
  EXPECT_EQ(Param(std::uint32_t{4000000000u}).type_oid(), type_oid::kInt8);
  EXPECT_EQ(Param(std::uint64_t{18446744073709551615u}).data(), "18446744073709551615");
  EXPECT_EQ(Param(std::uint64_t{1}).type_oid(), type_oid::kNumeric);
  EXPECT_EQ(Param(true).data(), "true");
  EXPECT_EQ(Param(true).type_oid(), type_oid::kBool);
  EXPECT_EQ(Param(2.5).data(), "2.5");
  EXPECT_EQ(Param(2.5).type_oid(), type_oid::kFloat8);
  EXPECT_EQ(Param(0.1f).data(), "0.1");
  EXPECT_EQ(Param(0.1f).type_oid(), type_oid::kFloat4);
  EXPECT_EQ(Param(std::numeric_limits<double>::infinity()).data(), "Infinity");
  EXPECT_EQ(Param(-std::numeric_limits<double>::infinity()).data(), "-Infinity");
  EXPECT_EQ(Param(std::nan("")).data(), "NaN");
  EXPECT_EQ(Param("txt").type_oid(), type_oid::kUnspecified);
  EXPECT_EQ(Param(std::string("s")).data(), "s");
  EXPECT_EQ(Param(std::string_view("v")).data(), "v");
  Param b(Bytes{std::byte{0}, std::byte{0xff}});
  EXPECT_TRUE(b.is_binary());
  EXPECT_EQ(b.type_oid(), type_oid::kBytea);
  EXPECT_EQ(b.data(), std::string("\x00\xff", 2));
  Param t = Param::text("{1,2}", 1007);
  EXPECT_EQ(t.type_oid(), 1007u);
  EXPECT_FALSE(t.is_binary());
}

TEST(TextConversions, Parse) {
  EXPECT_TRUE(parse_bool("t"));
  EXPECT_TRUE(parse_bool("TRUE"));
  EXPECT_FALSE(parse_bool("f"));
  expect_error("22P02", [] { parse_bool("maybe"); });
  EXPECT_EQ(parse_int64("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  expect_error("22003", [] { parse_int64("9223372036854775808"); });
  expect_error("22P02", [] { parse_int64("12.5"); });
  expect_error("22P02", [] { parse_int64(""); });
  expect_error("22003", [] { from_text<std::int16_t>("40000"); });
  expect_error("22003", [] { from_text<unsigned>("-1"); });
  EXPECT_EQ(from_text<std::int16_t>("-32768"), -32768);
  EXPECT_EQ(parse_double("1.5e3"), 1500.0);
  EXPECT_TRUE(std::isinf(parse_double("-Infinity")));
  EXPECT_TRUE(std::isnan(parse_double("NaN")));
  expect_error("22P02", [] { parse_double("1.5x"); });
  EXPECT_EQ(parse_bytea("\\x00ff10"), (Bytes{std::byte{0}, std::byte{0xff}, std::byte{0x10}}));
  EXPECT_EQ(parse_bytea("a\\\\b\\001"),
            (Bytes{std::byte{'a'}, std::byte{'\\'}, std::byte{'b'}, std::byte{1}}));
  expect_error("22P02", [] { parse_bytea("\\x0"); });
  expect_error("22P02", [] { parse_bytea("\\xzz"); });
  EXPECT_EQ(from_text<std::string_view>("abc"), "abc");
}

}  // namespace
}  // namespace pglite::internal::protocol
