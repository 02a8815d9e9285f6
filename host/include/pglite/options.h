// pglite::Options - how a Database is started.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "pglite/notice.h"

namespace pglite {

struct Options {
  /// Server settings (GUCs) passed at startup as `-c name=value`, in order,
  /// e.g. {{"work_mem", "64MB"}}.
  std::vector<std::pair<std::string, std::string>> settings;

  /// Run with fsync=off: much faster writes, and data is safe once close()
  /// returns, but an OS crash or power loss while open can corrupt the
  /// database. Off by default, also for temporary databases.
  bool relaxed_durability = false;

  /// Extensions to have in the database, created at open (CREATE EXTENSION
  /// IF NOT EXISTS ... CASCADE) if missing; see available_extensions(). A
  /// temporary database starts from a template that already has them, made
  /// once per process for each set.
  std::vector<std::string> extensions;

  /// Upper bound on the instance's memory (its wasm linear memory), in
  /// bytes; 0 means the module's own maximum, 2 GiB (512 MiB on a 32-bit
  /// host, whose address space must hold it). A statement that needs
  /// more fails with "out of memory" (SQLSTATE 53200) and the database stays
  /// usable. The module starts with 128 MiB, so a smaller limit is refused
  /// (22023); shared memory (shared_buffers, 128MB by default, and about
  /// 20 MB more) comes out of the same memory.
  size_t memory_limit = 0;

  std::string user = "postgres";
  std::string database = "postgres";

  /// Host directories that server-side file access may use (COPY ... FROM
  /// or TO a file, pg_read_file, lo_import/lo_export), each read-write at
  /// its own absolute path. Empty by default: such statements reach nothing
  /// on the host. Paths must be absolute existing directories, not "/".
  std::vector<std::string> host_directories;

  /// Called for every NoticeResponse (WARNING, NOTICE, ...) after the call
  /// that produced it has finished, on the calling thread. May be empty.
  std::function<void(const Notice&)> on_notice;

  /// Called for every notification on any channel, in addition to the
  /// callbacks registered with Database::listen(). May be empty.
  std::function<void(const Notification&)> on_notification;
};

}  // namespace pglite
