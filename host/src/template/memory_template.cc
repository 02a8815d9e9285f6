#include "template/memory_template.h"

#include <algorithm>
#include <mutex>
#include <string>

#include "fs/memory_dir.h"
#include "fs/memory_image.h"
#include "pglite/error.h"
#include "protocol/sqlstate.h"
#include "storage/archive.h"
#include "storage/data_dir.h"
#include "storage/entry_sink.h"
#include "template/template_archive.h"

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

// An image of what `read` feeds into a sink (a tar.zst, read with its checks).
template <typename Read>
std::shared_ptr<const shim::MemoryImage> build_image(Read&& read) {
  shim::MemoryImageBuilder builder;
  ImageSink sink(builder);
  read(sink);
  return builder.finish();
}

}  // namespace

std::shared_ptr<const shim::MemoryImage> template_image() {
  static std::once_flag once;
  static std::shared_ptr<const shim::MemoryImage> image;
  std::call_once(once, [] {
    TemplateArchive archive = builtin_template();
    image = build_image([&](EntrySink& sink) { read_tar_zst(archive.data, archive.size, sink); });
  });
  if (!image) throw Error(sqlstate::kIoError, "the embedded template data directory could not be read");
  return image;
}

std::shared_ptr<shim::MemoryDir> new_memory_data_dir(std::shared_ptr<const shim::MemoryImage> image) {
  return std::make_shared<shim::MemoryDir>(image ? image : template_image());
}

std::shared_ptr<const shim::MemoryImage> snapshot(const shim::MemoryDir& dir) { return dir.snapshot(); }

namespace {

// Hands a file's blocks to `write`, zeros for unstored blocks.
void write_blocks(const shim::MemoryBlockList* blocks, uint64_t size, const ArchiveEntry::Writer& write) {
  static const shim::MemoryBlock kZeros{};
  for (uint64_t off = 0, i = 0; off < size; off += shim::kMemoryBlockSize, ++i) {
    const shim::MemoryBlock* b = blocks && i < blocks->size() && (*blocks)[i] ? (*blocks)[i].get() : &kZeros;
    write(b->bytes.data(), size_t(std::min<uint64_t>(shim::kMemoryBlockSize, size - off)));
  }
}

void add_entries(const shim::MemoryImage::Node& dir, const std::string& prefix,
                 std::vector<ArchiveEntry>* out) {
  for (const shim::MemoryImage::Node& n : dir.children) {
    if (prefix.empty() && n.name == "postmaster.pid") continue;
    ArchiveEntry e;
    e.rel = prefix.empty() ? n.name : prefix + "/" + n.name;
    e.is_dir = n.is_dir;
    e.mode = n.mode;
    if (!n.is_dir) {
      e.size = n.size;
      e.read = [blocks = n.blocks, size = n.size](const ArchiveEntry::Writer& w) {
        write_blocks(blocks.get(), size, w);
      };
    }
    const std::string rel = e.rel;  // `out` may reallocate while recursing
    out->push_back(std::move(e));
    if (n.is_dir) add_entries(n, rel, out);
  }
}

}  // namespace

std::shared_ptr<const shim::MemoryImage> image_from_archive(const std::string& archive_file) {
  std::shared_ptr<const shim::MemoryImage> image =
      build_image([&](EntrySink& sink) { read_tar_zst(archive_file, sink); });
  const std::string what = "archive \"" + archive_file + "\"";
  for (const shim::MemoryImage::Node& n : image->root().children) {
    if (n.name != "PG_VERSION" || n.is_dir) continue;
    std::string version;
    write_blocks(n.blocks.get(), std::min<uint64_t>(n.size, 64),
                 [&](const void* d, size_t len) { version.append(static_cast<const char*>(d), len); });
    check_major_version(version, what);
    return image;
  }
  throw Error(sqlstate::kObjectNotInPrerequisiteState,
              what + " is not a PostgreSQL data directory (it has no PG_VERSION)");
}

std::shared_ptr<const shim::MemoryImage> image_from_directory(const std::string& dir) {
  return build_image([&](EntrySink& sink) {
    for (const ArchiveEntry& e : directory_entries(dir)) {  // parents come first
      if (e.is_dir) {
        sink.directory(e.rel, e.mode);
        continue;
      }
      sink.begin_file(e.rel, e.mode);
      off_t at = 0;
      e.read([&](const void* data, size_t size) {
        sink.write_file_data(data, size, at);
        at += off_t(size);
      });
      sink.end_file(off_t(e.size));
    }
    sink.finish();
  });
}

std::vector<ArchiveEntry> archive_entries(const shim::MemoryImage& image) {
  std::vector<ArchiveEntry> entries;
  add_entries(image.root(), "", &entries);
  return entries;
}

}  // namespace pglite::internal
