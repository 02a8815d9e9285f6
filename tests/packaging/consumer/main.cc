// C++ consumer of an installed pglite: opens a temporary database, runs a
// query, catches an SQL error thrown across the library boundary, splits a
// script, and checks the library's version against the headers'.
#include <cstring>
#include <iostream>
#include <pglite/pglite.hpp>
#include <string>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
  }
}

}  // namespace

int main() {
  check(std::strcmp(pglite::version(), PGLITE_VERSION_STRING) == 0,
        std::string("pglite::version() ") + pglite::version() + " == " + PGLITE_VERSION_STRING);
  check(pglite::version_number() == PGLITE_VERSION_NUMBER, "pglite::version_number()");
  check(std::strcmp(pglite::postgres_version(), PGLITE_POSTGRES_VERSION_STRING) == 0, "postgres_version()");
  try {
    auto db = pglite::Database::temporary();
    pglite::Result r = db.query("SELECT $1::int + 1 AS answer, pg_catalog.version()", 41);
    check(r.rows() == 1 && r.get<int>(0, 0) == 42, "SELECT $1::int + 1");
    std::string version = r.get<std::string>(0, 1);
    check(version.find(std::string("PostgreSQL ") + pglite::postgres_version() + " ") != std::string::npos,
          "version() is " + version);
    try {
      db.exec("SELECT * FROM no_such_table");
      check(false, "an error for a missing table");
    } catch (const pglite::Error& e) {
      check(e.sqlstate() == "42P01", "SQLSTATE 42P01, got " + e.sqlstate());
    }
    pglite::ScriptSplitter::Variables vars{{"n", "7"}};
    pglite::ScriptSplitter splitter(&vars);
    auto pieces = splitter.add_line("SELECT :n; \\echo done");
    check(pieces.size() == 2 && pieces[0].text == "SELECT 7;" &&
              pieces[1].kind == pglite::ScriptSplitter::Piece::Kind::kMeta &&
              pglite::is_copy_from_stdin("COPY t FROM stdin;"),
          "ScriptSplitter");
    db.close();
  } catch (const pglite::Error& e) {
    std::cerr << "FAILED: pglite::Error " << e.sqlstate() << ": " << e.what() << "\n";
    return 1;
  }
  if (failures) return 1;
  std::cout << "ok: pglite " << pglite::version() << " (PostgreSQL " << pglite::postgres_version() << ")\n";
  return 0;
}
