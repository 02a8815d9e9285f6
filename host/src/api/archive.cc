// Database physical archives: the data directory as a .tar.zst, written
// after a checkpoint, and databases started from one.
#include "storage/archive.h"

#include "api/database_impl.h"
#include "fs/memory_dir.h"
#include "pglite/database.h"
#include "protocol/sqlstate.h"
#include "storage/data_dir.h"
#include "template/memory_template.h"

namespace pglite {

Database Database::open_from_archive(const std::string& archive, const std::string& path,
                                     const Options& options) {
  if (path.empty())
    throw Error(sqlstate::kIoError, "open_from_archive() needs a path; use temporary_from_archive()");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->session = internal::start_session(internal::DataDir::from_archive(archive, path), options);
  return Database(std::move(impl));
}

Database Database::temporary_from_archive(const std::string& archive, const Options& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->session = internal::start_session(nullptr, options, internal::image_from_archive(archive));
  return Database(std::move(impl));
}

void Database::export_archive(const std::string& path) {
  impl().with_session([&](internal::Session& session) {
    if (session.transaction_status() != 'I') {
      throw Error(sqlstate::kActiveSqlTransaction,
                  "cannot export an archive inside a transaction block: commit or roll back first");
    }
    // After a checkpoint every change is in the data files and nothing runs
    // until the lock is released, so the copy is a consistent, clean state.
    session.simple_query("CHECKPOINT").throw_if_error();
    if (const internal::DataDir* dir = session.data_dir()) {
      internal::write_tar_zst(dir->path(), path);
    } else {
      internal::write_tar_zst(internal::archive_entries(*internal::snapshot(*session.memory_data_dir())),
                              path);
    }
  });
}

}  // namespace pglite
