// Exclusive, process-lifetime lock on a data directory: flock() on
// <dir>/.pglite.lock, which also records the holder's pid. The kernel drops
// the lock when its holder dies, so a killed process never leaves a stale lock.
#pragma once

#include <string>

namespace pglite::internal {

inline constexpr char kLockFileName[] = ".pglite.lock";

class DirLock {
 public:
  /// Takes the lock on dir (which must exist). Throws pglite::Error 55006
  /// "database at <dir> is already open (locked by pid N)" if another open
  /// file description holds it (in this or another process), or 58030 when
  /// the lock file cannot be created.
  explicit DirLock(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  /// Deletes the lock file if this lock created it, then releases the lock.
  /// For giving up on a directory that turned out not to be ours.
  void release_and_remove_if_created() noexcept;

 private:
  std::string file_;
  int fd_ = -1;
  bool created_ = false;
};

}  // namespace pglite::internal
