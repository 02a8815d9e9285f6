// Guest fds not backed by a host fd: bundle files, devices, stdio, pipes.
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

#include "fs/fs_clone.h"
#include "fs/open_file.h"

namespace pglite::shim {
namespace {

namespace w = wasi_errno;

class BundleFile final : public OpenFile {
 public:
  BundleFile(std::shared_ptr<const Bundle> b, const Bundle::Node* n, uint32_t flags, std::string path,
             const FileStat& st)
      : OpenFile(flags, std::move(path)), bundle_(std::move(b)), node_(n), st_(st) {}

  int64_t read(void* dst, size_t n) override {
    int64_t r = pread(dst, n, pos_);
    if (r > 0) pos_ += static_cast<uint64_t>(r);
    return r;
  }
  int64_t pread(void* dst, size_t n, uint64_t off) override {
    if (off > INT64_MAX) return -w::kINVAL;
    if (off >= node_->size) return 0;
    size_t len = static_cast<size_t>(std::min<uint64_t>(n, node_->size - off));
    std::memcpy(dst, node_->data + off, len);
    return static_cast<int64_t>(len);
  }
  int64_t seek(int64_t off, int whence) override { return seek_position(&pos_, off, whence, node_->size); }
  int stat(FileStat* out) override {
    *out = st_;
    return 0;
  }
  int chmod(uint32_t) override { return -w::kROFS; }
  int utimens(const timespec*) override { return -w::kROFS; }
  uint8_t wasi_filetype() const override { return guest::kWasiFiletypeRegular; }
  OpenFilePtr clone(FsClone&) const override {
    auto f = std::make_shared<BundleFile>(bundle_, node_, flags_, path_, st_);
    f->pos_ = pos_;
    return f;
  }

 private:
  std::shared_ptr<const Bundle> bundle_;
  const Bundle::Node* node_;
  FileStat st_;
  uint64_t pos_ = 0;
};

class DeviceFile final : public OpenFile {
 public:
  DeviceFile(Device d, uint32_t flags, std::string path, const FileStat& st)
      : OpenFile(flags, std::move(path)), dev_(d), st_(st) {}

  int64_t read(void* dst, size_t n) override {
    switch (dev_) {
      case Device::kNull:
        return 0;
      case Device::kZero:
        std::memset(dst, 0, n);
        return static_cast<int64_t>(n);
      case Device::kRandom:
        break;
    }
    n = std::min<size_t>(n, 1 << 20);  // short reads are allowed; keep calls bounded
    size_t got = 0;
    while (got < n) {
      ssize_t r = getrandom(static_cast<uint8_t*>(dst) + got, n - got, 0);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return got > 0 ? static_cast<int64_t>(got) : -w::kIO;
      got += static_cast<size_t>(r);
    }
    return static_cast<int64_t>(got);
  }
  int64_t write(const void*, size_t n) override { return static_cast<int64_t>(n); }
  int64_t pread(void* dst, size_t n, uint64_t) override { return read(dst, n); }
  int64_t pwrite(const void* src, size_t n, uint64_t) override { return write(src, n); }
  int64_t seek(int64_t, int) override { return 0; }  // as Linux /dev/null
  int stat(FileStat* out) override {
    *out = st_;
    return 0;
  }
  int utimens(const timespec*) override { return 0; }
  // Emscripten's isatty() calls every character device a terminal; report
  // devices as plain files there so isatty("/dev/null") stays false.
  uint8_t wasi_filetype() const override { return guest::kWasiFiletypeRegular; }
  OpenFilePtr clone(FsClone&) const override {
    return std::make_shared<DeviceFile>(dev_, flags_, path_, st_);
  }

 private:
  Device dev_;
  FileStat st_;
};

class StdioFile final : public OpenFile {
 public:
  StdioFile(int fd, std::shared_ptr<const StdioHooks> hooks)
      : OpenFile(fd == 0 ? guest::kO_RDONLY : guest::kO_WRONLY, fd == 0   ? "/dev/stdin"
                                                                : fd == 1 ? "/dev/stdout"
                                                                          : "/dev/stderr"),
        fd_(fd),
        hooks_(std::move(hooks)) {}

  int64_t read(void* dst, size_t n) override {
    if (fd_ != 0) return -w::kBADF;
    if (!hooks_->read_stdin || n == 0) return 0;
    int64_t r = hooks_->read_stdin(static_cast<uint8_t*>(dst), n);
    return std::min<int64_t>(r, static_cast<int64_t>(n));
  }
  int64_t write(const void* src, size_t n) override {
    const auto& hook = fd_ == 1 ? hooks_->write_stdout : hooks_->write_stderr;
    if (fd_ == 0) return -w::kBADF;
    if (hook) hook(std::string_view(static_cast<const char*>(src), n));
    return static_cast<int64_t>(n);
  }
  int stat(FileStat* out) override {
    *out = FileStat{};
    out->dev = 5;
    out->mode = guest::kS_IFCHR | 0620;
    out->rdev = (5 << 8) | static_cast<uint32_t>(fd_);  // tty-like major
    out->ino = 0x7000000000000000ULL + static_cast<uint64_t>(fd_);
    return 0;
  }
  int utimens(const timespec*) override { return 0; }
  bool is_tty() const override { return true; }
  uint8_t wasi_filetype() const override { return guest::kWasiFiletypeCharDevice; }
  OpenFilePtr clone(FsClone& c) const override { return std::make_shared<StdioFile>(fd_, c.stdio); }

 private:
  int fd_;
  std::shared_ptr<const StdioHooks> hooks_;
};

struct PipeBuffer {
  static constexpr size_t kCapacity = 64 * 1024;
  std::deque<uint8_t> data;
  bool reader_open = true;
  bool writer_open = true;
};

class PipeEnd final : public OpenFile {
 public:
  PipeEnd(std::shared_ptr<PipeBuffer> p, bool reader)
      : OpenFile(reader ? guest::kO_RDONLY : guest::kO_WRONLY, "pipe:"),
        pipe_(std::move(p)),
        reader_(reader) {}
  ~PipeEnd() override { (reader_ ? pipe_->reader_open : pipe_->writer_open) = false; }

  int64_t read(void* dst, size_t n) override {
    if (!reader_) return -w::kBADF;
    if (n == 0) return 0;
    if (pipe_->data.empty()) return pipe_->writer_open ? -w::kAGAIN : 0;
    size_t len = std::min(n, pipe_->data.size());
    std::copy_n(pipe_->data.begin(), len, static_cast<uint8_t*>(dst));
    pipe_->data.erase(pipe_->data.begin(), pipe_->data.begin() + static_cast<ptrdiff_t>(len));
    return static_cast<int64_t>(len);
  }
  int64_t write(const void* src, size_t n) override {
    if (reader_) return -w::kBADF;
    if (!pipe_->reader_open) return -w::kPIPE;
    if (n == 0) return 0;
    size_t room = PipeBuffer::kCapacity - pipe_->data.size();
    if (room == 0) return -w::kAGAIN;
    size_t len = std::min(n, room);
    const auto* p = static_cast<const uint8_t*>(src);
    pipe_->data.insert(pipe_->data.end(), p, p + len);
    return static_cast<int64_t>(len);
  }
  int stat(FileStat* out) override {
    *out = FileStat{};
    out->mode = guest::kS_IFIFO | 0600;
    out->ino = reinterpret_cast<uintptr_t>(pipe_.get());
    out->size = static_cast<int64_t>(pipe_->data.size());
    return 0;
  }
  // Both ends are the guest's own (a latch's self-pipe): the copy's ends
  // share a copy of the buffer.
  OpenFilePtr clone(FsClone& c) const override {
    std::shared_ptr<void>& buffer = c.pipes[pipe_.get()];
    if (!buffer) buffer = std::make_shared<PipeBuffer>(*pipe_);
    auto f = std::make_shared<PipeEnd>(std::static_pointer_cast<PipeBuffer>(buffer), reader_);
    f->flags_ = flags_;
    return f;
  }

 private:
  std::shared_ptr<PipeBuffer> pipe_;
  bool reader_;
};

}  // namespace

OpenFilePtr make_bundle_file(std::shared_ptr<const Bundle> bundle, const Bundle::Node* node, uint32_t flags,
                             std::string path, const FileStat& st) {
  return std::make_shared<BundleFile>(std::move(bundle), node, flags, std::move(path), st);
}

OpenFilePtr make_device_file(Device dev, uint32_t flags, std::string path, const FileStat& st) {
  return std::make_shared<DeviceFile>(dev, flags, std::move(path), st);
}

OpenFilePtr make_stdio_file(int fd, std::shared_ptr<const StdioHooks> hooks) {
  return std::make_shared<StdioFile>(fd, std::move(hooks));
}

void make_pipe(OpenFilePtr* read_end, OpenFilePtr* write_end) {
  auto p = std::make_shared<PipeBuffer>();
  *read_end = std::make_shared<PipeEnd>(p, true);
  *write_end = std::make_shared<PipeEnd>(p, false);
}

}  // namespace pglite::shim
