// Streaming zstd for the tar layer: a decompressor over a memory buffer and a
// compressor into a file descriptor. Neither throws (they run inside
// libarchive callbacks); failures are reported through error().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct ZSTD_DCtx_s;
struct ZSTD_CCtx_s;

namespace pglite::internal {

/// True if data starts with the zstd frame magic number.
bool has_zstd_magic(const uint8_t* data, size_t size);

class ZstdReader {
 public:
  ZstdReader(const uint8_t* data, size_t size, size_t chunk_size = size_t{1} << 20);
  ~ZstdReader();
  ZstdReader(const ZstdReader&) = delete;
  ZstdReader& operator=(const ZstdReader&) = delete;

  /// Next decompressed chunk (valid until the next call); empty at the end of
  /// the input. Returns false on corrupt or truncated input, see error().
  bool next(std::string_view* chunk);
  const std::string& error() const { return error_; }

 private:
  ZSTD_DCtx_s* dctx_;
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::vector<uint8_t> out_;
  size_t last_hint_ = 0;          // ZSTD_decompressStream result; 0 = frame complete
  bool output_was_full_ = false;  // the decoder may hold more output
  std::string error_;
};

class ZstdFileWriter {
 public:
  /// Compresses into fd (not owned) at the given level, with frame checksums.
  ZstdFileWriter(int fd, int level);
  ~ZstdFileWriter();
  ZstdFileWriter(const ZstdFileWriter&) = delete;
  ZstdFileWriter& operator=(const ZstdFileWriter&) = delete;

  /// Both return false on failure, see error() and error_errno() (0 if the
  /// failure was not an OS error).
  bool write(const void* data, size_t size);
  bool finish();
  const std::string& error() const { return error_; }
  int error_errno() const { return errno_; }

 private:
  bool compress(const void* data, size_t size, bool end);
  bool flush_out(size_t n);

  ZSTD_CCtx_s* cctx_;
  int fd_;
  std::vector<uint8_t> out_;
  std::string error_;
  int errno_ = 0;
};

}  // namespace pglite::internal
