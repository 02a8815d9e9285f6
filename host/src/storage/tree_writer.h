// Writes extracted archive entries below a root directory without ever
// following a symlink: every path component is opened with openat(O_NOFOLLOW)
// relative to an already-verified directory fd, and files are created with
// O_EXCL, so nothing on disk can redirect a write outside the root and nothing
// existing is overwritten. Paths must already be sanitized (relative, no ".."
// or "." components, no empty components).
// Modes are applied exactly (umask is ignored) except that set-id and sticky
// bits are dropped and the owner always keeps rw on files and rwx on
// directories, so the result stays usable and removable.
#pragma once

#include <sys/types.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "entry_sink.h"

namespace pglite::internal {

class TreeWriter final : public EntrySink {
 public:
  /// root must exist and be a directory. Throws pglite::Error.
  explicit TreeWriter(const std::string& root);
  ~TreeWriter();
  TreeWriter(const TreeWriter&) = delete;
  TreeWriter& operator=(const TreeWriter&) = delete;

  /// Creates (or reuses) directory rel; its mode is applied in finish() so a
  /// read-only directory can still receive its contents.
  void directory(const std::string& rel, mode_t mode) override;

  /// Creates regular file rel (must not exist) with the given mode. Data is
  /// written with write_file_data(); end_file() sets the final size.
  void begin_file(const std::string& rel, mode_t mode) override;
  void write_file_data(const void* data, size_t size, off_t offset) override;
  void end_file(off_t size) override;

  /// Applies directory modes. Throws pglite::Error.
  void finish() override;

 private:
  void write_all(const char* p, size_t size, off_t offset);
  int dir_fd(const std::string& rel);  // opens/creates rel (and its parents)
  [[noreturn]] void fail(const std::string& rel, const char* what, int err);

  std::string root_;
  int root_fd_ = -1;
  std::unordered_map<std::string, int> dirs_;  // rel dir -> fd ("" is root_fd_)
  std::vector<std::pair<std::string, mode_t>> dir_modes_;
  int file_fd_ = -1;
  std::string file_rel_;
  off_t file_end_ = 0;  // highest offset written so far (holes are not written)
};

}  // namespace pglite::internal
