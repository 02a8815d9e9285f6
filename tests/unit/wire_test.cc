// Per-client renaming of statements and portals, startup parameters.
#include "server/wire.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "protocol/framing.h"
#include "protocol/frontend.h"

namespace protocol = pglite::internal::protocol;
namespace wire = pglite::internal::wire;
using namespace std::string_literals;

TEST(Wire, RenamesNamedObjectsOnly) {
  std::string parse = protocol::message('P', "stmt\0SELECT $1\0\0\0"s);
  EXPECT_EQ(wire::rename_objects(parse, "pgl7_"), protocol::message('P', "pgl7_stmt\0SELECT $1\0\0\0"s));
  std::string unnamed = protocol::message('P', "\0SELECT 1\0\0\0"s);
  EXPECT_EQ(wire::rename_objects(unnamed, "pgl7_"), unnamed);
  std::string bind = protocol::message('B', "portal\0stmt\0\0\0\0\0\0\0"s);
  EXPECT_EQ(wire::rename_objects(bind, "p_"), protocol::message('B', "p_portal\0p_stmt\0\0\0\0\0\0\0"s));
  std::string describe = protocol::message('D', "Sstmt\0"s);
  EXPECT_EQ(wire::rename_objects(describe, "p_"), protocol::message('D', "Sp_stmt\0"s));
  std::string close = protocol::message('C', "P\0"s);
  EXPECT_EQ(wire::rename_objects(close, "p_"), close);
  std::string execute = protocol::message('E', "portal\0\0\0\0\0"s);
  EXPECT_EQ(wire::rename_objects(execute, "p_"), protocol::message('E', "p_portal\0\0\0\0\0"s));
  std::string query = protocol::message('Q', "SELECT 1\0"s);
  EXPECT_EQ(wire::rename_objects(query, "p_"), query);
}

TEST(Wire, MalformedMessagesPassThroughUnchanged) {
  std::string no_terminator = protocol::message('P', "stmt"s);
  EXPECT_EQ(wire::rename_objects(no_terminator, "p_"), no_terminator);
  std::string bind_cut = protocol::message('B', "portal\0stmt"s);
  EXPECT_EQ(wire::rename_objects(bind_cut, "p_"), bind_cut);
  EXPECT_EQ(wire::rename_objects(protocol::message('D', ""), "p_"), protocol::message('D', ""));
}

TEST(Wire, StartupParameters) {
  std::string packet;
  const std::pair<std::string_view, std::string_view> sent[] = {
      {"user", "alice"}, {"database", "db"}, {"options", "-c x=1"}};
  protocol::encode_startup(packet, sent);
  auto params = wire::startup_parameters(std::string_view(packet).substr(4));  // after the length word
  ASSERT_EQ(params.size(), 3u);
  EXPECT_EQ(params[0], (std::pair<std::string, std::string>{"user", "alice"}));
  EXPECT_EQ(params[2].second, "-c x=1");
  EXPECT_TRUE(wire::startup_parameters("\0\0"s).empty());
}
