// pglite::DumpOptions - what Database::dump() asks pg_dump for.
#pragma once

#include <string>
#include <vector>

namespace pglite {

/// Options for Database::dump(), dump_sql() and dump_bytes(). The dump is
/// made by pg_dump 18 running in this process against the database itself:
/// no port is opened and nothing outside the process can reach it.
struct DumpOptions {
  enum class Format {
    kPlain,   ///< an SQL script (psql can restore it)
    kCustom,  ///< pg_dump's custom archive (-Fc), for pg_restore
    kTar,     ///< a tar archive (-Ft), for pg_restore
  };
  Format format = Format::kPlain;

  bool schema_only = false;                  ///< --schema-only
  bool data_only = false;                    ///< --data-only
  std::vector<std::string> tables;           ///< -t PATTERN: only these tables
  std::vector<std::string> exclude_tables;   ///< -T PATTERN
  std::vector<std::string> schemas;          ///< -n PATTERN: only these schemas
  std::vector<std::string> exclude_schemas;  ///< -N PATTERN
  bool quote_all_identifiers = false;        ///< --quote-all-identifiers
  bool no_owner = false;                     ///< -O: no ALTER ... OWNER
  bool no_privileges = false;                ///< -x: no GRANT/REVOKE
  bool inserts = false;                      ///< --inserts instead of COPY
  bool clean = false;                        ///< --clean --if-exists: drop before create

  /// More pg_dump options, one per element ("--exclude-table-data=log",
  /// "-Z0", ...). Options that would point pg_dump at another server or
  /// another output (host, port, dbname, username, password prompts, jobs,
  /// file, format) are refused with Error 22023; use the fields above.
  std::vector<std::string> extra_args;
};

}  // namespace pglite
