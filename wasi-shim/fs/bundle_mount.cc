#include "fs/bundle_mount.h"

#include "fs/path.h"

namespace pglite::shim {
namespace {

namespace w = wasi_errno;
using Node = ReadOnlyTree::Node;

constexpr uint32_t kW_OK = 2;

bool is_device(const FileStat& st) { return (st.mode & guest::kS_IFMT) == guest::kS_IFCHR; }

}  // namespace

int BundleMount::mutation_error(std::string_view p, bool creating) const {
  if (tree_.lookup(p).kind != Node::kNone) return -w::kROFS;
  if (!creating) return -w::kNOENT;
  std::string_view parent, name;
  path::split(p, &parent, &name);
  return tree_.lookup(parent).kind == Node::kDir ? -w::kROFS : -w::kNOENT;
}

int BundleMount::open(const MountPath& p, const OpenRequest& req, OpenFilePtr* out) {
  uint32_t flags = req.flags;
  Node n = tree_.lookup(p.guest);
  if (n.kind == Node::kNone) {
    return (flags & guest::kO_CREAT) ? mutation_error(p.guest, true) : -w::kNOENT;
  }
  if ((flags & guest::kO_CREAT) && (flags & guest::kO_EXCL)) return -w::kEXIST;
  bool want_write = (flags & guest::kO_ACCMODE) != guest::kO_RDONLY || (flags & guest::kO_TRUNC);
  std::string guest_path(p.guest);
  FileStat st = tree_.stat(p.guest, n);
  if (n.kind == Node::kDir) {
    if (want_write || (flags & guest::kO_CREAT)) return -w::kISDIR;
    *out = make_dir_file(-1, req.kept_flags, guest_path, tree_.list(p.guest), st);
    return 0;
  }
  if ((flags & guest::kO_DIRECTORY) || p.trailing_slash) return -w::kNOTDIR;
  if (n.kind == Node::kDevice) {
    *out = make_device_file(n.device, req.kept_flags, guest_path, st);
    return 0;
  }
  if (want_write) return -w::kROFS;
  *out = make_bundle_file(tree_.bundle(), n.file, req.kept_flags, guest_path, st);
  return 0;
}

// Nothing here is a symlink, so `follow` changes nothing.
int BundleMount::stat(const MountPath& p, bool, FileStat* st) const {
  Node n = tree_.lookup(p.guest);
  if (n.kind == Node::kNone) return -w::kNOENT;
  if (p.trailing_slash && n.kind != Node::kDir) return -w::kNOTDIR;
  *st = tree_.stat(p.guest, n);
  return 0;
}

int BundleMount::statfs(const MountPath&, FsStat* out) const {
  size_t n = tree_.bundle() != nullptr ? tree_.bundle()->node_count() : 1;
  out->blocks = out->files = n;
  out->fsid = 1;
  out->flags = 1;  // ST_RDONLY
  return 0;
}

int BundleMount::mkdir(const MountPath& p, uint32_t) {
  return tree_.lookup(p.guest).kind != Node::kNone ? -w::kEXIST : mutation_error(p.guest, true);
}

int BundleMount::unlink(const MountPath& p, bool) { return mutation_error(p.guest, false); }

int BundleMount::rename(const MountPath& from, const MountPath&) { return mutation_error(from.guest, false); }

int BundleMount::rename_to_other_mount(const MountPath& from) const {
  return tree_.lookup(from.guest).kind == Node::kNone ? -w::kNOENT : -w::kXDEV;
}

int BundleMount::access(const MountPath& p, uint32_t amode) const {
  bool device = tree_.lookup(p.guest).kind == Node::kDevice;
  return (amode & kW_OK) && !device ? -w::kROFS : 0;
}

int BundleMount::chmod(const MountPath&, uint32_t) { return -w::kROFS; }

int BundleMount::truncate(const MountPath& p, uint64_t) {
  FileStat st;
  if (int e = stat(p, true, &st); e < 0) return e;
  if ((st.mode & guest::kS_IFMT) == guest::kS_IFDIR) return -w::kISDIR;
  return is_device(st) ? 0 : -w::kROFS;
}

int BundleMount::utimens(const MountPath& p, const timespec*) {
  FileStat st;
  if (int e = stat(p, false, &st); e < 0) return e;
  return is_device(st) ? 0 : -w::kROFS;
}

}  // namespace pglite::shim
