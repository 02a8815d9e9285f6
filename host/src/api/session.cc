#include "api/session.h"

#include <exception>
#include <utility>

#include "backend/backend.h"
#include "protocol/frontend.h"
#include "protocol/response_collector.h"
#include "protocol/sqlstate.h"
#include "storage/data_dir.h"
#include "template/extension_templates.h"
#include "template/memory_template.h"
#include "template/started_templates.h"

namespace pglite::internal {
namespace {

constexpr std::size_t kCopyChunk = 1 << 20;  // CopyData message size used by copy_from
constexpr const char* kCopyFromStdinUnsupported =
    "COPY FROM STDIN needs its data passed to Database::copy_from()";

}  // namespace

Session::Session(std::unique_ptr<DataDir> data_dir, std::unique_ptr<Backend> backend)
    : data_dir_(std::move(data_dir)), backend_(std::move(backend)) {}

Session::~Session() { backend_.reset(); }

Reply Session::simple_query(std::string_view sql) {
  std::string request;
  protocol::encode_query(request, sql);
  // Postgres ignores CopyFail outside COPY; inside a COPY ... FROM STDIN it
  // ends the copy with an error right away instead of waiting for data.
  protocol::encode_copy_fail(request, kCopyFromStdinUnsupported);
  return round_trip(request, false);
}

Reply Session::extended_query(std::string_view sql, std::span<const Param> params) {
  std::vector<std::uint32_t> types;
  std::vector<protocol::BindValue> values;
  types.reserve(params.size());
  values.reserve(params.size());
  for (const Param& p : params) {
    types.push_back(p.type_oid());
    protocol::BindValue v;
    if (!p.is_null()) v.data = p.data();
    v.format = p.is_binary() ? protocol::Format::kBinary : protocol::Format::kText;
    values.push_back(v);
  }
  std::string request;
  protocol::encode_parse(request, "", sql, types);
  protocol::encode_bind(request, "", "", values);
  protocol::encode_describe(request, protocol::Target::kPortal, "");
  protocol::encode_execute(request, "", 0);
  protocol::encode_sync(request);
  return round_trip(request, true);
}

Reply Session::copy_from(std::string_view sql, std::string_view data) {
  std::string request;
  protocol::encode_query(request, sql);
  for (std::size_t at = 0; at < data.size(); at += kCopyChunk) {
    protocol::encode_copy_data(request, data.substr(at, kCopyChunk));
  }
  protocol::encode_copy_done(request);
  return round_trip(request, false);
}

Reply Session::round_trip(std::string_view request, bool extended) {
  check_usable();
  protocol::ResponseCollector collector;
  send(request, collector);
  bool sent_copy_fail = false;
  while (!collector.ready()) {
    if (collector.awaiting_copy_in() && !sent_copy_fail) {
      // COPY FROM STDIN without data: abort it so the session stays usable.
      std::string abort;
      protocol::encode_copy_fail(abort, kCopyFromStdinUnsupported);
      if (extended) protocol::encode_sync(abort);
      sent_copy_fail = true;
      send(abort, collector);
      continue;
    }
    if (collector.error()) {
      // A FATAL error ends the backend session without ReadyForQuery.
      mark_broken(collector.error()->message());
      throw *collector.error();
    }
    mark_broken("protocol violation: backend output ended without ReadyForQuery");
    throw Error(sqlstate::kProtocolViolation, broken_reason_);
  }
  tx_status_ = collector.transaction_status();
  Reply reply;
  reply.results = std::move(collector.results());
  reply.error = collector.error();
  reply.notices = std::move(collector.notices());
  reply.notifications = std::move(collector.notifications());
  return reply;
}

void Session::send(std::string_view bytes, protocol::ResponseCollector& collector) {
  // Exceptions must not unwind through the backend: park them until exchange() returns.
  std::exception_ptr parse_error;
  auto sink = [&](std::string_view chunk) {
    if (parse_error) return;
    try {
      collector.feed(chunk);
    } catch (...) {
      parse_error = std::current_exception();
    }
  };
  try {
    backend_->exchange(bytes, sink);
    if (!parse_error) collector.expect_message_boundary();
  } catch (const std::exception& e) {
    bool trapped = backend_->broken();
    mark_broken(e.what());
    if (trapped) throw_broken();
    throw;
  } catch (...) {
    mark_broken("backend failed with an unknown exception");
    throw;
  }
  if (parse_error) {
    try {
      std::rethrow_exception(parse_error);
    } catch (const std::exception& e) {
      mark_broken(e.what());
      throw;
    }
  }
}

void Session::forward(std::string_view bytes, const std::function<void(std::string_view)>& sink,
                      std::function<std::string()> more_input) {
  check_usable();
  backend_->set_input_provider(std::move(more_input));
  struct Reset {
    Backend* b;
    ~Reset() { b->set_input_provider(nullptr); }
  } reset{backend_.get()};
  try {
    backend_->exchange(bytes, sink);
  } catch (const std::exception& e) {
    bool trapped = backend_->broken();
    mark_broken(e.what());
    if (trapped) throw_broken();
    throw;
  }
}

void Session::cancel() {
  if (Backend* b = backend_.get()) b->cancel();
}

TempNamespace Session::temp_namespace() const {
  return backend_ && !broken() ? backend_->temp_namespace() : TempNamespace{};
}

void Session::set_temp_namespace(TempNamespace state) {
  if (backend_ && !broken()) backend_->set_temp_namespace(state);
}

SequenceState Session::sequence_state() const {
  return backend_ && !broken() ? backend_->sequence_state() : SequenceState{};
}

SessionTimeouts Session::session_timeouts() const {
  return backend_ && !broken() ? backend_->session_timeouts() : SessionTimeouts{};
}

void Session::set_sequence_state(SequenceState state) {
  if (backend_ && !broken()) backend_->set_sequence_state(state);
}

bool Session::set_client_default(const std::string& name, const std::string& value) {
  return backend_ && !broken() && tx_status_ == 'I' && backend_->set_client_default(name, value);
}

const std::string& Session::startup_messages() const { return backend_->startup_messages(); }

void Session::check_usable() {
  if (!backend_) throw Error(sqlstate::kConnectionDoesNotExist, "database is closed");
  if (!broken() && backend_->broken()) mark_broken("backend reported a failure");
  if (broken()) throw_broken();
}

void Session::throw_broken() const {
  throw Error(sqlstate::kInternalError, "database instance is broken: " + broken_reason_);
}

void Session::mark_broken(const std::string& reason) {
  if (broken_reason_.empty()) broken_reason_ = reason.empty() ? "unknown failure" : reason;
}

void Session::restart() {
  if (!backend_config_) throw Error(sqlstate::kInternalError, "this database cannot restart its backend");
  if (!backend_ && !broken()) throw Error(sqlstate::kConnectionDoesNotExist, "database is closed");
  backend_.reset();  // the old process goes first: its memory, its files
  tx_status_ = 'I';
  backend_ = Backend::start(*backend_config_);  // throws: stays broken, backend_ null
  broken_reason_.clear();
}

std::unique_ptr<Session> Session::clone() {
  check_usable();
  if (data_dir_) return nullptr;
  std::unique_ptr<Backend> backend = backend_->clone();
  if (!backend) return nullptr;
  auto copy = std::make_unique<Session>(nullptr, std::move(backend));
  copy->memory_data_dir_ = copy->backend_->config().memory_data_dir;
  copy->backend_config_ = copy->backend_->config();
  copy->tx_status_ = tx_status_;
  return copy;
}

void Session::close() { close(false); }

void Session::close_cleanly() { close(true); }

void Session::close(bool keep_memory_data) {
  // Locals die in reverse order: the backend before its data directory.
  std::unique_ptr<DataDir> dir = std::move(data_dir_);
  std::unique_ptr<Backend> backend = std::move(backend_);
  tx_status_ = 'I';
  // A temporary database (PGDATA in memory, no directory) is deleted right
  // after: its shutdown checkpoint would be wasted work.
  bool discard = !dir && !keep_memory_data;
  if (backend && !broken() && !backend->broken() && !discard) {
    backend->close();  // on throw, backend then dir are still released by their destructors
  }
}

std::unique_ptr<Session> start_session(std::unique_ptr<DataDir> data_dir, const Options& options,
                                       std::shared_ptr<const shim::MemoryImage> image) {
  // A template image already has its extensions; anything else may lack them.
  const bool from_template = data_dir == nullptr && image == nullptr;
  BackendConfig config;
  config.user = options.user;
  config.database = options.database;
  config.relaxed_durability = options.relaxed_durability;
  config.gucs = options.settings;
  config.host_directories = options.host_directories;
  config.memory_limit = options.memory_limit;
  if (from_template) {
    if (std::unique_ptr<Session> copy = clone_started_template(config, options.extensions)) return copy;
  }
  if (data_dir) {
    config.data_dir = data_dir->path();
  } else if (image) {
    config.memory_data_dir = new_memory_data_dir(std::move(image));
  } else {
    config.memory_data_dir = memory_data_dir_with(options.extensions);
  }

  std::unique_ptr<Backend> backend = Backend::start(config);
  auto session = std::make_unique<Session>(std::move(data_dir), std::move(backend));
  session->set_memory_data_dir(config.memory_data_dir);
  session->set_backend_config(std::move(config));
  if (!from_template) create_extensions(*session, options.extensions);
  return session;
}

}  // namespace pglite::internal
