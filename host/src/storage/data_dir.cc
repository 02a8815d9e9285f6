#include "data_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <vector>

#include "archive.h"
#include "dir_lock.h"
#include "fs_util.h"
#include "pglite/error.h"
#include "protocol/sqlstate.h"
#include "template/template_archive.h"

namespace pglite::internal {

struct DataDir::Options {
  std::function<void(const std::string& dest)> populate;  // unpacks a database into dest
  bool must_be_new = false;                               // refuse a directory that already holds a database
};

namespace {

constexpr char kVersionFile[] = "PG_VERSION";
constexpr char kStagingDir[] = ".pglite-init";  // present while a creation is in progress
constexpr char kPostmasterPid[] = "postmaster.pid";
constexpr char kSupportedMajor[] = "17";

enum class State {
  kEmpty,        // nothing but (maybe) our lock file
  kDatabase,     // has PG_VERSION
  kInterrupted,  // a creation was interrupted: staging dir, no PG_VERSION
  kForeign,      // something else
};

bool contains(const std::vector<std::string>& names, const char* name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

State inspect(const std::string& path) {
  std::vector<std::string> names = list_dir(path);
  std::erase(names, kLockFileName);
  if (contains(names, kVersionFile)) return State::kDatabase;
  if (names.empty()) return State::kEmpty;
  if (contains(names, kStagingDir)) return State::kInterrupted;
  return State::kForeign;
}

[[noreturn]] void throw_foreign(const std::string& path) {
  throw Error(
      sqlstate::kObjectNotInPrerequisiteState,
      "\"" + path + "\" is not a pglite data directory (it is not empty and has no " + kVersionFile + ")");
}

void check_version(const std::string& dir, const std::string& what) {
  std::string file = dir + "/" + kVersionFile;
  struct stat st;
  if (::lstat(file.c_str(), &st) != 0) {
    throw Error(sqlstate::kObjectNotInPrerequisiteState,
                what + " is not a PostgreSQL data directory (it has no " + kVersionFile + ")");
  }
  check_major_version(read_file(file), what);
}

}  // namespace

void check_major_version(std::string version, const std::string& what) {
  while (!version.empty() && (version.back() == '\n' || version.back() == '\r' || version.back() == ' ' ||
                              version.back() == '\t')) {
    version.pop_back();
  }
  if (version != kSupportedMajor) {
    throw Error(sqlstate::kObjectNotInPrerequisiteState,
                what + " was created by PostgreSQL major version \"" + version +
                    "\", which is incompatible with this build (PostgreSQL " + kSupportedMajor + ")");
  }
}

namespace {

// Flushes everything unpacked so far, so PG_VERSION never reaches the disk
// before the files it vouches for.
void sync_dir_contents(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_os_error("cannot open \"" + dir + "\"", errno);
#ifdef __linux__
  int rc = ::syncfs(fd);
#else
  ::sync();
  int rc = 0;
#endif
  int err = errno;
  ::close(fd);
  if (rc != 0) throw_os_error("cannot sync \"" + dir + "\"", err);
}

void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_os_error("cannot open \"" + dir + "\"", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) throw_os_error("cannot sync \"" + dir + "\"", err);
}

void move(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw_os_error("cannot move \"" + from + "\" to \"" + to + "\"", errno);
  }
}

// Removes everything but the lock file (after an interrupted creation).
void clear_dir(const std::string& path) {
  for (const std::string& name : list_dir(path)) {
    if (name == kLockFileName) continue;
    if (!remove_tree(path + "/" + name)) {
      throw Error(sqlstate::kIoError,
                  "cannot remove \"" + path + "/" + name + "\" left by an interrupted database creation");
    }
  }
}

// Unpacks a database into the empty, locked directory path: everything goes
// into a staging subdirectory first, is checked, and moved into place with
// PG_VERSION last. A crash at any point leaves either no PG_VERSION (and the
// staging dir, so the next open() starts over) or a complete database.
void populate_in_place(const std::string& path, const std::function<void(const std::string&)>& fill) {
  const std::string staging = path + "/" + kStagingDir;
  if (::mkdir(staging.c_str(), 0700) != 0) {
    throw_os_error("cannot create \"" + staging + "\"", errno);
  }
  try {
    fill(staging);
    check_version(staging, "the database archive");
    for (const std::string& name : list_dir(staging)) {
      if (name != kVersionFile && name != kLockFileName && name != kPostmasterPid) {
        move(staging + "/" + name, path + "/" + name);
      }
    }
    sync_dir_contents(path);
    move(staging + "/" + kVersionFile, path + "/" + kVersionFile);
  } catch (...) {
    remove_tree(staging);
    throw;
  }
  remove_tree(staging);
  fsync_dir(path);
}

void remove_stale_postmaster_pid(const std::string& path) {
  const std::string file = path + "/" + kPostmasterPid;
  struct stat st;
  if (::lstat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw_os_error("cannot stat \"" + file + "\"", errno);
  }
  const std::string content = S_ISREG(st.st_mode) ? read_file(file) : std::string();
  // The lock proves no pglite instance uses the directory, so the file is
  // stale unless a native PostgreSQL server is running on it.
  long pid = std::strtol(content.c_str(), nullptr, 10);
  if (pid > 0 && pid != ::getpid() && (::kill(pid_t(pid), 0) == 0 || errno == EPERM)) {
    std::string comm;
    try {
      comm = read_file("/proc/" + std::to_string(pid) + "/comm");
    } catch (const Error&) {
      // No procfs (or the process just exited): cannot tell, assume stale.
    }
    if (comm.rfind("postgres", 0) == 0 || comm.rfind("postmaster", 0) == 0) {
      throw Error(sqlstate::kObjectInUse, "database at " + path + " is in use by a PostgreSQL server (pid " +
                                              std::to_string(pid) + ")");
    }
  }
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
    throw_os_error("cannot remove stale \"" + file + "\"", errno);
  }
}

void extract_builtin_template(const std::string& dest) {
  TemplateArchive t = builtin_template();
  extract_tar_zst(t.data, t.size, dest);
}

}  // namespace

DataDir::DataDir(std::string path, std::unique_ptr<DirLock> lock, bool created)
    : path_(std::move(path)), lock_(std::move(lock)), created_(created) {}

DataDir::~DataDir() = default;

std::unique_ptr<DataDir> DataDir::open_impl(const std::string& path_arg, const Options& options) {
  if (path_arg.empty()) throw Error(sqlstate::kInvalidParameterValue, "data directory path is empty");
  const std::string path = absolute_path(path_arg);

  // Refuse what is not ours before creating anything (such as the lock file)
  // in it. Re-checked below under the lock.
  bool existed = true;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) throw_os_error("cannot open data directory \"" + path + "\"", errno);
    existed = false;
  } else if (!S_ISDIR(st.st_mode)) {
    throw_os_error("cannot open data directory \"" + path + "\"", ENOTDIR);
  } else if (inspect(path) == State::kForeign) {
    throw_foreign(path);
  }

  make_dirs(path, 0700);
  auto lock = std::make_unique<DirLock>(path);
  bool created = false;
  try {
    switch (inspect(path)) {
      case State::kForeign:
        throw_foreign(path);
      case State::kInterrupted:
        clear_dir(path);
        [[fallthrough]];
      case State::kEmpty:
        // PostgreSQL insists on 0700/0750. Best effort: a directory we do not
        // own (but may write to) keeps its mode.
        (void)::chmod(path.c_str(), 0700);
        populate_in_place(path, options.populate);
        created = true;
        break;
      case State::kDatabase:
        if (options.must_be_new) {
          throw Error(sqlstate::kDuplicateFile, "cannot create a database at " + path +
                                                    " from an archive: a database already exists there");
        }
        if (!remove_tree(path + "/" + kStagingDir)) {
          throw Error(sqlstate::kIoError, "cannot remove \"" + path + "/" + kStagingDir + "\"");
        }
        break;
    }
    check_version(path, "the database at " + path);
    remove_stale_postmaster_pid(path);
  } catch (...) {
    // Leave nothing behind that this call made and that never became usable.
    if (created && !existed) remove_tree(path);
    lock->release_and_remove_if_created();
    if (!existed) ::rmdir(path.c_str());  // only succeeds if still empty
    throw;
  }
  return std::unique_ptr<DataDir>(new DataDir(path, std::move(lock), created));
}

std::unique_ptr<DataDir> DataDir::open(const std::string& path) {
  Options options;
  options.populate = extract_builtin_template;
  return open_impl(path, options);
}

std::unique_ptr<DataDir> DataDir::from_archive(const std::string& archive, const std::string& path) {
  struct stat st;
  if (::stat(archive.c_str(), &st) != 0) {
    throw_os_error("cannot open archive \"" + archive + "\"", errno);
  }
  if (!S_ISREG(st.st_mode)) {
    throw Error(sqlstate::kIoError, "cannot read archive \"" + archive + "\": not a regular file");
  }
  Options options;
  options.populate = [archive](const std::string& dest) { extract_tar_zst(archive, dest); };
  options.must_be_new = true;
  return open_impl(path, options);
}

}  // namespace pglite::internal
