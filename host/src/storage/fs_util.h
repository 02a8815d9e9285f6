// Small POSIX file system helpers for the storage layer; every failure is
// reported as pglite::Error carrying the OS error text.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pglite::internal {

/// SQLSTATE for an errno: 53100 (disk_full) for ENOSPC/EDQUOT, else 58030.
const char* sqlstate_for_errno(int err);

/// Throws pglite::Error("<what>: <strerror(err)>").
[[noreturn]] void throw_os_error(const std::string& what, int err);

/// Absolute, lexically normalized form of path, without a trailing slash.
std::string absolute_path(const std::string& path);

/// mkdir -p; newly created directories get `mode`. Existing non-directories
/// along the way are an error.
void make_dirs(const std::string& path, mode_t mode);

/// Names in a directory, without "." and "..".
std::vector<std::string> list_dir(const std::string& path);

/// Whole content of a (small) file.
std::string read_file(const std::string& path);

/// rm -rf that never throws and never follows symlinks. Returns false if
/// anything was left behind.
bool remove_tree(const std::string& path) noexcept;

}  // namespace pglite::internal
