// Drives the translated Postgres the way PGlite does: single-user startup
// that returns (exit code 99) with the PGlite loop armed, then one
// PostgresMainLoopOnce() per buffered frontend message, I/O through two
// host callbacks registered in the guest's function table.
#include <unistd.h>

#include <cstring>
#include <deque>
#include <mutex>

#include "backend.h"
#include "fs/file_system.h"
#include "pglite/error.h"
#include "pglite_module.h"  // generated: exports of the Postgres module
#include "postgres_process.h"
#include "protocol/frontend.h"
#include "protocol/sqlstate.h"

extern "C" const uint32_t pgl_stack_base_ptr_offset;  // generated
extern "C" const uint32_t pgl_temp_namespace_offset;
extern "C" const uint32_t pgl_temp_toast_namespace_offset;
extern "C" const uint32_t pgl_exit_index_offset;
extern "C" const uint32_t pgl_exit_list_offset;
extern "C" const uint32_t pgl_sequence_table_offset;
extern "C" const uint32_t pgl_last_used_sequence_offset;

namespace pglite::internal {
namespace {

// PGlite's startup arguments (see PGlite's defaultStartParams) minus what
// would make the session differ from a native server's: -F (fsync stays on
// unless the user relaxes durability), -O (allow_system_table_mods) and
// search_path=public. Plus the memory settings PGlite uses, so single-user
// mode does not fall back to tiny buffers.
// clang-format off
const std::vector<std::string> kStartArgs = {
    "--single", "-j",
    "-c", "exit_on_error=false",
    "-c", "log_checkpoints=false",
    "-c", "max_worker_processes=0",
    "-c", "max_parallel_workers=0",
    "-c", "max_parallel_workers_per_gather=0",
    "-c", "shared_buffers=128MB",
    "-c", "wal_buffers=4MB",
    "-c", "min_wal_size=80MB",
};
// clang-format on
constexpr int kPgliteReady = 99;   // main() returns this when the loop is armed
constexpr int kMainLongJmp = 100;  // an ERROR escaped PostgresMainLoopOnce
constexpr uint32_t kBootstrapSuperuserId = 10;
constexpr uint32_t kPgcSuBackend = 3;   // GucContext PGC_SU_BACKEND
constexpr uint32_t kPgcBackend = 4;     // GucContext PGC_BACKEND
constexpr uint32_t kPgcSClient = 9;     // GucSource PGC_S_CLIENT
constexpr uint32_t kPgcSOverride = 10;  // GucSource PGC_S_OVERRIDE
constexpr uint32_t kGucActionSet = 0;
constexpr uint32_t kDebug5 = 10;  // elevel: a refused value is reported nowhere

std::string startup_packet(const std::string& user, const std::string& database) {
  const std::pair<std::string_view, std::string_view> parameters[] = {{"user", user}, {"database", database}};
  std::string packet;
  protocol::encode_startup(packet, parameters);
  return packet;
}

class PgliteBackend final : public Backend {
 public:
  explicit PgliteBackend(const BackendConfig& config) : config_(config) {}

  void start() {
    GuestLayout layout;
    layout.host_data_dir = config_.data_dir;
    layout.memory_data_dir = config_.memory_data_dir;
    layout.fsync = !config_.relaxed_durability;
    layout.host_directories = config_.host_directories;
    layout.memory_limit = config_.memory_limit;
    layout.stderr_writer = [this](std::string_view s) { on_stderr(s); };
    proc_ = make_guest_process(GuestProgram::kPostgres, layout);
    inst_ = static_cast<Z_pglite_instance_t*>(proc_->main_instance());

    std::vector<std::string> argv = {kGuestPostgres};
    argv.insert(argv.end(), kStartArgs.begin(), kStartArgs.end());
    if (config_.relaxed_durability) argv.push_back("-F");  // fsync=off
    for (const auto& [name, value] : config_.gucs) {
      argv.push_back("-c");
      argv.push_back(name + "=" + value);
    }
    argv.insert(argv.end(), {"-D", kGuestDataDir, config_.database});

    guest([&] { Z_pgliteZ_pgl_setPGliteActive(inst_, 1); });
    shim::CallResult r = proc_->run_main(argv);
    if (r.kind != shim::CallResult::kExited || r.exit_code != kPgliteReady) {
      throw Error(sqlstate::kSystemError, "embedded postgres failed to start" +
                                              (r.kind == shim::CallResult::kTrapped
                                                   ? ": " + r.trap
                                                   : " (exit code " + std::to_string(r.exit_code) + ")") +
                                              stderr_tail());
    }
    guest([&] { Z_pgliteZ_pgl_startPGlite(inst_); });
    arm_stack_depth_check();
    idle_in_transaction_timeout_addr_ = timeout_variable("idle_in_transaction_session_timeout");
    idle_session_timeout_addr_ = timeout_variable("idle_session_timeout");
    if (idle_in_transaction_timeout_addr_ == 0 || idle_session_timeout_addr_ == 0)
      throw Error(sqlstate::kSystemError,
                  "embedded postgres: the idle timeouts' settings do not have the expected shape");
    set_session_authorization();
    register_io();

    // Connection handshake: the startup packet goes through
    // ProcessStartupPacket, not the main loop.
    input_ = startup_packet(config_.user, config_.database);
    input_pos_ = 0;
    output_.clear();
    uint32_t status = 0;
    guest([&] {
      uint32_t port = Z_pgliteZ_pgl_getMyProcPort(inst_);
      status = Z_pgliteZ_ProcessStartupPacket(inst_, port, 1, 1);
      if (status == 0) {
        Z_pgliteZ_pgl_sendConnData(inst_);
        Z_pgliteZ_pgl_pq_flush(inst_);
      }
    });
    if (status != 0) throw Error(sqlstate::kProtocolViolation, "startup packet rejected" + stderr_tail());
    handshake_ = std::move(output_);
  }

  ~PgliteBackend() override {
    try {
      close();
    } catch (...) {
    }
    proc_.reset();
  }

  void exchange(std::string_view bytes, const std::function<void(std::string_view)>& sink) override {
    if (closed_)
      throw Error(sqlstate::kConnectionDoesNotExist, "connection to the embedded database is closed");
    check_broken();
    input_.assign(bytes.data(), bytes.size());
    input_pos_ = 0;
    output_.clear();
    sink_ = &sink;
    struct Reset {
      PgliteBackend* b;
      ~Reset() { b->sink_ = nullptr; }
    } reset{this};

    while (!proc_->broken()) {
      uint32_t remaining = 0;
      guest([&] { remaining = Z_pgliteZ_pq_buffer_remaining_data(inst_); });
      if (input_pos_ >= input_.size() && remaining == 0) break;
      if (!main_loop_step([&] { Z_pgliteZ_PostgresMainLoopOnce(inst_); })) break;
    }
    if (!proc_->broken() && !closed_) {
      // Sending ReadyForQuery can raise too (a ParameterStatus the client
      // encoding cannot hold); after recovery it is sent again.
      for (int attempt = 0; attempt < kMaxRecoveries && !proc_->broken() && !closed_; attempt++) {
        bool raised = false;
        if (!main_loop_step([&] { Z_pgliteZ_PostgresSendReadyForQueryIfNecessary(inst_); }, &raised)) break;
        if (!raised) break;
      }
      guest([&] { Z_pgliteZ_pgl_pq_flush(inst_); });
      drop_repeated_exit_callback();
    }
    flush_output();
    check_broken();
  }

  // Runs one step of the main loop. An ERROR leaves it through exit(100);
  // then Postgres' error recovery (the sigsetjmp block of PostgresMain)
  // runs, and runs again if it raises an ERROR itself (reporting an error
  // whose text the client encoding cannot hold), as PostgresMain's loop
  // would. Returns false when the session ended or the instance broke.
  template <typename Fn>
  bool main_loop_step(Fn&& step, bool* raised = nullptr) {
    shim::CallResult r = proc_->call(step);
    for (int attempt = 0; r.kind == shim::CallResult::kExited && r.exit_code == kMainLongJmp; attempt++) {
      if (raised) *raised = true;
      if (attempt == kMaxRecoveries) {
        closed_ = true;
        throw Error(sqlstate::kInternalError,
                    "embedded postgres could not recover from an error" + stderr_tail());
      }
      r = proc_->call([&] { Z_pgliteZ_PostgresMainLongJmp(inst_); });
    }
    if (r.kind == shim::CallResult::kExited) {
      closed_ = true;  // the backend ended the session (e.g. FATAL)
      return false;
    }
    return r.kind != shim::CallResult::kTrapped;
  }

  bool broken() const override { return proc_ && proc_->broken(); }

  void close() override {
    if (closed_ || !proc_ || proc_->broken()) {
      closed_ = true;
      return;
    }
    closed_ = true;
    // Runs Postgres' exit hooks: shutdown checkpoint, file cleanup.
    proc_->call([&] {
      Z_pgliteZ_pgl_setPGliteActive(inst_, 0);
      Z_pgliteZ_pgl_run_atexit_funcs(inst_);
    });
  }

  const std::string& startup_messages() const override { return handshake_; }
  const BackendConfig& config() const override { return config_; }

  std::unique_ptr<Backend> clone() override {
    if (closed_ || !proc_ || proc_->broken() || !config_.memory_data_dir) return nullptr;
    shim::FsClone files;
    std::unique_ptr<shim::FileSystem> fs = proc_->fs().clone(&files);
    if (!fs) return nullptr;
    auto copy = std::make_unique<PgliteBackend>(config_);
    copy->config_.memory_data_dir = files.dirs.at(config_.memory_data_dir.get());
    fs->set_stdio(nullptr, nullptr, [b = copy.get()](std::string_view s) { b->on_stderr(s); });
    try {
      copy->proc_ = proc_->clone(std::move(fs), [&](void* context) -> void* {
        return context == this ? copy.get() : nullptr;  // read_cb, write_cb
      });
    } catch (const std::exception& e) {
      throw Error(sqlstate::kSystemError, std::string("cannot clone the embedded postgres: ") + e.what());
    }
    if (!copy->proc_) return nullptr;
    flag_interrupts_on_alarm(*copy->proc_);
    copy->inst_ = static_cast<Z_pglite_instance_t*>(copy->proc_->main_instance());
    copy->handshake_ = handshake_;
    copy->stderr_tail_ = stderr_tail_;
    copy->exit_callbacks_seen_ = exit_callbacks_seen_;
    copy->idle_in_transaction_timeout_addr_ = idle_in_transaction_timeout_addr_;
    copy->idle_session_timeout_addr_ = idle_session_timeout_addr_;
    copy->reseed_random();
    return copy;
  }

 private:
  template <typename Fn>
  void guest(Fn&& fn) {
    shim::CallResult r = proc_->call(fn);
    if (r.kind == shim::CallResult::kTrapped) check_broken();
  }

  void check_broken() {
    if (proc_ && proc_->broken()) throw Error(sqlstate::kInternalError, "wasm trap: " + proc_->trap_reason());
  }

  // Host side of the guest's read/write callbacks (pgl_set_rw_cbs).
  void set_input_provider(std::function<std::string()> provider) override { provider_ = std::move(provider); }

  // What Postgres' SIGINT handler does (see flag_interrupt).
  void cancel() override {
    if (inst_ && proc_) flag_interrupt(*proc_, Interrupt::kCancel);
  }

  static u32 read_cb(void* self, u32 ptr, u32 max) {
    auto* b = static_cast<PgliteBackend*>(self);
    if (b->input_pos_ >= b->input_.size() && b->provider_) {
      b->flush_output();  // the client must see CopyInResponse before it sends data
      b->input_ = b->provider_();
      b->input_pos_ = 0;
    }
    size_t n = std::min<size_t>(max, b->input_.size() - b->input_pos_);
    shim::GuestMemory mem = b->proc_->memory();
    if (!mem.valid(ptr, n)) return 0;
    std::memcpy(mem.ptr(ptr), b->input_.data() + b->input_pos_, n);
    b->input_pos_ += n;
    return static_cast<u32>(n);
  }

  static u32 write_cb(void* self, u32 ptr, u32 len) {
    auto* b = static_cast<PgliteBackend*>(self);
    shim::GuestMemory mem = b->proc_->memory();
    if (!mem.valid(ptr, len)) return 0;
    b->output_.append(reinterpret_cast<const char*>(mem.ptr(ptr)), len);
    if (b->output_.size() >= (1u << 20)) b->flush_output();
    return len;
  }

  void flush_output() {
    if (sink_ && !output_.empty()) {
      (*sink_)(output_);
      output_.clear();
    }
  }

  void register_io() {
    uint32_t type = pgl_func_type_id("ii:i");
    uint32_t r = proc_->add_table_entry({type, reinterpret_cast<wasm_rt_function_ptr_t>(&read_cb), this});
    uint32_t w = proc_->add_table_entry({type, reinterpret_cast<wasm_rt_function_ptr_t>(&write_cb), this});
    guest([&] { Z_pgliteZ_pgl_set_rw_cbs(inst_, r, w); });
  }

  // What InitProcessGlobals() does for each new native backend: a fresh
  // seed for pg_global_prng_state (a pg_prng_state: two uint64, not both 0),
  // so copies of one backend do not draw the same numbers.
  void reseed_random() {
    uint64_t seed[2] = {0, 0};
    while (seed[0] == 0 && seed[1] == 0) {
      if (getentropy(seed, sizeof seed) != 0)
        throw Error(sqlstate::kSystemError, "no entropy for a random seed");
    }
    shim::GuestMemory mem = proc_->memory();
    uint32_t addr = *Z_pgliteZ_pg_global_prng_state(inst_) + proc_->memory_base();
    if (!mem.valid(addr, sizeof seed))
      throw Error(sqlstate::kSystemError, "pg_global_prng_state is out of range");
    std::memcpy(mem.ptr(addr), seed, sizeof seed);
  }

  // main() has returned, and PGlite's loop mode leaves stack_base_ptr NULL,
  // which turns check_stack_depth() off: runaway recursion would run the
  // 8 MB guest stack into the heap. Every guest call starts at the same
  // stack pointer, so that is the base to measure max_stack_depth from.
  void arm_stack_depth_check() {
    shim::GuestMemory mem = proc_->memory();
    uint32_t addr = proc_->memory_base() + pgl_stack_base_ptr_offset;
    if (mem.valid(addr, 4)) mem.store_u32(addr, proc_->stack_pointer());
  }

  // Sets a setting as Postgres' own startup code does: set_config_option()
  // in a transaction of its own, a refused value reported nowhere. `value`
  // runs inside the transaction and returns a guest string. True if the
  // value or the reset value was taken (-1: a SET of this session outranks
  // it, its reset value changed).
  bool set_option(const std::string& name, const std::function<uint32_t()>& value, uint32_t context,
                  uint32_t source) {
    if (closed_ || !proc_ || proc_->broken()) return false;
    uint32_t n = proc_->guest_strdup(name);
    uint32_t accepted = 0;
    shim::CallResult r = proc_->call([&] {
      Z_pgliteZ_StartTransactionCommand(inst_);
      accepted =
          Z_pgliteZ_set_config_option(inst_, n, value(), context, source, kGucActionSet, 1, kDebug5, 0);
      Z_pgliteZ_CommitTransactionCommand(inst_);
    });
    proc_->guest_free(n);
    if (r.kind == shim::CallResult::kExited && r.exit_code == kMainLongJmp) {
      main_loop_step([&] { Z_pgliteZ_PostgresMainLongJmp(inst_); });  // aborts the transaction
      output_.clear();  // its ErrorResponse belongs to no client exchange
      return false;
    }
    check_broken();
    return r.kind == shim::CallResult::kReturned && accepted != 0;
  }

  // What a normal backend's InitializeSessionUserId() does and the
  // single-user path skips (see InitializeSessionUserIdStandalone's XXX):
  // give session_authorization the bootstrap superuser as its reset value,
  // so RESET SESSION AUTHORIZATION, SET SESSION AUTHORIZATION DEFAULT and
  // DISCARD ALL return to it.
  void set_session_authorization() {
    auto superuser = [&] { return Z_pgliteZ_GetUserNameFromId(inst_, kBootstrapSuperuserId, 0); };
    if (!set_option("session_authorization", superuser, kPgcBackend, kPgcSOverride))
      throw Error(sqlstate::kSystemError, "embedded postgres failed to set its session user" + stderr_tail());
  }

  // What process_startup_options() does for a superuser's startup packet.
  bool set_client_default(const std::string& name, const std::string& value) override {
    if (closed_ || !proc_ || proc_->broken()) return false;
    uint32_t v = proc_->guest_strdup(value);
    bool taken = set_option(
        name, [v] { return v; }, kPgcSuBackend, kPgcSClient);
    proc_->guest_free(v);
    return taken;
  }

  // Each client of the server that creates its first temporary table makes
  // AtEOXact_Namespace register RemoveTempRelationsCallback again (the
  // server hands every client a temporary schema of its own), and Postgres
  // has 20 before_shmem_exit slots. One registration is enough: the
  // callback empties whichever temporary schema is current at exit, and the
  // server drops the others. So a new entry that repeats an earlier one
  // (same function and argument) is dropped between exchanges.
  void drop_repeated_exit_callback() {
    shim::GuestMemory mem = proc_->memory();
    uint32_t base = proc_->memory_base();
    uint32_t index_addr = base + pgl_exit_index_offset;
    uint32_t n = mem.load_u32(index_addr);
    if (n == exit_callbacks_seen_) return;
    if (n > exit_callbacks_seen_ && n <= kMaxOnExits) {
      uint32_t list = base + pgl_exit_list_offset;
      auto entry = [&](uint32_t i) { return mem.load_u64(list + 8 * i); };  // {function, arg}
      auto repeats_earlier = [&](uint32_t last) {
        for (uint32_t i = 0; i < last; i++)
          if (entry(i) == entry(last)) return true;
        return false;
      };
      while (n > exit_callbacks_seen_ && n >= 2 && repeats_earlier(n - 1)) n--;
      mem.store_u32(index_addr, n);
    }
    exit_callbacks_seen_ = n;
  }

  // An unexported Postgres static at `offset` from the main module's memory
  // base (offsets read from the pinned wasm at build time).
  uint32_t load_static(uint32_t offset) const {
    return proc_->memory().load_u32(proc_->memory_base() + offset);
  }
  void store_static(uint32_t offset, uint32_t value) {
    proc_->memory().store_u32(proc_->memory_base() + offset, value);
  }

  TempNamespace temp_namespace() const override {
    return {load_static(pgl_temp_namespace_offset), load_static(pgl_temp_toast_namespace_offset)};
  }

  void set_temp_namespace(TempNamespace state) override {
    store_static(pgl_temp_namespace_offset, state.schema);
    store_static(pgl_temp_toast_namespace_offset, state.toast_schema);
  }

  SequenceState sequence_state() const override {
    return {load_static(pgl_sequence_table_offset), load_static(pgl_last_used_sequence_offset)};
  }

  SessionTimeouts session_timeouts() const override {
    shim::GuestMemory mem = proc_->memory();
    auto value = [&](uint32_t addr) { return addr != 0 ? static_cast<int>(mem.load_u32(addr)) : 0; };
    return {value(idle_in_transaction_timeout_addr_), value(idle_session_timeout_addr_)};
  }

  // Address of an int GUC's variable: find_option() gives its config_int,
  // whose `variable` pointer follows the config_generic header and is itself
  // followed by boot_val, min and max (checked: 0, 0, INT_MAX, as for the
  // timeouts it is used for). 0 if the shape differs.
  uint32_t timeout_variable(const char* name) {
    uint32_t n = proc_->guest_strdup(name);
    uint32_t record = 0;
    shim::CallResult r = proc_->call([&] { record = Z_pgliteZ_find_option(inst_, n, 0, 1, kDebug5); });
    proc_->guest_free(n);
    if (r.kind != shim::CallResult::kReturned || record == 0) return 0;
    shim::GuestMemory mem = proc_->memory();
    for (uint32_t offset = 32; offset <= 160; offset += 4) {
      uint32_t at = record + offset;
      if (!mem.valid(at, 16)) return 0;
      uint32_t variable = mem.load_u32(at);
      if (variable != 0 && mem.valid(variable, 4) && mem.load_u32(at + 4) == 0 && mem.load_u32(at + 8) == 0 &&
          mem.load_u32(at + 12) == static_cast<uint32_t>(INT32_MAX)) {
        return variable;
      }
    }
    return 0;
  }

  void set_sequence_state(SequenceState state) override {
    store_static(pgl_sequence_table_offset, state.table);
    store_static(pgl_last_used_sequence_offset, state.last_used);
  }

  void on_stderr(std::string_view s) {
    if (config_.log) config_.log(s);
    stderr_tail_.append(s);
    if (stderr_tail_.size() > 4096) stderr_tail_.erase(0, stderr_tail_.size() - 4096);
  }

  std::string stderr_tail() const { return stderr_tail_.empty() ? "" : "\n" + stderr_tail_; }

  BackendConfig config_;
  std::unique_ptr<shim::Process> proc_;
  Z_pglite_instance_t* inst_ = nullptr;
  std::string input_;
  size_t input_pos_ = 0;
  std::string output_;
  std::string handshake_;
  std::string stderr_tail_;
  const std::function<void(std::string_view)>* sink_ = nullptr;
  std::function<std::string()> provider_;
  bool closed_ = false;
  uint32_t exit_callbacks_seen_ = 0;
  uint32_t idle_in_transaction_timeout_addr_ = 0;  // guest int variables (timeout_variable)
  uint32_t idle_session_timeout_addr_ = 0;
  static constexpr uint32_t kMaxOnExits = 20;
  static constexpr int kMaxRecoveries = 8;
};

}  // namespace

std::unique_ptr<Backend> Backend::start(const BackendConfig& config) {
  auto backend = std::make_unique<PgliteBackend>(config);
  backend->start();
  return backend;
}

}  // namespace pglite::internal
