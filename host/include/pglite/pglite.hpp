// pglite-native C++ API: embedded PostgreSQL 17.
//
//   auto db = pglite::Database::temporary();
//   db.exec("CREATE TABLE t (id int PRIMARY KEY, name text)");
//   db.query("INSERT INTO t VALUES ($1, $2)", 1, "one");
//   for (const pglite::Row& row : db.query("SELECT id, name FROM t"))
//     std::cout << row.get<int>(0) << " " << row.get<std::string>(1) << "\n";
#pragma once

#include "pglite/database.h"
#include "pglite/error.h"
#include "pglite/extensions.h"
#include "pglite/notice.h"
#include "pglite/options.h"
#include "pglite/result.h"
#include "pglite/script.h"
#include "pglite/transaction.h"
#include "pglite/value.h"
#include "pglite/version.h"
