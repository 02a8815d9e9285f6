#include "serve.h"

#include <signal.h>

#include <functional>
#include <iostream>
#include <string_view>

#include "args.h"
#include "pglite/pglite.hpp"
#include "pglite/server.h"

namespace pglite::cli {
namespace {

int usage() {
  std::cerr << "usage: pglite serve [-d PATH] [--port N] [--unix DIR] [--host ADDR] [--password PW]\n"
               "                    [--tls-cert FILE --tls-key FILE] [--max-connections N]\n"
               "                    [--database NAME] [--host-dir DIR]... [--memory-limit MIB]\n"
               "                    [--setting NAME=VALUE]...\n";
  return 1;
}

// One option with a value (see take_option_value); 0 = no short form.
struct ValueOption {
  char short_name;
  std::string_view long_name;
  std::function<void(const std::string&)> apply;  // throws on a bad value
};

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  std::string data_dir;
  ServerOptions options;
  Options db_options;
  auto number = [](const std::string& v) {
    size_t used = 0;
    unsigned long n = 0;
    try {
      n = std::stoul(v, &used);
    } catch (const std::logic_error&) {  // not a number, or out of range
    }
    if (used == 0 || used != v.size()) throw UsageError("not a number: \"" + v + "\"");
    return n;
  };
  const ValueOption value_options[] = {
      {'d', "data-dir", [&](const std::string& v) { data_dir = v; }},
      {0, "port", [&](const std::string& v) { options.port = static_cast<int>(number(v)); }},
      {0, "unix", [&](const std::string& v) { options.unix_socket_dir = v; }},
      {0, "host", [&](const std::string& v) { options.host = v; }},
      {0, "tls-cert", [&](const std::string& v) { options.tls_cert_file = v; }},
      {0, "tls-key", [&](const std::string& v) { options.tls_key_file = v; }},
      {0, "password", [&](const std::string& v) { options.password = v; }},
      {0, "max-connections", [&](const std::string& v) { options.max_connections = number(v); }},
      {0, "database", [&](const std::string& v) { db_options.database = v; }},
      {0, "host-dir", [&](const std::string& v) { db_options.host_directories.push_back(v); }},
      {0, "memory-limit", [&](const std::string& v) { db_options.memory_limit = size_t(number(v)) << 20; }},
      {0, "setting",
       [&](const std::string& v) {
         // A server setting (every client's default), as postgres -c NAME=VALUE.
         size_t eq = v.find('=');
         if (eq == std::string::npos || eq == 0) throw UsageError("--setting needs NAME=VALUE");
         db_options.settings.emplace_back(v.substr(0, eq), v.substr(eq + 1));
       }},
  };
  try {
    for (size_t i = 0; i < args.size(); i++) {
      if (args[i] == "--help") return usage(), 0;
      bool taken = false;
      for (const ValueOption& option : value_options) {
        std::string v;
        if (take_option_value(args, i, option.short_name, option.long_name, &v)) {
          option.apply(v);
          taken = true;
          break;
        }
      }
      if (!taken) throw UsageError("unknown option " + args[i]);
    }
  } catch (const UsageError& e) {
    std::cerr << "pglite serve: " << e.what() << "\n";
    return usage();
  }
  // Block the stop signals before any thread starts, then wait for one.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    Database db = data_dir.empty() ? Database::temporary(db_options) : Database::open(data_dir, db_options);
    auto server = Server::start(std::move(db), options);
    std::cout << server->url() << std::endl;
    if (!server->unix_socket_path().empty())
      std::cerr << "listening on " << server->unix_socket_path() << "\n";
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server->stop();
    return 0;
  } catch (const Error& e) {
    std::cerr << "pglite serve: " << e.what() << " (SQLSTATE " << e.sqlstate() << ")\n";
    return 1;
  }
}

}  // namespace pglite::cli
