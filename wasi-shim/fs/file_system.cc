// FileSystem: setup, mount lookup and fd-table operations. Path operations
// live in file_system_paths.cc.
#include "fs/file_system.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "fs/fault_injection.h"
#include "fs/host_mount.h"
#include "fs/memory_mount.h"
#include "fs/path.h"

namespace pglite::shim {
namespace {
namespace w = wasi_errno;
}  // namespace

FileSystem::FileSystem() : stdio_(std::make_shared<StdioHooks>()) {
  fds_.resize(kFirstFreeFd);
  for (int fd = 0; fd < kFirstFreeFd; ++fd) fds_[fd] = make_stdio_file(fd, stdio_);
}

// Members release every open description (closing host fds), then mounts.
FileSystem::~FileSystem() { fds_.clear(); }

void FileSystem::mount_bundle(std::shared_ptr<const Bundle> bundle) {
  bundle_->tree().set_bundle(std::move(bundle));
}

std::string FileSystem::mount_point(const std::string& guest_prefix) {
  std::string prefix;
  if (path::normalize("/", guest_prefix, &prefix) < 0 || guest_prefix[0] != '/') {
    throw std::invalid_argument("bad mount point: " + guest_prefix);
  }
  return prefix;
}

void FileSystem::add_mount(std::string prefix, std::unique_ptr<Mount> mount) {
  bundle_->tree().add_dir(prefix);  // so the mount point's ancestors exist and list it
  for (MountPoint& m : mounts_) {
    if (m.prefix == prefix) {
      m.mount = std::move(mount);
      return;
    }
  }
  mounts_.push_back({std::move(prefix), std::move(mount)});
}

void FileSystem::mount_host_dir(std::string guest_prefix, std::string host_dir) {
  std::string prefix = mount_point(guest_prefix);
  add_mount(std::move(prefix), std::make_unique<HostMount>(host_dir));
}

void FileSystem::mount_memory_dir(std::string guest_prefix, std::shared_ptr<MemoryDir> dir) {
  std::string prefix = mount_point(guest_prefix);
  if (dir == nullptr) throw std::invalid_argument("null memory dir for " + prefix);
  add_mount(std::move(prefix), std::make_unique<MemoryMount>(std::move(dir)));
}

std::unique_ptr<FileSystem> FileSystem::clone(FsClone* c) const {
  auto fs = std::make_unique<FileSystem>();
  fs->mount_bundle(bundle_->tree().bundle());
  for (const MountPoint& m : mounts_) {
    std::unique_ptr<Mount> copy = m.mount->clone(*c);
    if (!copy) return nullptr;
    fs->add_mount(m.prefix, std::move(copy));
  }
  fs->cwd_ = cwd_;
  fs->fsync_enabled_ = fsync_enabled_;
  c->stdio = fs->stdio_;
  // dup()ed fds share one description, and so do their copies.
  std::map<const OpenFile*, OpenFilePtr> copies;
  fs->fds_.assign(fds_.size(), nullptr);
  for (size_t fd = 0; fd < fds_.size(); ++fd) {
    if (!fds_[fd]) continue;
    OpenFilePtr& copy = copies[fds_[fd].get()];
    if (!copy && !(copy = fds_[fd]->clone(*c))) return nullptr;
    fs->fds_[fd] = copy;
  }
  return fs;
}

void FileSystem::set_stdio(std::function<int64_t(uint8_t*, size_t)> read_stdin,
                           std::function<void(std::string_view)> write_stdout,
                           std::function<void(std::string_view)> write_stderr) {
  stdio_->read_stdin = std::move(read_stdin);
  stdio_->write_stdout = std::move(write_stdout);
  stdio_->write_stderr = std::move(write_stderr);
}

void FileSystem::locate(Resolved* r) const {
  const MountPoint* best = nullptr;
  for (const MountPoint& m : mounts_) {
    if (path::is_under(r->path, m.prefix) && (best == nullptr || m.prefix.size() > best->prefix.size())) {
      best = &m;
    }
  }
  // Devices shadow any mount so /dev/null is always the device.
  bool in_bundle = best == nullptr || ReadOnlyTree::is_device(r->path);
  r->mount = in_bundle ? static_cast<Mount*>(bundle_.get()) : best->mount.get();
  r->rel = std::string(path::relative_to(r->path, in_bundle ? "/" : best->prefix));
}

int FileSystem::resolve(int dirfd, std::string_view p, Resolved* out) const {
  if (p.empty()) return -w::kNOENT;
  std::string_view base = cwd_;
  if (p.front() != '/' && dirfd != guest::kAtFdcwd) {
    OpenFile* f = get(dirfd);
    if (f == nullptr) return -w::kBADF;
    if (!f->is_dir()) return -w::kNOTDIR;
    base = f->path();
  }
  if (int r = path::normalize(base, p, &out->path, &out->trailing_slash); r < 0) return r;
  locate(out);
  return 0;
}

// ---- fd table ----

OpenFile* FileSystem::get(int fd) const {
  if (fd < 0 || static_cast<size_t>(fd) >= fds_.size()) return nullptr;
  return fds_[fd].get();
}

bool FileSystem::is_valid_fd(int fd) const { return get(fd) != nullptr; }

int FileSystem::alloc_fd(int min_fd) const {
  for (int fd = std::max(min_fd, 0); fd < kMaxFds; ++fd) {
    if (static_cast<size_t>(fd) >= fds_.size() || fds_[fd] == nullptr) return fd;
  }
  return -w::kMFILE;
}

int FileSystem::install(int min_fd, OpenFilePtr file) {
  int fd = alloc_fd(min_fd);
  if (fd < 0) return fd;
  if (static_cast<size_t>(fd) >= fds_.size()) fds_.resize(fd + 1);
  fds_[fd] = std::move(file);
  return fd;
}

int FileSystem::close(int fd) {
  if (get(fd) == nullptr) return -w::kBADF;
  fds_[fd].reset();
  while (!fds_.empty() && fds_.back() == nullptr && fds_.size() > kFirstFreeFd) fds_.pop_back();
  return 0;
}

int FileSystem::dup(int fd, int min_fd) {
  OpenFile* f = get(fd);
  if (f == nullptr) return -w::kBADF;
  if (min_fd < 0 || min_fd >= kMaxFds) return -w::kINVAL;
  return install(min_fd, fds_[fd]);
}

int FileSystem::dup3(int fd, int newfd) {
  if (get(fd) == nullptr) return -w::kBADF;
  if (fd == newfd) return -w::kINVAL;
  if (newfd < 0 || newfd >= kMaxFds) return -w::kBADF;
  if (static_cast<size_t>(newfd) >= fds_.size()) fds_.resize(newfd + 1);
  fds_[newfd] = fds_[fd];
  return newfd;
}

int FileSystem::socket_placeholder() {
  FileStat st{};
  st.mode = guest::kS_IFSOCK | 0600;
  return install(kFirstFreeFd, make_device_file(Device::kNull, guest::kO_RDWR, "socket:", st));
}

int FileSystem::pipe(int fds[2]) {
  OpenFilePtr r, wr;
  make_pipe(&r, &wr);
  int a = install(kFirstFreeFd, std::move(r));
  if (a < 0) return a;
  int b = install(kFirstFreeFd, std::move(wr));
  if (b < 0) {
    close(a);
    return b;
  }
  fds[0] = a;
  fds[1] = b;
  return 0;
}

// ---- fd I/O ----

int64_t FileSystem::read(int fd, void* dst, size_t len) {
  OpenFile* f = get(fd);
  if (f == nullptr || !f->readable()) return -w::kBADF;
  if (int64_t e = check_fault(FaultOp::kRead, f->path(), &len)) return e;
  return f->read(dst, len);
}

int64_t FileSystem::write(int fd, const void* src, size_t len) {
  OpenFile* f = get(fd);
  if (f == nullptr || !f->writable()) return -w::kBADF;
  if (int64_t e = check_fault(FaultOp::kWrite, f->path(), &len)) return e;
  return f->write(src, len);
}

int64_t FileSystem::pread_fd(int fd, void* dst, size_t len, uint64_t offset) {
  OpenFile* f = get(fd);
  if (f == nullptr || !f->readable()) return -w::kBADF;
  if (int64_t e = check_fault(FaultOp::kRead, f->path(), &len)) return e;
  return f->pread(dst, len, offset);
}

int64_t FileSystem::pwrite_fd(int fd, const void* src, size_t len, uint64_t offset) {
  OpenFile* f = get(fd);
  if (f == nullptr || !f->writable()) return -w::kBADF;
  if (int64_t e = check_fault(FaultOp::kWrite, f->path(), &len)) return e;
  return f->pwrite(src, len, offset);
}

int64_t FileSystem::seek(int fd, int64_t offset, int whence) {
  OpenFile* f = get(fd);
  return f == nullptr ? -w::kBADF : f->seek(offset, whence);
}

int FileSystem::fstat(int fd, FileStat* st) {
  OpenFile* f = get(fd);
  return f == nullptr ? -w::kBADF : f->stat(st);
}

int FileSystem::ftruncate(int fd, uint64_t length) {
  OpenFile* f = get(fd);
  if (f == nullptr) return -w::kBADF;
  if (!f->writable()) return -w::kINVAL;
  return f->truncate(length);
}

int FileSystem::fallocate(int fd, uint64_t offset, uint64_t length) {
  OpenFile* f = get(fd);
  if (f == nullptr || !f->writable()) return -w::kBADF;
  if (length == 0) return -w::kINVAL;
  if (int64_t e = check_fault(FaultOp::kAllocate, f->path(), nullptr)) return static_cast<int>(e);
  return f->allocate(offset, length);
}

int FileSystem::fsync(int fd, bool data_only) {
  OpenFile* f = get(fd);
  if (f == nullptr) return -w::kBADF;
  if (!fsync_enabled_) return 0;
  if (int64_t e = check_fault(FaultOp::kSync, f->path(), nullptr)) return static_cast<int>(e);
  return f->sync(data_only);
}

int FileSystem::fchmod(int fd, uint32_t mode) {
  OpenFile* f = get(fd);
  return f == nullptr ? -w::kBADF : f->chmod(mode);
}

int FileSystem::futimens(int fd, const timespec* times) {
  OpenFile* f = get(fd);
  return f == nullptr ? -w::kBADF : f->utimens(times);
}

int FileSystem::get_status_flags(int fd) {
  OpenFile* f = get(fd);
  return f == nullptr ? -w::kBADF : static_cast<int>(f->flags() & ~guest::kO_CLOEXEC);
}

int FileSystem::set_status_flags(int fd, uint32_t flags) {
  OpenFile* f = get(fd);
  return f == nullptr ? -w::kBADF : f->set_status_flags(flags);
}

int FileSystem::read_dir(int fd, size_t max, std::vector<DirEntry>* out) {
  OpenFile* f = get(fd);
  return f == nullptr ? -w::kBADF : f->read_dir(max, out);
}

int FileSystem::fdstat(int fd, uint8_t* filetype, uint16_t* fdflags) {
  OpenFile* f = get(fd);
  if (f == nullptr) return -w::kBADF;
  *filetype = f->wasi_filetype();
  *fdflags = 0;
  if (f->flags() & guest::kO_APPEND) *fdflags |= guest::kWasiFdflagAppend;
  if (f->flags() & guest::kO_NONBLOCK) *fdflags |= guest::kWasiFdflagNonblock;
  return 0;
}

int FileSystem::is_tty(int fd) {
  OpenFile* f = get(fd);
  return f == nullptr ? -w::kBADF : f->is_tty() ? 1 : 0;
}

}  // namespace pglite::shim
