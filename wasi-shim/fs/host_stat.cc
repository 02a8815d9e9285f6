#include "fs/host_stat.h"

namespace pglite::shim {

uint8_t guest_dtype_from_host_mode(mode_t m) {
  if (S_ISDIR(m)) return guest::kDT_DIR;
  if (S_ISREG(m)) return guest::kDT_REG;
  if (S_ISLNK(m)) return guest::kDT_LNK;
  if (S_ISCHR(m)) return guest::kDT_CHR;
  if (S_ISFIFO(m)) return guest::kDT_FIFO;
  return guest::kDT_UNKNOWN;
}

FileStat guest_stat_from_host(const struct stat& s) {
  FileStat g;
  g.dev = static_cast<uint32_t>(s.st_dev);
  // Linux and musl share the S_IF* encoding; keep type, drop group/other.
  g.mode = static_cast<uint32_t>(s.st_mode) & (guest::kS_IFMT | 07700);
  g.nlink = static_cast<uint32_t>(s.st_nlink);
  g.rdev = static_cast<uint32_t>(s.st_rdev);
  g.size = s.st_size;
  g.blocks = s.st_blocks;
  g.ino = s.st_ino;
  g.atime = s.st_atim;
  g.mtime = s.st_mtim;
  g.ctime = s.st_ctim;
  return g;
}

}  // namespace pglite::shim
