// The read-only part of the guest namespace: the bundle, the devices under
// /dev and directories implied by mount points (so "/pglite" exists even if
// the bundle only has "/pglite/share"). Lookups never touch the host.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fs/bundle.h"
#include "fs/guest_abi.h"
#include "fs/open_file.h"

namespace pglite::shim {

class ReadOnlyTree {
 public:
  struct Node {
    enum Kind { kNone, kDir, kFile, kDevice } kind = kNone;
    const Bundle::Node* file = nullptr;  // kFile
    Device device = Device::kNull;       // kDevice
  };

  ReadOnlyTree();

  void set_bundle(std::shared_ptr<const Bundle> bundle) { bundle_ = std::move(bundle); }
  const std::shared_ptr<const Bundle>& bundle() const { return bundle_; }
  /// Adds a directory (and its ancestors) that exists regardless of the bundle.
  void add_dir(std::string_view path);

  static bool is_device(std::string_view path);
  /// Node at a normalised absolute path (kind kNone if absent).
  Node lookup(std::string_view path) const;
  FileStat stat(std::string_view path, const Node& node) const;
  /// Entries of directory `path`, including "." and "..".
  std::vector<DirEntry> list(std::string_view path) const;

 private:
  std::shared_ptr<const Bundle> bundle_;
  std::map<std::string, std::set<std::string>, std::less<>> dirs_;  // dir -> child names
};

}  // namespace pglite::shim
