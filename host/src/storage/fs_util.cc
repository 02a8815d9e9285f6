#include "fs_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include "pglite/error.h"
#include "protocol/sqlstate.h"

namespace pglite::internal {

const char* sqlstate_for_errno(int err) {
  if (err == ENOSPC || err == EDQUOT) return sqlstate::kDiskFull;
  return sqlstate::kIoError;
}

void throw_os_error(const std::string& what, int err) {
  throw Error(sqlstate_for_errno(err), what + ": " + std::strerror(err));
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  if (ec) throw_os_error("cannot resolve path \"" + path + "\"", ec.value());
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

void make_dirs(const std::string& path, mode_t mode) {
  std::string prefix;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    prefix = path.substr(0, next);
    pos = next + 1;
    if (prefix.empty()) continue;  // leading "/"
    if (::mkdir(prefix.c_str(), mode) == 0) continue;
    int err = errno;
    struct stat st;
    if (err == EEXIST && ::stat(prefix.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) continue;
      err = ENOTDIR;
    }
    throw_os_error("cannot create directory \"" + prefix + "\"", err);
  }
}

std::vector<std::string> list_dir(const std::string& path) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
  if (!dir) throw_os_error("cannot open directory \"" + path + "\"", errno);
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* de = ::readdir(dir.get())) {
    if (std::strcmp(de->d_name, ".") != 0 && std::strcmp(de->d_name, "..") != 0) {
      names.emplace_back(de->d_name);
    }
    errno = 0;
  }
  if (errno != 0) throw_os_error("cannot read directory \"" + path + "\"", errno);
  return names;
}

std::string read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw_os_error("cannot open file \"" + path + "\"", errno);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw_os_error("cannot read file \"" + path + "\"", err);
    }
    if (n == 0) break;
    out.append(buf, size_t(n));
  }
  ::close(fd);
  return out;
}

bool remove_tree(const std::string& path) noexcept {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  return !ec;
}

}  // namespace pglite::internal
