#include "archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "fs_util.h"
#include "pglite/error.h"
#include "protocol/sqlstate.h"
#include "tree_writer.h"
#include "zstd_stream.h"

namespace pglite::internal {
namespace {

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;
using EntryPtr = std::unique_ptr<archive_entry, void (*)(archive_entry*)>;

// libarchive's kMiscError (private header): an error that is no errno.
constexpr int kMiscError = -1;

constexpr const char* kSkippedTopLevel[] = {"postmaster.pid", ".pglite.lock"};

std::string archive_message(archive* a) {
  const char* msg = archive_error_string(a);
  std::string out = msg ? msg : "unknown libarchive error";
  int err = archive_errno(a);
  if (err > 0 && out.find(std::strerror(err)) == std::string::npos) {
    out += std::string(" (") + std::strerror(err) + ")";
  }
  return out;
}

[[noreturn]] void throw_archive_io(archive* a, const std::string& what) {
  int err = archive_errno(a);
  throw Error(err > 0 ? sqlstate_for_errno(err) : sqlstate::kIoError, what + ": " + archive_message(a));
}

// ---- writer ----------------------------------------------------------------

// A host file's bytes, checked against the size recorded when listing.
void read_host_file(const std::string& full, uint64_t size, const ArchiveEntry::Writer& write) {
  int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw_os_error("cannot open \"" + full + "\"", errno);
  std::vector<char> buf(size_t{1} << 20);
  uint64_t left = size;
  while (left > 0) {
    ssize_t n = ::read(fd, buf.data(), size_t(std::min<uint64_t>(left, buf.size())));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : 0;
      ::close(fd);
      if (err) throw_os_error("cannot read \"" + full + "\"", err);
      throw Error(sqlstate::kIoError, "cannot archive \"" + full + "\": file shrank while being read");
    }
    try {
      write(buf.data(), size_t(n));
    } catch (...) {
      ::close(fd);
      throw;
    }
    left -= uint64_t(n);
  }
  ::close(fd);
}

void collect(const std::string& root, const std::string& rel, std::vector<ArchiveEntry>* entries) {
  const std::string dir = rel.empty() ? root : root + "/" + rel;
  for (const std::string& name : list_dir(dir)) {
    if (rel.empty() && std::find(std::begin(kSkippedTopLevel), std::end(kSkippedTopLevel), name) !=
                           std::end(kSkippedTopLevel)) {
      continue;
    }
    ArchiveEntry entry;
    entry.rel = rel.empty() ? name : rel + "/" + name;
    const std::string full = root + "/" + entry.rel;
    struct stat st;
    if (::lstat(full.c_str(), &st) != 0) throw_os_error("cannot stat \"" + full + "\"", errno);
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
      throw Error(sqlstate::kIoError,
                  "cannot archive \"" + full + "\": only regular files and directories are supported");
    }
    entry.is_dir = S_ISDIR(st.st_mode);
    entry.mode = st.st_mode & 07777;
    if (!entry.is_dir) {
      entry.size = uint64_t(st.st_size);
      entry.read = [full, size = entry.size](const ArchiveEntry::Writer& w) {
        read_host_file(full, size, w);
      };
    }
    const bool is_dir = entry.is_dir;
    const std::string child = entry.rel;  // entries may reallocate while recursing
    entries->push_back(std::move(entry));
    if (is_dir) collect(root, child, entries);
  }
}

struct WriteSink {
  ZstdFileWriter zstd;
};

la_ssize_t write_callback(archive* a, void* client, const void* buf, size_t len) {
  auto* sink = static_cast<WriteSink*>(client);
  if (!sink->zstd.write(buf, len)) {
    archive_set_error(a, sink->zstd.error_errno() ? sink->zstd.error_errno() : kMiscError, "%s",
                      sink->zstd.error().c_str());
    return -1;
  }
  return la_ssize_t(len);
}

void write_archive(const std::vector<ArchiveEntry>& entries, int fd, int level) {
  WriteSink sink{ZstdFileWriter(fd, level)};
  if (!sink.zstd.error().empty()) throw Error(sqlstate::kIoError, sink.zstd.error());
  ArchivePtr a(archive_write_new(), archive_write_free);
  EntryPtr entry(archive_entry_new(), archive_entry_free);
  if (!a || !entry) throw Error(sqlstate::kIoError, "out of memory creating archive writer");
  if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_open(a.get(), &sink, nullptr, write_callback, nullptr) != ARCHIVE_OK) {
    throw_archive_io(a.get(), "cannot create archive");
  }
  for (const ArchiveEntry& item : entries) {
    archive_entry_clear(entry.get());
    archive_entry_set_pathname(entry.get(), item.rel.c_str());
    archive_entry_set_filetype(entry.get(), item.is_dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry.get(), item.mode & 07777);
    archive_entry_set_size(entry.get(), item.is_dir ? 0 : la_int64_t(item.size));
    archive_entry_set_mtime(entry.get(), 0, 0);
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK) {
      throw_archive_io(a.get(), "cannot add \"" + item.rel + "\" to archive");
    }
    if (item.is_dir) continue;
    uint64_t written = 0;
    item.read([&](const void* data, size_t n) {
      if (archive_write_data(a.get(), data, n) != la_ssize_t(n))
        throw_archive_io(a.get(), "cannot write archive");
      written += n;
    });
    if (written != item.size)
      throw Error(sqlstate::kIoError, "cannot archive \"" + item.rel + "\": its size changed");
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) throw_archive_io(a.get(), "cannot write archive");
  if (!sink.zstd.finish()) {
    throw Error(sink.zstd.error_errno() ? sqlstate_for_errno(sink.zstd.error_errno()) : sqlstate::kIoError,
                "cannot write archive: " + sink.zstd.error());
  }
}

// ---- reader ----------------------------------------------------------------

struct ReadSource {
  ZstdReader zstd;
};

la_ssize_t read_callback(archive* a, void* client, const void** buf) {
  auto* src = static_cast<ReadSource*>(client);
  std::string_view chunk;
  if (!src->zstd.next(&chunk)) {
    archive_set_error(a, kMiscError, "%s", src->zstd.error().c_str());
    return -1;
  }
  *buf = chunk.data();
  return la_ssize_t(chunk.size());
}

[[noreturn]] void refuse(const char* name, const std::string& why) {
  throw Error(sqlstate::kInvalidParameterValue,
              "refusing to extract archive entry \"" + std::string(name ? name : "?") + "\": " + why);
}

// Returns the entry's path relative to the destination ("" for the root
// itself), or throws if it is unsafe.
std::string safe_relative_path(archive_entry* entry) {
  const char* name = archive_entry_pathname(entry);
  if (!name || !*name) refuse(name, "empty or unreadable name");
  std::string_view path(name);
  if (path.front() == '/') refuse(name, "absolute path");
  std::string rel;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") refuse(name, "path contains \"..\"");
    if (!rel.empty()) rel += '/';
    rel += part;
  }

  if (archive_entry_hardlink(entry)) refuse(name, "hard links are not allowed");
  if (archive_entry_symlink(entry)) refuse(name, "symbolic links are not allowed");
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
      break;
    case AE_IFDIR:
      break;
    case AE_IFLNK:
      refuse(name, "symbolic links are not allowed");
    case AE_IFCHR:
    case AE_IFBLK:
      refuse(name, "device nodes are not allowed");
    case AE_IFIFO:
      refuse(name, "fifos are not allowed");
    case AE_IFSOCK:
      refuse(name, "sockets are not allowed");
    default:
      refuse(name, "unsupported entry type");
  }
  if (rel.empty() && archive_entry_filetype(entry) != AE_IFDIR) refuse(name, "empty name");
  return rel;
}

void copy_data(archive* in, EntrySink* out, const std::string& rel) {
  for (;;) {
    const void* buf;
    size_t len;
    la_int64_t offset;
    int r = archive_read_data_block(in, &buf, &len, &offset);
    if (r == ARCHIVE_EOF) return;
    if (r < ARCHIVE_WARN) {
      throw Error(sqlstate::kDataCorrupted,
                  "corrupt archive (in entry \"" + rel + "\"): " + archive_message(in));
    }
    out->write_file_data(buf, len, off_t(offset));
  }
}

void read_entries(const uint8_t* data, size_t size, EntrySink& out) {
  if (size == 0) throw Error(sqlstate::kDataCorrupted, "invalid archive: input is empty");
  if (!has_zstd_magic(data, size)) {
    throw Error(sqlstate::kDataCorrupted, "invalid archive: not a zstd-compressed tar (bad magic number)");
  }
  ReadSource src{ZstdReader(data, size)};
  ArchivePtr in(archive_read_new(), archive_read_free);
  if (!in) throw Error(sqlstate::kIoError, "out of memory creating archive reader");
  archive_read_support_format_tar(in.get());
  if (archive_read_open(in.get(), &src, nullptr, read_callback, nullptr) != ARCHIVE_OK) {
    throw Error(sqlstate::kDataCorrupted, "invalid archive: " + archive_message(in.get()));
  }
  // Reads the rest of the zstd stream: a truncated or corrupt tail (frame
  // checksum) is detected even after the tar reader stopped.
  auto stream_error = [&src] {
    std::string_view rest;
    while (src.zstd.next(&rest) && !rest.empty()) {
    }
    return src.zstd.error();
  };
  archive_entry* entry;
  try {
    for (;;) {
      int r = archive_read_next_header(in.get(), &entry);
      if (r == ARCHIVE_EOF) break;
      if (r < ARCHIVE_WARN)
        throw Error(sqlstate::kDataCorrupted, "invalid archive: " + archive_message(in.get()));
      const std::string rel = safe_relative_path(entry);
      const mode_t mode = archive_entry_perm(entry);
      if (archive_entry_filetype(entry) == AE_IFDIR) {
        if (!rel.empty()) out.directory(rel, mode);  // "" is the root ("./"): left as is
        continue;
      }
      out.begin_file(rel, mode);
      copy_data(in.get(), &out, rel);
      out.end_file(off_t(archive_entry_size(entry)));
    }
  } catch (const Error& e) {
    // Corruption can decode into a nonsensical entry before the checksum
    // at the end is reached: report it as corruption, not as an unsafe entry.
    if (e.sqlstate() != sqlstate::kInvalidParameterValue) throw;
    if (std::string corrupt = stream_error(); !corrupt.empty()) {
      throw Error(sqlstate::kDataCorrupted, "corrupt archive: " + corrupt);
    }
    throw;
  }
  if (std::string corrupt = stream_error(); !corrupt.empty())
    throw Error(sqlstate::kDataCorrupted, "corrupt archive: " + corrupt);
  out.finish();
}

void extract(const uint8_t* data, size_t size, const std::string& dest_dir) {
  make_dirs(dest_dir, 0700);
  // libarchive only parses; the entries are written by TreeWriter, which
  // opens every component with O_NOFOLLOW relative to a directory fd. That is
  // what ARCHIVE_EXTRACT_SECURE_{SYMLINKS,NODOTDOT,NOABSOLUTEPATHS} protect
  // against, without their per-entry path walks (about 7 syscalls per file,
  // which made extracting the template take 2-3x longer).
  TreeWriter out(dest_dir);
  read_entries(data, size, out);
}

}  // namespace

std::vector<ArchiveEntry> directory_entries(const std::string& src_dir) {
  struct stat st;
  if (::stat(src_dir.c_str(), &st) != 0) throw_os_error("cannot archive \"" + src_dir + "\"", errno);
  if (!S_ISDIR(st.st_mode)) throw_os_error("cannot archive \"" + src_dir + "\"", ENOTDIR);
  std::vector<ArchiveEntry> entries;
  collect(src_dir, "", &entries);
  return entries;
}

void write_tar_zst(const std::string& src_dir, const std::string& out_file, int level) {
  write_tar_zst(directory_entries(src_dir), out_file, level);
}

void write_tar_zst(std::vector<ArchiveEntry> entries, const std::string& out_file, int level) {
  std::sort(entries.begin(), entries.end(),
            [](const ArchiveEntry& a, const ArchiveEntry& b) { return a.rel < b.rel; });
  const std::string tmp = out_file + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_os_error("cannot create \"" + tmp + "\"", errno);
  try {
    write_archive(entries, fd, level);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw_os_error("cannot write \"" + tmp + "\"", err);
  }
  if (::rename(tmp.c_str(), out_file.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw_os_error("cannot rename \"" + tmp + "\" to \"" + out_file + "\"", err);
  }
}

void extract_tar_zst(const uint8_t* data, size_t size, const std::string& dest_dir) {
  extract(data, size, dest_dir);
}

namespace {

// Maps `archive_file` read-only and runs `use` on its bytes.
template <typename Fn>
void with_mapped_file(const std::string& archive_file, Fn&& use) {
  int fd = ::open(archive_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_os_error("cannot open archive \"" + archive_file + "\"", errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw_os_error("cannot stat archive \"" + archive_file + "\"", err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(sqlstate::kIoError, "cannot read archive \"" + archive_file + "\": not a regular file");
  }
  size_t size = size_t(st.st_size);
  void* map = size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
  int err = errno;
  ::close(fd);
  if (map == MAP_FAILED) throw_os_error("cannot map archive \"" + archive_file + "\"", err);
  try {
    use(static_cast<const uint8_t*>(map), size);
  } catch (...) {
    if (map) ::munmap(map, size);
    throw;
  }
  if (map) ::munmap(map, size);
}

}  // namespace

void extract_tar_zst(const std::string& archive_file, const std::string& dest_dir) {
  with_mapped_file(archive_file, [&](const uint8_t* data, size_t size) { extract(data, size, dest_dir); });
}

void read_tar_zst(const uint8_t* data, size_t size, EntrySink& sink) { read_entries(data, size, sink); }

void read_tar_zst(const std::string& archive_file, EntrySink& sink) {
  with_mapped_file(archive_file, [&](const uint8_t* data, size_t size) { read_entries(data, size, sink); });
}

}  // namespace pglite::internal
