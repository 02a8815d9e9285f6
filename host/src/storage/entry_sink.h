// Where archive entries go when a tar is read: a directory tree on disk
// (TreeWriter) or an in-memory image (temporary databases).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

namespace pglite::internal {

class EntrySink {
 public:
  virtual ~EntrySink() = default;
  /// rel is a checked relative path ("" never reaches a sink).
  virtual void directory(const std::string& rel, mode_t mode) = 0;
  virtual void begin_file(const std::string& rel, mode_t mode) = 0;
  virtual void write_file_data(const void* data, size_t size, off_t offset) = 0;
  /// size is the entry's full size; data not written reads as zeros.
  virtual void end_file(off_t size) = 0;
  /// After the last entry.
  virtual void finish() = 0;
};

}  // namespace pglite::internal
