// The host directory holding PGDATA for one persistent database: creation
// from the embedded template (or a user archive), reuse and exclusive
// locking. (Temporary databases keep PGDATA in memory: backend/memory_template.)
#pragma once

#include <memory>
#include <string>

namespace pglite::internal {

class DirLock;

/// Throws Error 55000 naming `what` unless `version` (the content of a
/// PG_VERSION file) is this build's PostgreSQL major version.
void check_major_version(std::string version, const std::string& what);

/// A PGDATA directory held exclusively (via <path>/.pglite.lock) for the
/// object's lifetime. All factories throw pglite::Error:
///   55006  the directory is already open (this or another process), or a
///          native PostgreSQL server is running on it
///   55000  the directory is not empty and holds no PG_VERSION ("not a pglite
///          data directory"), or was made by another PostgreSQL major version
///   58P02  from_archive() into a directory that already holds a database
///   58030  OS errors (not a directory, permission denied, ...), with the OS
///          error text; 53100 when the disk is full
///   XX001 / 22023  broken or unsafe archive (see archive.h)
class DataDir {
 public:
  /// Opens the database at path, creating it (mkdir -p, mode 0700) from
  /// builtin_template() if path does not exist or is an empty directory.
  /// Creation is crash-safe: the template is unpacked into a staging
  /// directory and PG_VERSION, which marks a complete database, is moved in
  /// last; an interrupted creation is detected and redone by the next open.
  /// A stale postmaster.pid is removed.
  static std::unique_ptr<DataDir> open(const std::string& path);

  /// Like open() but the new database is unpacked from the .tar.zst file
  /// `archive` (see write_tar_zst()); path must not already hold a database.
  static std::unique_ptr<DataDir> from_archive(const std::string& archive, const std::string& path);

  ~DataDir();
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  /// Absolute host path of PGDATA.
  const std::string& path() const { return path_; }

  /// True if this call created the database (it was not there before).
  bool created() const { return created_; }

 private:
  struct Options;
  static std::unique_ptr<DataDir> open_impl(const std::string& path, const Options& options);

  DataDir(std::string path, std::unique_ptr<DirLock> lock, bool created);

  std::string path_;
  std::unique_ptr<DirLock> lock_;
  bool created_;
};

}  // namespace pglite::internal
