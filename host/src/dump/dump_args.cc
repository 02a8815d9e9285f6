#include "dump/dump_args.h"

#include <algorithm>
#include <string_view>

#include "pglite/error.h"
#include "protocol/sqlstate.h"

namespace pglite::internal {
namespace {

struct Refused {
  char short_name;  // 0: none
  std::string_view long_name;
  std::string_view why;
};

constexpr std::string_view kConnection = "the dump always reads this database, in-process";
constexpr Refused kRefused[] = {
    {'h', "host", kConnection},
    {'p', "port", kConnection},
    {'d', "dbname", kConnection},
    {'U', "username", kConnection},
    {'w', "no-password", kConnection},
    {'W', "password", kConnection},
    {'j', "jobs", "parallel dumps need several connections; the embedded database has one"},
    {'f', "file", "the output is returned to the caller"},
    {'F', "format", "use DumpOptions::format"},
    {'V', "version", "it does not dump"},
    {'?', "help", "it does not dump"},
};

// pg_dump's short options that take a value (pg_dump.c getopt string).
constexpr std::string_view kShortWithValue = "dEfFhjnNpStTUZe";

[[noreturn]] void refuse(const std::string& arg, std::string_view why) {
  throw Error(sqlstate::kInvalidParameterValue,
              "pg_dump option \"" + arg + "\" is not supported: " + std::string(why));
}

}  // namespace

void check_extra_dump_arguments(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') refuse(arg, "a database name; " + std::string(kConnection));
    if (arg[1] == '-') {
      std::string_view name = std::string_view(arg).substr(2);
      name = name.substr(0, name.find('='));
      for (const Refused& r : kRefused) {
        // getopt_long accepts unambiguous prefixes (--ho for --host).
        if (name.size() >= 2 && r.long_name.starts_with(name)) refuse(arg, r.why);
      }
      continue;
    }
    // A cluster of short options ("-Ox", "-tfoo"): check each letter up to
    // one that takes a value.
    for (size_t k = 1; k < arg.size(); ++k) {
      char c = arg[k];
      for (const Refused& r : kRefused) {
        if (r.short_name == c) refuse(arg, r.why);
      }
      if (kShortWithValue.find(c) != std::string_view::npos) {
        if (k + 1 == arg.size()) ++i;  // the value is the next argument
        break;
      }
    }
  }
}

std::vector<std::string> pg_dump_arguments(const DumpOptions& options, const std::string& conninfo,
                                           const std::string& output_file) {
  check_extra_dump_arguments(options.extra_args);
  std::vector<std::string> argv;
  switch (options.format) {
    case DumpOptions::Format::kPlain:
      argv.emplace_back("--format=plain");
      break;
    case DumpOptions::Format::kCustom:
      argv.emplace_back("--format=custom");
      break;
    case DumpOptions::Format::kTar:
      argv.emplace_back("--format=tar");
      break;
  }
  if (options.schema_only) argv.emplace_back("--schema-only");
  if (options.data_only) argv.emplace_back("--data-only");
  for (const std::string& t : options.tables) argv.push_back("--table=" + t);
  for (const std::string& t : options.exclude_tables) argv.push_back("--exclude-table=" + t);
  for (const std::string& s : options.schemas) argv.push_back("--schema=" + s);
  for (const std::string& s : options.exclude_schemas) argv.push_back("--exclude-schema=" + s);
  if (options.quote_all_identifiers) argv.emplace_back("--quote-all-identifiers");
  if (options.no_owner) argv.emplace_back("--no-owner");
  if (options.no_privileges) argv.emplace_back("--no-privileges");
  if (options.inserts) argv.emplace_back("--inserts");
  if (options.clean) {
    argv.emplace_back("--clean");
    argv.emplace_back("--if-exists");
  }
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  // After the caller's options, so none of them can override these.
  argv.push_back("--dbname=" + conninfo);
  if (!output_file.empty()) argv.push_back("--file=" + output_file);
  return argv;
}

}  // namespace pglite::internal
