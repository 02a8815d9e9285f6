// \d NAME's parts shared by describe_table.cc (the columns, the title and
// the footers of each relkind) and describe_table_footers.cc (the footers of
// table-like relations).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "describe_internal.h"

namespace pglite::cli::describe {

// A relation's pg_class facts that decide what \d NAME shows.
struct TableInfo {
  int checks = 0;
  char relkind = 0;
  bool has_index = false;
  bool has_rules = false;
  bool has_triggers = false;
  bool row_security = false;
  bool force_row_security = false;
  bool is_partition = false;
  std::string reloptions;
  std::string tablespace;  // oid, "0" for the default
  std::string reloftype;
  char persistence = 'p';
  char replident = 'd';
  std::optional<std::string> relam;
};

// Whether relkind `kind` is one of `kinds` (psql's relkind tests).
inline bool kind_in(char kind, std::string_view kinds) { return kinds.find(kind) != std::string_view::npos; }

// A rule's definition after "CREATE RULE ".
inline std::string rule_definition(const std::string& create_rule) {
  return create_rule.size() > 12 ? create_rule.substr(12) : create_rule;
}

// add_tablespace_footer(): the tablespace of a relation outside the default
// one, as its own footer or appended to the last one (`newline` false).
void add_tablespace_footer(Session& s, std::vector<std::string>& footers, char relkind,
                           const std::string& tablespace, bool newline);

// Footers of a table-like relation (psql's "Footer information about a
// table"): indexes, constraints, references, policies, statistics, rules,
// publications.
void add_table_footers(Session& s, std::vector<std::string>& footers, const std::string& oid,
                       const TableInfo& info);

void add_trigger_footers(Session& s, std::vector<std::string>& footers, const std::string& oid);

// "Inherits", child tables or partitions, typed table, replica identity,
// tablespace and access method.
void add_inheritance_footers(Session& s, std::vector<std::string>& footers, const std::string& schema,
                             const std::string& oid, const TableInfo& info, bool verbose);

}  // namespace pglite::cli::describe
