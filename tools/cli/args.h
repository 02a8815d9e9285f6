// Command-line parsing for the pglite CLI.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pglite::cli {

/// A -c or -f argument, kept in command-line order.
struct Action {
  enum class Kind { kCommand, kFile };
  Kind kind;
  std::string text;  ///< SQL for kCommand, path ("-" = stdin) for kFile
};

struct Args {
  std::vector<Action> actions;
  std::string data_dir;                                        ///< -d PATH; empty = temporary database
  std::vector<std::pair<std::string, std::string>> variables;  ///< -v name=value
  bool help = false;
  bool version = false;
  /// First argument when it names a subcommand ("serve", "dump"), else empty.
  std::string subcommand;
  std::vector<std::string> subcommand_args;
};

/// Bad command line; what() is the message to print.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Args parse_args(int argc, char** argv);

/// Matches args[i] as "-x VALUE", "-xVALUE", "--long VALUE" or
/// "--long=VALUE": stores the value in *out (moving i past a separate value)
/// and returns true. Throws UsageError when the value is missing.
/// `short_name` 0: the option has no short form.
bool take_option_value(const std::vector<std::string>& args, std::size_t& i, char short_name,
                       std::string_view long_name, std::string* out);
std::string usage_text();

}  // namespace pglite::cli
