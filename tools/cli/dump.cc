#include "dump.h"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "args.h"
#include "pglite/pglite.hpp"

namespace pglite::cli {
namespace {

int usage() {
  std::cerr << "usage: pglite dump [-d PATH] [-f FILE] [-F p|c|t] [pg_dump option]...\n"
               "  -d, --data-dir=PATH   the database to dump (default: a new temporary one)\n"
               "  -f, --file=FILE       write to FILE instead of standard output\n"
               "  -F, --format=p|c|t    plain SQL (default), custom or tar archive\n"
               "Other options go to pg_dump 18 (e.g. --schema-only, -t TABLE, --inserts);\n"
               "connection options (-h, -p, -U, ...) and -j are refused: the dump reads the\n"
               "embedded database in-process.\n";
  return 1;
}

bool parse_format(std::string value, DumpOptions::Format* out) {
  if (value == "p" || value == "plain") {
    *out = DumpOptions::Format::kPlain;
  } else if (value == "c" || value == "custom") {
    *out = DumpOptions::Format::kCustom;
  } else if (value == "t" || value == "tar") {
    *out = DumpOptions::Format::kTar;
  } else {
    return false;
  }
  return true;
}

}  // namespace

int run_dump(const std::vector<std::string>& args) {
  std::string data_dir, file;
  DumpOptions options;
  try {
    for (size_t i = 0; i < args.size(); i++) {
      const std::string& a = args[i];
      std::string v;
      if (a == "--help") return usage(), 0;
      if (take_option_value(args, i, 'd', "data-dir", &data_dir) ||
          take_option_value(args, i, 'f', "file", &file)) {
        continue;
      }
      if (take_option_value(args, i, 'F', "format", &v)) {
        if (!parse_format(v, &options.format)) return usage();
        continue;
      }
      options.extra_args.push_back(a);
    }
  } catch (const UsageError& e) {
    std::cerr << "pglite: " << e.what() << "\n";
    return usage();
  }
  try {
    Database db = data_dir.empty() ? Database::temporary() : Database::open(data_dir);
    if (file.empty()) {
      db.dump(options,
              [](std::string_view chunk) { std::cout.write(chunk.data(), std::streamsize(chunk.size())); });
      std::cout.flush();
      return std::cout ? 0 : 1;
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) {
      std::cerr << "pglite: error: could not open \"" << file << "\" for writing\n";
      return 1;
    }
    db.dump(options, [&](std::string_view chunk) { out.write(chunk.data(), std::streamsize(chunk.size())); });
    out.close();
    if (!out) {
      std::cerr << "pglite: error: could not write \"" << file << "\"\n";
      std::remove(file.c_str());
      return 1;
    }
    return 0;
  } catch (const Error& e) {
    std::cerr << "pglite: error: " << e.message() << "\n";
    if (!file.empty()) std::remove(file.c_str());
    return 1;
  }
}

}  // namespace pglite::cli
