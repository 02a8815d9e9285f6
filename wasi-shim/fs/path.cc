#include "fs/path.h"

#include <vector>

#include "fs/errno_wasi.h"
#include "fs/guest_abi.h"

namespace pglite::shim::path {

int normalize(std::string_view base, std::string_view path, std::string* out, bool* trailing_slash) {
  if (path.empty()) return -wasi_errno::kNOENT;
  if (path.size() >= guest::kPathMax) return -wasi_errno::kNAMETOOLONG;
  if (trailing_slash != nullptr) *trailing_slash = path.back() == '/';
  std::vector<std::string_view> parts;
  auto push_all = [&parts](std::string_view s) -> int {
    size_t i = 0;
    while (i <= s.size()) {
      size_t j = s.find('/', i);
      if (j == std::string_view::npos) j = s.size();
      std::string_view c = s.substr(i, j - i);
      i = j + 1;
      if (c.empty() || c == ".") continue;
      if (c.size() > guest::kDirentNameMax) return -wasi_errno::kNAMETOOLONG;
      if (c == "..") {
        if (!parts.empty()) parts.pop_back();
      } else {
        parts.push_back(c);
      }
    }
    return 0;
  };
  if (path.front() != '/') {
    if (int r = push_all(base); r < 0) return r;
  }
  if (int r = push_all(path); r < 0) return r;
  std::string s;
  for (std::string_view c : parts) {
    s += '/';
    s += c;
  }
  if (s.empty()) s = "/";
  if (s.size() >= guest::kPathMax) return -wasi_errno::kNAMETOOLONG;
  *out = std::move(s);
  return 0;
}

bool is_under(std::string_view p, std::string_view prefix) {
  if (prefix == "/") return true;
  if (p.size() < prefix.size() || p.substr(0, prefix.size()) != prefix) return false;
  return p.size() == prefix.size() || p[prefix.size()] == '/';
}

std::string_view relative_to(std::string_view p, std::string_view prefix) {
  if (prefix == "/") return p.substr(1);
  if (p.size() == prefix.size()) return {};
  return p.substr(prefix.size() + 1);
}

void split(std::string_view p, std::string_view* parent, std::string_view* name) {
  size_t slash = p.rfind('/');
  if (slash == std::string_view::npos || p == "/") {
    *parent = "/";
    *name = {};
    return;
  }
  *parent = slash == 0 ? std::string_view("/") : p.substr(0, slash);
  *name = p.substr(slash + 1);
}

}  // namespace pglite::shim::path
