#include "dump/pg_dump_runner.h"

#include <cstring>
#include <exception>
#include <memory>

#include "api/session.h"
#include "backend/postgres_process.h"
#include "fs/file_system.h"
#include "fs/guest_abi.h"
#include "fs/memory_dir.h"
#include "pg_dump_module.h"  // generated: exports of the pg_dump module
#include "pglite/error.h"
#include "protocol/backend_messages.h"
#include "protocol/byte_io.h"
#include "protocol/framing.h"
#include "protocol/frontend.h"
#include "protocol/sqlstate.h"

namespace pglite::internal {
namespace {

class PgDumpConnection {
 public:
  explicit PgDumpConnection(Session& session) : session_(session) {}

  // libpq's send(): takes everything, runs each complete batch at once.
  int32_t write(const uint8_t* data, size_t size) {
    if (!failure_.empty()) return -1;
    try {
      inbox_.append(reinterpret_cast<const char*>(data), size);
      process_inbox();
      return static_cast<int32_t>(size);
    } catch (const std::exception& e) {
      // Never unwind through guest frames: report and let libpq fail.
      failure_ = e.what();
      return -1;
    }
  }

  // libpq's recv(): what the backend answered so far (0 = nothing yet).
  int32_t read(uint8_t* data, size_t max) {
    size_t n = std::min(max, outbox_.size() - out_pos_);
    std::memcpy(data, outbox_.data() + out_pos_, n);
    out_pos_ += n;
    if (out_pos_ == outbox_.size()) {
      outbox_.clear();
      out_pos_ = 0;
    }
    return static_cast<int32_t>(n);
  }

  const std::string& failure() const { return failure_; }
  const std::string& last_sqlstate() const { return last_sqlstate_; }

 private:
  void process_inbox() {
    size_t pos = 0, batch_end = 0;
    while (!started_) {
      std::string_view rest = std::string_view(inbox_).substr(pos);
      if (rest.size() < 8) break;
      protocol::ByteReader packet(rest, "startup packet");
      uint32_t len = packet.uint32();
      if (len < 8 || len > 10000)
        throw Error(sqlstate::kProtocolViolation, "pg_dump sent an invalid startup packet");
      if (rest.size() < len) break;
      answer_startup(packet.uint32());
      pos += len;
      batch_end = pos;
    }
    if (started_) {
      protocol::MessageReader reader(std::string_view(inbox_).substr(pos), size_t{1} << 30);
      while (std::optional<protocol::Message> m = reader.next()) {
        size_t end = pos + reader.consumed();
        if (m->type == 'X') {  // Terminate: the session stays; only pg_dump is done
          forward(std::string_view(inbox_).substr(batch_end, end - m->frame.size() - batch_end));
          batch_end = end;
        } else if (protocol::ends_batch(m->type)) {
          forward(std::string_view(inbox_).substr(batch_end, end - batch_end));
          batch_end = end;
        }
      }
    }
    inbox_.erase(0, batch_end);
  }

  void answer_startup(uint32_t code) {
    if (code == protocol::kSslRequestCode || code == protocol::kGssEncRequestCode) {
      outbox_ += 'N';  // no encryption: nothing leaves the process
      return;
    }
    if (code >> 16 != 3)
      throw Error(sqlstate::kProtocolViolation, "pg_dump asked for an unsupported protocol version");
    started_ = true;
    // The session's own handshake: AuthenticationOk, ParameterStatus...,
    // BackendKeyData, ReadyForQuery.
    outbox_ += session_.startup_messages();
  }

  void forward(std::string_view batch) {
    if (batch.empty()) return;
    size_t start = outbox_.size();
    session_.forward(
        batch, [this](std::string_view chunk) { outbox_.append(chunk); }, nullptr);
    protocol::MessageReader reader(std::string_view(outbox_).substr(start));
    while (std::optional<protocol::Message> m = reader.next()) {
      if (m->type == protocol::msg::kErrorResponse) {
        last_sqlstate_ = std::string(protocol::parse_error_fields(m->body).get('C'));
      }
    }
  }

  Session& session_;
  std::string inbox_;
  std::string outbox_;
  size_t out_pos_ = 0;
  bool started_ = false;
  std::string failure_;
  std::string last_sqlstate_;
};

struct CallbackContext {
  shim::Process* process;
  PgDumpConnection* connection;
};

uint8_t* guest_bytes(CallbackContext* ctx, u32 ptr, u32 len) {
  shim::GuestMemory mem = ctx->process->memory();
  return mem.valid(ptr, len) ? mem.ptr(ptr) : nullptr;
}

u32 read_callback(void* self, u32 ptr, u32 len) {
  auto* ctx = static_cast<CallbackContext*>(self);
  uint8_t* p = guest_bytes(ctx, ptr, len);
  return p ? static_cast<u32>(ctx->connection->read(p, len)) : static_cast<u32>(-1);
}

u32 write_callback(void* self, u32 ptr, u32 len) {
  auto* ctx = static_cast<CallbackContext*>(self);
  uint8_t* p = guest_bytes(ctx, ptr, len);
  return p ? static_cast<u32>(ctx->connection->write(p, len)) : static_cast<u32>(-1);
}

// Hands the guest file at `path` to `out` in chunks.
void copy_out(shim::FileSystem& fs, const std::string& path,
              const std::function<void(std::string_view)>& out) {
  int fd = fs.open(shim::guest::kAtFdcwd, path, shim::guest::kO_RDONLY, 0);
  if (fd < 0) throw Error(sqlstate::kIoError, "pg_dump wrote no output file");
  std::string buf(size_t{1} << 20, '\0');
  int64_t n;
  while ((n = fs.read(fd, buf.data(), buf.size())) > 0) out(std::string_view(buf.data(), size_t(n)));
  fs.close(fd);
  if (n < 0) throw Error(sqlstate::kIoError, "cannot read pg_dump's output file");
}

}  // namespace

PgDumpOutcome run_pg_dump(Session& session, const std::vector<std::string>& args,
                          const std::string& output_file, const std::function<void(std::string_view)>& out) {
  PgDumpOutcome outcome;
  auto scratch = std::make_shared<shim::MemoryDir>();
  GuestLayout layout;
  layout.stdout_writer = out;
  layout.stderr_writer = [&](std::string_view s) { outcome.messages.append(s); };
  std::unique_ptr<shim::Process> proc = make_guest_process(GuestProgram::kPgDump, layout);
  proc->fs().mount_memory_dir("/tmp", scratch);
  auto* inst = static_cast<Z_pg_dump_instance_t*>(proc->main_instance());

  PgDumpConnection connection(session);
  CallbackContext ctx{proc.get(), &connection};
  uint32_t type = pgl_func_type_id("ii:i");
  uint32_t read_fn =
      proc->add_table_entry({type, reinterpret_cast<wasm_rt_function_ptr_t>(&read_callback), &ctx});
  uint32_t write_fn =
      proc->add_table_entry({type, reinterpret_cast<wasm_rt_function_ptr_t>(&write_callback), &ctx});
  proc->call([&] { Z_pg_dumpZ_pgl_set_rw_cbs(inst, read_fn, write_fn); });

  std::vector<std::string> argv{kGuestPgDump};
  argv.insert(argv.end(), args.begin(), args.end());
  shim::CallResult r = proc->run_main(argv);
  outcome.exit_code = r.kind == shim::CallResult::kTrapped ? 1 : r.exit_code;
  if (r.kind == shim::CallResult::kTrapped) outcome.failure = "pg_dump stopped: " + r.trap;
  if (!connection.failure().empty()) outcome.failure = connection.failure();
  outcome.backend_sqlstate = connection.last_sqlstate();
  if (outcome.exit_code == 0 && outcome.failure.empty() && !output_file.empty()) {
    copy_out(proc->fs(), output_file, out);
  }
  return outcome;
}

}  // namespace pglite::internal
