// PGDATA <-> .tar.zst. The writer is used at build time to produce the
// embedded template; the reader unpacks templates and user-supplied archives
// and refuses anything that could write outside the destination.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "entry_sink.h"

namespace pglite::internal {

/// Packs the tree under src_dir into a zstd-compressed (pax) tar at out_file.
/// Entries are relative paths in sorted order with modes preserved; owner,
/// group and mtime are zeroed so the output is deterministic. Only regular
/// files and directories are accepted (anything else throws); the lock files
/// postmaster.pid and .pglite.lock at the top level are skipped. Writes
/// out_file + ".tmp" and renames it into place.
/// Throws pglite::Error (58030, or 53100 when the disk is full).
void write_tar_zst(const std::string& src_dir, const std::string& out_file, int level = 3);

/// One entry for the second write_tar_zst(): a directory, or a regular file
/// whose `read` hands exactly `size` bytes to its writer, in order.
struct ArchiveEntry {
  using Writer = std::function<void(const void* data, size_t size)>;
  std::string rel;
  bool is_dir = false;
  uint32_t mode = 0;  ///< permission bits
  uint64_t size = 0;
  std::function<void(const Writer&)> read;
};

/// The tree under src_dir as entries (files read when written), with the
/// same rules as the first write_tar_zst(): regular files and directories
/// only, lock files skipped.
std::vector<ArchiveEntry> directory_entries(const std::string& src_dir);

/// Packs `entries` (any order; written sorted, parents first) the same way,
/// e.g. an in-memory data directory.
void write_tar_zst(std::vector<ArchiveEntry> entries, const std::string& out_file, int level = 3);

/// Unpacks a .tar.zst into dest_dir, creating it (mode 0700) if needed.
/// Existing files are never overwritten and symlinks already on disk are never
/// followed. Modes are restored without set-id/sticky bits, and owner rw(x) is
/// always kept. The whole zstd stream is read and its checksum verified.
/// Throws pglite::Error:
///   22023  an entry is absolute, contains "..", or is not a regular file or
///          directory (symlink, hard link, device, fifo, socket); the message
///          names the entry. Entries before it may already have been written.
///   XX001  the input is not a (zstd-compressed) tar, or is corrupt/truncated.
///   58030  I/O error writing dest_dir (53100 when the disk is full).
void extract_tar_zst(const uint8_t* data, size_t size, const std::string& dest_dir);
void extract_tar_zst(const std::string& archive_file, const std::string& dest_dir);

/// Reads a .tar.zst into any sink, with the same checks as extraction
/// (unsafe entries and corrupt input throw pglite::Error).
void read_tar_zst(const uint8_t* data, size_t size, EntrySink& sink);
void read_tar_zst(const std::string& archive_file, EntrySink& sink);

}  // namespace pglite::internal
