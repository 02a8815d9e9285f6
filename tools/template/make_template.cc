// Build-time tool: creates the template PGDATA with the translated initdb
// and stores it as a .tar.zst that the library embeds.
//   pglite_make_template <out.tar.zst>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "initdb_runner.h"
#include "storage/archive.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <out.tar.zst>\n";
    return 2;
  }
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/pglite-template-XXXXXX";
  if (!mkdtemp(tmpl)) {
    perror("mkdtemp");
    return 1;
  }
  fs::path work = tmpl;
  fs::path data = work / "data";
  fs::path scratch = work / "tmp";
  fs::create_directories(data);
  fs::create_directories(scratch);
  chmod(data.c_str(), 0700);
  int rc = 0;
  try {
    auto result = pglite::tools::run_initdb(data, scratch);
    if (result.exit_code != 0) {
      std::cerr << result.output << "\ninitdb failed with exit code " << result.exit_code << "\n";
      rc = 1;
    } else {
      pglite::internal::write_tar_zst(data, argv[1], 19);
      std::cout << "template written to " << argv[1] << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "pglite_make_template: " << e.what() << "\n";
    rc = 1;
  }
  if (!std::getenv("PGLITE_KEEP_TEMPLATE_DIR")) fs::remove_all(work);
  return rc;
}
