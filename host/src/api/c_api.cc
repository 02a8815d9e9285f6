// The C API (pglite/pglite.h) over pglite::Database. Every entry point
// catches everything: no exception crosses the C boundary.
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "pglite/database.h"
#include "pglite/pglite.h"
#include "protocol/sqlstate.h"

struct pglite_db {
  std::optional<pglite::Database> db;
  int code = PGLITE_OK;
  std::string message;
  std::string sqlstate = pglite::sqlstate::kSuccess;
  std::string detail;
  std::string hint;
};

struct pglite_result {
  pglite::Result result;
};

namespace {

void set_status(pglite_db* h, int code, const char* sqlstate, const char* message, const char* detail = "",
                const char* hint = "") noexcept {
  h->code = code;
  try {
    h->sqlstate = sqlstate;
    h->message = message;
    h->detail = detail;
    h->hint = hint;
  } catch (...) {
    h->code = PGLITE_NOMEM;
    h->sqlstate.clear();
    h->message.clear();
    h->detail.clear();
    h->hint.clear();
  }
}

int misuse(pglite_db* h, const char* message) noexcept {
  set_status(h, PGLITE_MISUSE, pglite::sqlstate::kExternalRoutineInvocationException, message);
  return PGLITE_MISUSE;
}

int code_for(pglite_db* h, const pglite::Error& e) noexcept {
  if (e.sqlstate() == pglite::sqlstate::kObjectInUse) return PGLITE_BUSY;
  if (e.sqlstate() == pglite::sqlstate::kConnectionDoesNotExist) return PGLITE_MISUSE;
  if (h->db && h->db->broken()) return PGLITE_BROKEN;
  return PGLITE_ERROR;
}

/// Runs `f` on handle `h`, recording success or the failure it threw.
template <typename F>
int guarded(pglite_db* h, F&& f) noexcept {
  try {
    f();
    set_status(h, PGLITE_OK, pglite::sqlstate::kSuccess, "");
  } catch (const pglite::Error& e) {
    set_status(h, code_for(h, e), e.sqlstate().c_str(), e.message().c_str(), e.detail().c_str(),
               e.hint().c_str());
  } catch (const std::bad_alloc&) {
    set_status(h, PGLITE_NOMEM, pglite::sqlstate::kOutOfMemory, "out of memory");
  } catch (const std::exception& e) {
    set_status(h, PGLITE_ERROR, pglite::sqlstate::kInternalError, e.what());
  } catch (...) {
    set_status(h, PGLITE_ERROR, pglite::sqlstate::kInternalError, "unknown error");
  }
  return h->code;
}

pglite::Options to_options(const pglite_options* o) {
  pglite::Options out;
  if (o == nullptr) return out;
  for (int i = 0; o->settings != nullptr && i < o->nsettings; ++i) {
    const pglite_setting& s = o->settings[i];
    if (s.name != nullptr && s.value != nullptr) out.settings.emplace_back(s.name, s.value);
  }
  out.relaxed_durability = o->relaxed_durability != 0;
  out.memory_limit = o->memory_limit;
  for (int i = 0; o->extensions != nullptr && i < o->nextensions; ++i) {
    if (o->extensions[i] != nullptr) out.extensions.emplace_back(o->extensions[i]);
  }
  if (o->user != nullptr) out.user = o->user;
  if (o->database != nullptr) out.database = o->database;
  if (pglite_notice_fn fn = o->on_notice) {
    void* ctx = o->callback_ctx;
    out.on_notice = [fn, ctx](const pglite::Notice& n) {
      fn(ctx, n.severity.c_str(), n.sqlstate.c_str(), n.message.c_str());
    };
  }
  if (pglite_notification_fn fn = o->on_notification) {
    void* ctx = o->callback_ctx;
    out.on_notification = [fn, ctx](const pglite::Notification& n) {
      fn(ctx, n.channel.c_str(), n.payload.c_str(), n.pid);
    };
  }
  return out;
}

template <typename Open>
int open_with(pglite_db** out, Open&& open) noexcept {
  if (out == nullptr) return PGLITE_MISUSE;
  *out = new (std::nothrow) pglite_db;
  if (*out == nullptr) return PGLITE_NOMEM;
  pglite_db* h = *out;
  return guarded(h, [&] { h->db.emplace(open()); });
}

void deliver(pglite::Result&& r, pglite_result** result) {
  if (result != nullptr) *result = new pglite_result{std::move(r)};
}

bool in_range(const pglite_result* r, long long row, int col) {
  return r != nullptr && row >= 0 && col >= 0 && static_cast<unsigned long long>(row) < r->result.rows() &&
         static_cast<std::size_t>(col) < r->result.cols();
}

}  // namespace

extern "C" {

int pglite_open_temporary(pglite_db** db, const pglite_options* options) {
  return open_with(db, [&] { return pglite::Database::temporary(to_options(options)); });
}

int pglite_open(const char* path, pglite_db** db, const pglite_options* options) {
  if (path == nullptr) {
    if (db != nullptr) *db = nullptr;
    return PGLITE_MISUSE;
  }
  return open_with(db, [&] { return pglite::Database::open(path, to_options(options)); });
}

int pglite_close(pglite_db* db) {
  if (db == nullptr) return PGLITE_OK;
  int rc = guarded(db, [&] {
    if (db->db) db->db->close();
  });
  delete db;
  return rc;
}

int pglite_exec(pglite_db* db, const char* sql) { return pglite_exec_result(db, sql, nullptr); }

int pglite_exec_result(pglite_db* db, const char* sql, pglite_result** result) {
  if (result != nullptr) *result = nullptr;
  if (db == nullptr) return PGLITE_MISUSE;
  if (sql == nullptr) return misuse(db, "sql is NULL");
  if (!db->db) return misuse(db, "database is not open");
  return guarded(db, [&] { deliver(db->db->exec(sql), result); });
}

int pglite_query(pglite_db* db, const char* sql, int nparams, const char* const* values,
                 pglite_result** result) {
  if (result != nullptr) *result = nullptr;
  if (db == nullptr) return PGLITE_MISUSE;
  if (sql == nullptr) return misuse(db, "sql is NULL");
  if (nparams < 0 || (nparams > 0 && values == nullptr)) return misuse(db, "invalid parameters");
  if (!db->db) return misuse(db, "database is not open");
  return guarded(db, [&] {
    std::vector<pglite::Param> params;
    params.reserve(static_cast<std::size_t>(nparams));
    for (int i = 0; i < nparams; ++i) {
      params.push_back(values[i] == nullptr ? pglite::Param::null() : pglite::Param::text(values[i]));
    }
    deliver(db->db->query(sql, params), result);
  });
}

int pglite_exec_script(pglite_db* db, const char* script) {
  if (db == nullptr) return PGLITE_MISUSE;
  if (script == nullptr) return misuse(db, "script is NULL");
  if (!db->db) return misuse(db, "database is not open");
  return guarded(db, [&] { db->db->exec_script(script); });
}

int pglite_dump_sql(pglite_db* db, int nargs, const char* const* args, char** sql, size_t* len) {
  if (sql != nullptr) *sql = nullptr;
  if (len != nullptr) *len = 0;
  if (db == nullptr) return PGLITE_MISUSE;
  if (sql == nullptr || nargs < 0 || (nargs > 0 && args == nullptr)) return misuse(db, "invalid arguments");
  if (!db->db) return misuse(db, "database is not open");
  return guarded(db, [&] {
    pglite::DumpOptions options;
    for (int i = 0; i < nargs; ++i) {
      if (args[i] == nullptr)
        throw pglite::Error(pglite::sqlstate::kInvalidParameterValue, "pg_dump argument is NULL");
      options.extra_args.emplace_back(args[i]);
    }
    std::string out = db->db->dump_sql(options);
    char* copy = static_cast<char*>(std::malloc(out.size() + 1));
    if (copy == nullptr) throw std::bad_alloc();
    std::memcpy(copy, out.c_str(), out.size() + 1);
    *sql = copy;
    if (len != nullptr) *len = out.size();
  });
}

int pglite_export_archive(pglite_db* db, const char* path) {
  if (db == nullptr) return PGLITE_MISUSE;
  if (path == nullptr) return misuse(db, "path is NULL");
  if (!db->db) return misuse(db, "database is not open");
  return guarded(db, [&] { db->db->export_archive(path); });
}

int pglite_open_from_archive(const char* archive, const char* path, pglite_db** db,
                             const pglite_options* options) {
  if (archive == nullptr) {
    if (db != nullptr) *db = nullptr;
    return PGLITE_MISUSE;
  }
  return open_with(db, [&] {
    return path == nullptr ? pglite::Database::temporary_from_archive(archive, to_options(options))
                           : pglite::Database::open_from_archive(archive, path, to_options(options));
  });
}

int pglite_clone(pglite_db* db, pglite_db** out) {
  if (db == nullptr || !db->db) {
    if (out != nullptr) *out = nullptr;
    return db == nullptr ? PGLITE_MISUSE : misuse(db, "database is not open");
  }
  return open_with(out, [&] { return db->db->clone(); });
}

int pglite_in_transaction(pglite_db* db) {
  if (db == nullptr || !db->db) return 0;
  return db->db->in_transaction() ? 1 : 0;
}

int pglite_errcode(pglite_db* db) { return db == nullptr ? PGLITE_NOMEM : db->code; }
const char* pglite_errmsg(pglite_db* db) { return db == nullptr ? "out of memory" : db->message.c_str(); }
const char* pglite_sqlstate(pglite_db* db) {
  return db == nullptr ? pglite::sqlstate::kOutOfMemory : db->sqlstate.c_str();
}
const char* pglite_errdetail(pglite_db* db) { return db == nullptr ? "" : db->detail.c_str(); }
const char* pglite_errhint(pglite_db* db) { return db == nullptr ? "" : db->hint.c_str(); }

// The generated list is already a NULL-terminated static array.
extern "C" const char* const pgl_extension_names[];
const char* const* pglite_available_extensions(void) { return pgl_extension_names; }

const char* pglite_errstr(int code) {
  switch (code) {
    case PGLITE_OK:
      return "not an error";
    case PGLITE_ERROR:
      return "SQL or host error";
    case PGLITE_MISUSE:
      return "library misuse";
    case PGLITE_BROKEN:
      return "database instance is broken";
    case PGLITE_NOMEM:
      return "out of memory";
    case PGLITE_BUSY:
      return "data directory is locked by another process";
  }
  return "unknown status code";
}

long long pglite_result_nrows(const pglite_result* r) {
  return r == nullptr ? 0 : static_cast<long long>(r->result.rows());
}

int pglite_result_ncols(const pglite_result* r) {
  return r == nullptr ? 0 : static_cast<int>(r->result.cols());
}

const char* pglite_result_column_name(const pglite_result* r, int col) {
  if (r == nullptr || col < 0 || static_cast<std::size_t>(col) >= r->result.cols()) return nullptr;
  return r->result.columns()[static_cast<std::size_t>(col)].name.c_str();
}

unsigned int pglite_result_column_type(const pglite_result* r, int col) {
  if (r == nullptr || col < 0 || static_cast<std::size_t>(col) >= r->result.cols()) return 0;
  return r->result.columns()[static_cast<std::size_t>(col)].type_oid;
}

const char* pglite_result_value(const pglite_result* r, long long row, int col) {
  if (!in_range(r, row, col)) return nullptr;
  try {
    auto v = r->result.value(static_cast<std::size_t>(row), static_cast<std::size_t>(col));
    return v ? v->data() : nullptr;  // Result guarantees a NUL after each value
  } catch (...) {
    return nullptr;
  }
}

int pglite_result_value_length(const pglite_result* r, long long row, int col) {
  if (!in_range(r, row, col)) return -1;
  try {
    auto v = r->result.value(static_cast<std::size_t>(row), static_cast<std::size_t>(col));
    return v ? static_cast<int>(v->size()) : -1;
  } catch (...) {
    return -1;
  }
}

int pglite_result_is_null(const pglite_result* r, long long row, int col) {
  if (!in_range(r, row, col)) return 1;
  try {
    return r->result.is_null(static_cast<std::size_t>(row), static_cast<std::size_t>(col)) ? 1 : 0;
  } catch (...) {
    return 1;
  }
}

const char* pglite_result_command_tag(const pglite_result* r) {
  return r == nullptr ? "" : r->result.command_tag().c_str();
}

long long pglite_result_affected_rows(const pglite_result* r) {
  return r == nullptr ? 0 : static_cast<long long>(r->result.affected_rows());
}

void pglite_result_free(pglite_result* r) { delete r; }

}  // extern "C"
