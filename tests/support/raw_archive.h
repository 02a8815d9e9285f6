// Hand-built .tar.zst archives for hostile-input tests: any entry type,
// path or link target, written with libarchive.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pglite::testing {

struct RawEntry {
  std::string path;
  mode_t type = 0100000;  // AE_IFREG
  std::string content;
  std::string symlink;
  std::string hardlink;
  int perm = -1;  // -1: 0755 for directories, 0644 otherwise
};

RawEntry file(std::string path, std::string content);
RawEntry node(std::string path, mode_t type);
RawEntry dir(std::string path);
RawEntry symlink_entry(std::string path, std::string target);
RawEntry hardlink_entry(std::string path, std::string target);

std::string zstd_compress(const std::string& in);
/// A tar (or, with zip, a zip) of `entries`, uncompressed.
std::string build_raw(const std::vector<RawEntry>& entries, bool zip = false);
std::string build_tar_zst(const std::vector<RawEntry>& entries);

}  // namespace pglite::testing
