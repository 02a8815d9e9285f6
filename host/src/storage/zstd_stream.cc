#include "zstd_stream.h"

#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

namespace pglite::internal {

bool has_zstd_magic(const uint8_t* data, size_t size) {
  static constexpr uint8_t kMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};  // 0xFD2FB528 LE
  return size >= 4 && std::memcmp(data, kMagic, 4) == 0;
}

ZstdReader::ZstdReader(const uint8_t* data, size_t size, size_t chunk_size)
    : dctx_(ZSTD_createDCtx()), data_(data), size_(size), out_(chunk_size) {
  if (!dctx_) error_ = "out of memory creating zstd decoder";
}

ZstdReader::~ZstdReader() { ZSTD_freeDCtx(dctx_); }

bool ZstdReader::next(std::string_view* chunk) {
  *chunk = {};
  if (!error_.empty()) return false;
  for (;;) {
    if (pos_ == size_ && !output_was_full_) {
      if (last_hint_ != 0) {
        error_ = "truncated zstd stream";
        return false;
      }
      return true;  // end of input, last frame complete
    }
    ZSTD_inBuffer in{data_, size_, pos_};
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    size_t r = ZSTD_decompressStream(dctx_, &out, &in);
    if (ZSTD_isError(r)) {
      error_ = std::string("corrupt zstd stream: ") + ZSTD_getErrorName(r);
      return false;
    }
    pos_ = in.pos;
    last_hint_ = r;
    output_was_full_ = out.pos == out.size;
    if (out.pos > 0) {
      *chunk = std::string_view(reinterpret_cast<const char*>(out_.data()), out.pos);
      return true;
    }
  }
}

ZstdFileWriter::ZstdFileWriter(int fd, int level)
    : cctx_(ZSTD_createCCtx()), fd_(fd), out_(ZSTD_CStreamOutSize() * 8) {
  if (!cctx_) {
    error_ = "out of memory creating zstd encoder";
    return;
  }
  size_t r = ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
  if (!ZSTD_isError(r)) r = ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
  if (ZSTD_isError(r)) error_ = std::string("zstd: ") + ZSTD_getErrorName(r);
}

ZstdFileWriter::~ZstdFileWriter() { ZSTD_freeCCtx(cctx_); }

bool ZstdFileWriter::write(const void* data, size_t size) { return compress(data, size, false); }

bool ZstdFileWriter::finish() { return compress(nullptr, 0, true); }

bool ZstdFileWriter::compress(const void* data, size_t size, bool end) {
  if (!error_.empty()) return false;
  ZSTD_inBuffer in{data, size, 0};
  for (;;) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    size_t r = ZSTD_compressStream2(cctx_, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(r)) {
      error_ = std::string("zstd compression failed: ") + ZSTD_getErrorName(r);
      return false;
    }
    if (!flush_out(out.pos)) return false;
    if (end ? r == 0 : in.pos == in.size) return true;
  }
}

bool ZstdFileWriter::flush_out(size_t n) {
  const uint8_t* p = out_.data();
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      errno_ = errno;
      error_ = std::strerror(errno_);
      return false;
    }
    p += w;
    n -= size_t(w);
  }
  return true;
}

}  // namespace pglite::internal
