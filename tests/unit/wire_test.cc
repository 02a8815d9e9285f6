// Server framing and per-client renaming of statements and portals.
#include "server/wire.h"

#include <gtest/gtest.h>

#include <string>

namespace wire = pglite::internal::wire;
using namespace std::string_literals;

TEST(Wire, MessageSizeChecksLengthField) {
  std::string q = wire::message('Q', "SELECT 1\0"s);
  EXPECT_EQ(wire::message_size(q, 1024), q.size());
  EXPECT_EQ(wire::message_size(q.substr(0, 7), 1024), 0u);  // incomplete
  EXPECT_EQ(wire::message_size("Q", 1024), 0u);
  std::string too_short = "Q\0\0\0\3"s;
  EXPECT_FALSE(wire::message_size(too_short, 1024).has_value());
  std::string huge = "Q\x7f\xff\xff\xff"s;
  EXPECT_FALSE(wire::message_size(huge, 1u << 30).has_value());
}

TEST(Wire, RenamesNamedObjectsOnly) {
  std::string parse = wire::message('P', "stmt\0SELECT $1\0\0\0"s);
  EXPECT_EQ(wire::rename_objects(parse, "pgl7_"), wire::message('P', "pgl7_stmt\0SELECT $1\0\0\0"s));
  std::string unnamed = wire::message('P', "\0SELECT 1\0\0\0"s);
  EXPECT_EQ(wire::rename_objects(unnamed, "pgl7_"), unnamed);
  std::string bind = wire::message('B', "portal\0stmt\0\0\0\0\0\0\0"s);
  EXPECT_EQ(wire::rename_objects(bind, "p_"), wire::message('B', "p_portal\0p_stmt\0\0\0\0\0\0\0"s));
  std::string describe = wire::message('D', "Sstmt\0"s);
  EXPECT_EQ(wire::rename_objects(describe, "p_"), wire::message('D', "Sp_stmt\0"s));
  std::string close = wire::message('C', "P\0"s);
  EXPECT_EQ(wire::rename_objects(close, "p_"), close);
  std::string execute = wire::message('E', "portal\0\0\0\0\0"s);
  EXPECT_EQ(wire::rename_objects(execute, "p_"), wire::message('E', "p_portal\0\0\0\0\0"s));
  std::string query = wire::message('Q', "SELECT 1\0"s);
  EXPECT_EQ(wire::rename_objects(query, "p_"), query);
}

TEST(Wire, MalformedMessagesPassThroughUnchanged) {
  std::string no_terminator = wire::message('P', "stmt"s);
  EXPECT_EQ(wire::rename_objects(no_terminator, "p_"), no_terminator);
  std::string bind_cut = wire::message('B', "portal\0stmt"s);
  EXPECT_EQ(wire::rename_objects(bind_cut, "p_"), bind_cut);
  EXPECT_EQ(wire::rename_objects(wire::message('D', ""), "p_"), wire::message('D', ""));
}

TEST(Wire, StartupParameters) {
  std::string body;
  wire::put_u32(body, wire::kProtocol3);
  body += "user\0alice\0database\0db\0options\0-c x=1\0\0"s;
  auto params = wire::startup_parameters(body);
  ASSERT_EQ(params.size(), 3u);
  EXPECT_EQ(params[0], (std::pair<std::string, std::string>{"user", "alice"}));
  EXPECT_EQ(params[2].second, "-c x=1");
  EXPECT_TRUE(wire::startup_parameters("\0\0"s).empty());
}

TEST(Wire, ErrorResponseCarriesSqlstate) {
  std::string e = wire::error_response("FATAL", "28P01", "nope");
  EXPECT_EQ(e[0], 'E');
  EXPECT_NE(e.find("C28P01\0"s), std::string::npos);
  EXPECT_EQ(wire::message_size(e, 1024), e.size());
}
