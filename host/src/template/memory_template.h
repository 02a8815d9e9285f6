// The template PGDATA as an in-memory image, for temporary databases: built
// once per process from the embedded archive, then every temporary database
// is a copy-on-write view of it (no files are created).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/archive.h"

namespace pglite::shim {
class MemoryDir;
class MemoryImage;
}  // namespace pglite::shim

namespace pglite::internal {

/// Throws pglite::Error if the embedded template cannot be read.
std::shared_ptr<const shim::MemoryImage> template_image();

/// A fresh, private PGDATA for one temporary database: a copy-on-write view
/// of `image`, or of the template when null.
std::shared_ptr<shim::MemoryDir> new_memory_data_dir(
    std::shared_ptr<const shim::MemoryImage> image = nullptr);

/// What an in-memory PGDATA holds now, as an image to start others from.
std::shared_ptr<const shim::MemoryImage> snapshot(const shim::MemoryDir& dir);

/// A data directory archive (see write_tar_zst) as an image, after the same
/// checks as extraction plus PG_VERSION (Error 55000 if missing or foreign).
std::shared_ptr<const shim::MemoryImage> image_from_archive(const std::string& archive_file);

/// A data directory on disk as an image (its files are read now); the lock
/// files are left out.
std::shared_ptr<const shim::MemoryImage> image_from_directory(const std::string& dir);

/// The image's files as archive entries (sharing its blocks), without the
/// running server's postmaster.pid.
std::vector<ArchiveEntry> archive_entries(const shim::MemoryImage& image);

}  // namespace pglite::internal
