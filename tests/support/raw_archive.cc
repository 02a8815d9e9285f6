#include "support/raw_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/sysmacros.h>
#include <zstd.h>

namespace pglite::testing {

RawEntry file(std::string path, std::string content) {
  RawEntry e;
  e.path = std::move(path);
  e.content = std::move(content);
  return e;
}
RawEntry node(std::string path, mode_t type) {
  RawEntry e;
  e.path = std::move(path);
  e.type = type;
  return e;
}
RawEntry dir(std::string path) { return node(std::move(path), AE_IFDIR); }
RawEntry symlink_entry(std::string path, std::string target) {
  RawEntry e = node(std::move(path), AE_IFLNK);
  e.symlink = std::move(target);
  return e;
}
RawEntry hardlink_entry(std::string path, std::string target) {
  RawEntry e = file(std::move(path), "");
  e.hardlink = std::move(target);
  return e;
}

std::string zstd_compress(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string build_raw(const std::vector<RawEntry>& entries, bool zip) {
  std::vector<char> buf(1 << 20);
  size_t used = 0;
  archive* a = archive_write_new();
  if (zip) {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
  }
  archive_write_set_bytes_in_last_block(a, 1);
  EXPECT_EQ(archive_write_open_memory(a, buf.data(), buf.size(), &used), ARCHIVE_OK);
  for (const RawEntry& r : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, r.path.c_str());
    archive_entry_set_filetype(e, r.type);
    archive_entry_set_perm(e, r.perm >= 0 ? mode_t(r.perm) : r.type == AE_IFDIR ? 0755 : 0644);
    if (!r.symlink.empty()) archive_entry_set_symlink(e, r.symlink.c_str());
    if (!r.hardlink.empty()) archive_entry_set_hardlink(e, r.hardlink.c_str());
    if (r.type == AE_IFCHR) archive_entry_set_rdev(e, makedev(1, 3));
    archive_entry_set_size(e, r.type == AE_IFREG ? la_int64_t(r.content.size()) : 0);
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    if (r.type == AE_IFREG && !r.content.empty()) {
      archive_write_data(a, r.content.data(), r.content.size());
    }
    archive_entry_free(e);
  }
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK) << archive_error_string(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

std::string build_tar_zst(const std::vector<RawEntry>& entries) { return zstd_compress(build_raw(entries)); }

}  // namespace pglite::testing
