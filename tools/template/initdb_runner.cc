#include "initdb_runner.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <vector>

#include "backend/postgres_process.h"
#include "initdb_module.h"  // generated: exports of the initdb module
#include "pglite/error.h"

namespace pglite::tools {
namespace {

using internal::GuestLayout;
using internal::GuestProgram;

// Guest paths initdb and the backend exchange data through (both map to
// the shared scratch directory mounted at /tmp).
constexpr const char* kPipeIn = "/tmp/pgstdin";
constexpr const char* kPipeOut = "/tmp/pgstdout";

// Splits a /bin/sh command line the way initdb writes them: words, single
// and double quotes; stops at the first redirection or operator.
std::vector<std::string> split_command(const std::string& cmd) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (size_t i = 0; i < cmd.size(); i++) {
    char c = cmd[i];
    if (c == '\'' || c == '"') {
      size_t end = cmd.find(c, i + 1);
      if (end == std::string::npos) end = cmd.size();
      cur += cmd.substr(i + 1, end - i - 1);
      in_word = true;
      i = end;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
    } else if (std::strchr("<>|&;", c) || (c == '2' && !in_word && i + 1 < cmd.size() && cmd[i + 1] == '>')) {
      break;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(cur);
  return words;
}

class InitdbRunner {
 public:
  InitdbRunner(std::string data, std::string scratch)
      : data_(std::move(data)), scratch_(std::move(scratch)) {}

  InitdbResult run() {
    GuestLayout layout;
    layout.host_data_dir = data_;
    layout.host_scratch_dir = scratch_;
    layout.fsync = false;
    layout.stdout_writer = [this](std::string_view s) { log_.append(s); };
    layout.stderr_writer = [this](std::string_view s) { log_.append(s); };
    initdb_ = internal::make_guest_process(GuestProgram::kInitdb, layout);
    inst_ = static_cast<Z_initdb_instance_t*>(initdb_->main_instance());

    uint32_t t_pi = pgl_func_type_id("i:i");
    uint32_t t_ppi = pgl_func_type_id("ii:i");
    uint32_t sys =
        initdb_->add_table_entry({t_pi, reinterpret_cast<wasm_rt_function_ptr_t>(&system_cb), this});
    uint32_t po =
        initdb_->add_table_entry({t_ppi, reinterpret_cast<wasm_rt_function_ptr_t>(&popen_cb), this});
    uint32_t pc =
        initdb_->add_table_entry({t_pi, reinterpret_cast<wasm_rt_function_ptr_t>(&pclose_cb), this});
    initdb_->call([&] {
      Z_initdbZ_pgl_set_system_fn(inst_, sys);
      Z_initdbZ_pgl_set_popen_fn(inst_, po);
      Z_initdbZ_pgl_set_pclose_fn(inst_, pc);
    });

    shim::CallResult r =
        // --data-checksums: a damaged page is an error (XX001), never data.
        initdb_->run_main({internal::kGuestInitdb, "--allow-group-access", "--data-checksums", "--encoding",
                           "UTF8", "--locale=C.UTF-8", "--locale-provider=libc", "--auth=trust"});
    InitdbResult result;
    result.exit_code = r.kind == shim::CallResult::kExited ? r.exit_code : 1;
    if (r.kind == shim::CallResult::kTrapped) log_ += "initdb trapped: " + r.trap + "\n";
    result.output = log_;
    return result;
  }

 private:
  // Runs one backend (--boot / --single / -V ...) to completion. stdin is
  // what initdb wrote into the pipe file; stdout goes to the other one.
  int run_postgres(const std::vector<std::string>& words, bool feed_stdin) {
    if (words.empty() || words[0] != internal::kGuestPostgres) {
      log_ += "initdb tried to run an unknown program: " + (words.empty() ? "" : words[0]) + "\n";
      return 127;
    }
    std::string in_path = scratch_ + "/pgstdin";
    std::string out_path = scratch_ + "/pgstdout";
    int in_fd = feed_stdin ? ::open(in_path.c_str(), O_RDONLY) : -1;
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    GuestLayout layout;
    layout.host_data_dir = data_;
    layout.host_scratch_dir = scratch_;
    layout.fsync = false;
    layout.stdin_reader = [in_fd](uint8_t* buf, size_t n) -> int64_t {
      return in_fd < 0 ? 0 : ::read(in_fd, buf, n);
    };
    layout.stdout_writer = [&out](std::string_view s) {
      out.write(s.data(), static_cast<std::streamsize>(s.size()));
    };
    layout.stderr_writer = [this](std::string_view s) { log_.append(s); };
    auto pg = internal::make_guest_process(GuestProgram::kPostgres, layout);
    std::vector<std::string> argv = words;
    shim::CallResult r = pg->run_main(argv);
    if (in_fd >= 0) ::close(in_fd);
    out.close();
    if (r.kind == shim::CallResult::kTrapped) {
      log_ += "postgres trapped: " + r.trap + "\n";
      return 1;
    }
    return r.exit_code;
  }

  std::string guest_str(u32 addr) {
    const char* s;
    uint64_t n;
    if (!initdb_->memory().read_cstr(addr, &s, &n)) return {};
    return std::string(s, n);
  }

  u32 initdb_fopen(const char* path, const char* mode) {
    u32 p = initdb_->guest_strdup(path);
    u32 m = initdb_->guest_strdup(mode);
    u32 f = Z_initdbZ_fopen(inst_, p, m);
    initdb_->guest_free(p);
    initdb_->guest_free(m);
    return f;
  }

  static u32 system_cb(void* self, u32 cmd) {
    auto* r = static_cast<InitdbRunner*>(self);
    return static_cast<u32>(r->run_postgres(split_command(r->guest_str(cmd)), false));
  }

  static u32 popen_cb(void* self, u32 cmd, u32 mode) {
    auto* r = static_cast<InitdbRunner*>(self);
    std::string m = r->guest_str(mode);
    r->pending_ = split_command(r->guest_str(cmd));
    if (m == "r") {
      r->pending_status_ = r->run_postgres(r->pending_, false);
      r->read_stream_ = r->initdb_fopen(kPipeOut, "r");
      return r->read_stream_;
    }
    r->write_stream_ = r->initdb_fopen(kPipeIn, "w");
    return r->write_stream_;
  }

  static u32 pclose_cb(void* self, u32 stream) {
    auto* r = static_cast<InitdbRunner*>(self);
    if (stream && stream == r->write_stream_) {
      Z_initdbZ_fclose(r->inst_, stream);  // flushes what initdb wrote
      r->write_stream_ = 0;
      return static_cast<u32>(r->run_postgres(r->pending_, true));
    }
    if (stream && stream == r->read_stream_) {
      Z_initdbZ_fclose(r->inst_, stream);
      r->read_stream_ = 0;
      return static_cast<u32>(r->pending_status_);
    }
    return static_cast<u32>(-1);
  }

  std::string data_, scratch_, log_;
  std::unique_ptr<shim::Process> initdb_;
  Z_initdb_instance_t* inst_ = nullptr;
  std::vector<std::string> pending_;
  int pending_status_ = 0;
  u32 read_stream_ = 0, write_stream_ = 0;
};

}  // namespace

InitdbResult run_initdb(const std::string& host_data_dir, const std::string& host_scratch_dir) {
  InitdbRunner runner(host_data_dir, host_scratch_dir);
  return runner.run();
}

}  // namespace pglite::tools
