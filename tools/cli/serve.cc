#include "serve.h"

#include <signal.h>

#include <iostream>

#include "pglite/pglite.hpp"
#include "pglite/server.h"

namespace pglite::cli {
namespace {

int usage() {
  std::cerr << "usage: pglite serve [-d PATH] [--port N] [--unix DIR] [--host ADDR] [--password PW]\n"
               "                    [--tls-cert FILE --tls-key FILE] [--max-connections N]\n"
               "                    [--database NAME] [--host-dir DIR]... [--memory-limit MIB]\n"
               "                    [--setting NAME=VALUE]...\n";
  return 2;
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  std::string data_dir;
  ServerOptions options;
  Options db_options;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
    const std::string* v = nullptr;
    try {
      if ((a == "-d" || a == "--data-dir") && (v = value())) {
        data_dir = *v;
      } else if (a == "--port" && (v = value())) {
        options.port = std::stoi(*v);
      } else if (a == "--unix" && (v = value())) {
        options.unix_socket_dir = *v;
      } else if (a == "--host" && (v = value())) {
        options.host = *v;
      } else if (a == "--tls-cert" && (v = value())) {
        options.tls_cert_file = *v;
      } else if (a == "--tls-key" && (v = value())) {
        options.tls_key_file = *v;
      } else if (a == "--password" && (v = value())) {
        options.password = *v;
      } else if (a == "--max-connections" && (v = value())) {
        options.max_connections = std::stoul(*v);
      } else if (a == "--database" && (v = value())) {
        db_options.database = *v;
      } else if (a == "--host-dir" && (v = value())) {
        db_options.host_directories.push_back(*v);
      } else if (a == "--setting" && (v = value()) && v->find('=') != std::string::npos) {
        // A server setting (every client's default), as postgres -c NAME=VALUE.
        db_options.settings.emplace_back(v->substr(0, v->find('=')), v->substr(v->find('=') + 1));
      } else if (a == "--memory-limit" && (v = value())) {
        db_options.memory_limit = size_t(std::stoul(*v)) << 20;  // MiB
      } else {
        return usage();
      }
    } catch (const std::exception&) {
      return usage();
    }
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
