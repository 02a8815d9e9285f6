#include "memory_template.h"

#include <mutex>
#include <string>

#include "fs/memory_dir.h"
#include "pglite/error.h"
#include "storage/archive.h"
#include "storage/entry_sink.h"
#include "storage/template_archive.h"

namespace pglite::internal {
namespace {

class ImageSink final : public EntrySink {
 public:
  explicit ImageSink(shim::MemoryImageBuilder& builder) : builder_(builder) {}
  void directory(const std::string& rel, mode_t mode) override { builder_.add_dir(rel, mode); }
  void begin_file(const std::string& rel, mode_t mode) override {
    rel_ = rel;
    mode_ = mode;
    data_.clear();
  }
  void write_file_data(const void* data, size_t size, off_t offset) override {
    size_t end = size_t(offset) + size;
    if (data_.size() < end) data_.resize(end);
    data_.replace(size_t(offset), size, static_cast<const char*>(data), size);
  }
  void end_file(off_t size) override {
    data_.resize(size_t(size));
    builder_.add_file(rel_, mode_, data_);
  }
  void finish() override {}

 private:
  shim::MemoryImageBuilder& builder_;
  std::string rel_, data_;
  mode_t mode_ = 0;
};

}  // namespace

std::shared_ptr<const shim::MemoryImage> template_image() {
  static std::once_flag once;
  static std::shared_ptr<const shim::MemoryImage> image;
  std::call_once(once, [] {
    TemplateArchive archive = builtin_template();
    shim::MemoryImageBuilder builder;
    ImageSink sink(builder);
    read_tar_zst(archive.data, archive.size, sink);
    image = builder.finish();
  });
  if (!image) throw Error("58030", "the embedded template data directory could not be read");
  return image;
}

std::shared_ptr<shim::MemoryDir> new_memory_data_dir(std::shared_ptr<const shim::MemoryImage> image) {
  return std::make_shared<shim::MemoryDir>(image ? image : template_image());
}

std::shared_ptr<const shim::MemoryImage> snapshot(const shim::MemoryDir& dir) { return dir.snapshot(); }

}  // namespace pglite::internal
