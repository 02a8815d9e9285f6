// Database::clone(): an independent temporary database with the origin's
// current contents.
#include "api/database_impl.h"
#include "fs/memory_dir.h"
#include "pglite/database.h"
#include "protocol/sqlstate.h"
#include "storage/data_dir.h"
#include "template/memory_template.h"

namespace pglite {

Database Database::clone() {
  return impl().with_session([&](internal::Session& session) {
    if (session.transaction_status() != 'I') {
      throw Error(sqlstate::kActiveSqlTransaction,
                  "cannot clone a database inside a transaction block: commit or roll back first");
    }
    auto impl = std::make_unique<Impl>();
    impl->options = impl_->options;
    impl->listeners = impl_->listeners;  // the session's LISTENs are copied too
    // In memory: a copy of the running backend, memory and files shared
    // copy-on-write.
    if ((impl->session = session.clone())) return Database(std::move(impl));
    // On disk: a new backend on a copy of the files, which are a clean state
    // to start from after a checkpoint.
    session.simple_query("CHECKPOINT").throw_if_error();
    std::shared_ptr<const shim::MemoryImage> image =
        session.data_dir() ? internal::image_from_directory(session.data_dir()->path())
                           : internal::snapshot(*session.memory_data_dir());
    impl->session = internal::start_session(nullptr, impl->options, std::move(image));
    return Database(std::move(impl));
  });
}

}  // namespace pglite
