#include "tree_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fs_util.h"
#include "pglite/error.h"
#include "protocol/sqlstate.h"

namespace pglite::internal {
namespace {

std::pair<std::string, std::string> split_parent(const std::string& rel) {
  size_t slash = rel.rfind('/');
  if (slash == std::string::npos) return {"", rel};
  return {rel.substr(0, slash), rel.substr(slash + 1)};
}

}  // namespace

TreeWriter::TreeWriter(const std::string& root) : root_(root) {
  root_fd_ = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) throw_os_error("cannot open directory \"" + root + "\"", errno);
  dirs_.emplace("", root_fd_);
}

TreeWriter::~TreeWriter() {
  if (file_fd_ >= 0) ::close(file_fd_);
  for (auto& [rel, fd] : dirs_) ::close(fd);
}

void TreeWriter::fail(const std::string& rel, const char* what, int err) {
  if (err == ELOOP || err == ENOTDIR || err == EEXIST) {
    // Something already on disk (a symlink, a file where a directory should
    // be, an earlier entry of the same name) conflicts with this entry.
    throw Error(sqlstate::kInvalidParameterValue, std::string("refusing to extract archive entry \"") + rel +
                                                      "\": " + what + ": " + std::strerror(err));
  }
  throw_os_error(std::string("cannot extract \"") + rel + "\" into \"" + root_ + "\": " + what, err);
}

int TreeWriter::dir_fd(const std::string& rel) {
  auto it = dirs_.find(rel);
  if (it != dirs_.end()) return it->second;
  auto [parent, name] = split_parent(rel);
  int parent_fd = dir_fd(parent);
  if (::mkdirat(parent_fd, name.c_str(), 0700) != 0 && errno != EEXIST) {
    fail(rel, "mkdir", errno);
  }
  int fd = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) fail(rel, "open directory", errno);
  dirs_.emplace(rel, fd);
  return fd;
}

void TreeWriter::directory(const std::string& rel, mode_t mode) {
  dir_fd(rel);
  dir_modes_.emplace_back(rel, (mode & 0777) | 0700);
}

void TreeWriter::begin_file(const std::string& rel, mode_t mode) {
  auto [parent, name] = split_parent(rel);
  int parent_fd = dir_fd(parent);
  file_rel_ = rel;
  file_end_ = 0;
  file_fd_ = ::openat(parent_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (file_fd_ < 0) fail(rel, "create file", errno);
  if (::fchmod(file_fd_, (mode & 0777) | 0600) != 0) fail(rel, "chmod", errno);
}

namespace {

bool all_zero(const char* p, size_t n) { return n == 0 || (p[0] == 0 && std::memcmp(p, p + 1, n - 1) == 0); }

}  // namespace

// Zero blocks are left as holes: the file is new, so they read back as zeros
// and end_file() extends it to its full size. The template's 16 MB WAL
// segment is almost all zeros; not writing them halves extraction time.
void TreeWriter::write_file_data(const void* data, size_t size, off_t offset) {
  constexpr size_t kBlock = 8192;
  const char* p = static_cast<const char*>(data);
  size_t i = 0;
  while (i < size) {
    size_t n = std::min(kBlock, size - i);
    if (all_zero(p + i, n)) {
      i += n;
      continue;
    }
    size_t j = i + n;
    while (j < size && !all_zero(p + j, std::min(kBlock, size - j))) j += std::min(kBlock, size - j);
    write_all(p + i, j - i, offset + off_t(i));
    i = j;
  }
}

void TreeWriter::write_all(const char* p, size_t size, off_t offset) {
  while (size > 0) {
    ssize_t n = ::pwrite(file_fd_, p, size, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(file_rel_, "write", errno);
    p += n;
    size -= size_t(n);
    offset += n;
  }
  if (offset > file_end_) file_end_ = offset;
}

void TreeWriter::end_file(off_t size) {
  if (file_end_ < size && ::ftruncate(file_fd_, size) != 0) fail(file_rel_, "truncate", errno);
  int fd = file_fd_;
  file_fd_ = -1;
  if (::close(fd) != 0) fail(file_rel_, "close", errno);
}

void TreeWriter::finish() {
  for (const auto& [rel, mode] : dir_modes_) {
    if (::fchmod(dirs_.at(rel), mode) != 0) fail(rel, "chmod", errno);
  }
}

}  // namespace pglite::internal
