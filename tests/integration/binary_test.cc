// Properties of the shipped artifacts: no wasm runtime or JIT inside, and
// the CLI behaves like psql -c.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

std::string run(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  *status = pclose(p);
  return out;
}

TEST(Binary, LibraryAndCliContainNoWasmRuntime) {
  for (const char* artifact : {PGLITE_LIBRARY_PATH, PGLITE_CLI_PATH}) {
    int status = 0;
    std::string syms = run(std::string("nm -C --defined-only ") + artifact + " 2>/dev/null", &status);
    ASSERT_GT(syms.size(), 100000u) << "nm produced no symbols for " << artifact;
    for (const char* bad :
         {"wasmer", "wasmtime", "v8::", "wabt::interp", "wasm_runtime_", "WasmEdge", "wasm3"}) {
      EXPECT_EQ(syms.find(bad), std::string::npos) << "found " << bad << " in " << artifact;
    }
    // The translated Postgres is there as native code.
    EXPECT_NE(syms.find("Z_pgliteZ_PostgresMainLoopOnce"), std::string::npos) << artifact;
  }
}

TEST(Binary, CliRunsQueryAndReportsErrors) {
  int status = 0;
  std::string out = run(std::string(PGLITE_CLI_PATH) + " -c 'SELECT 1 AS one, 2 AS two' 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("one"), std::string::npos) << out;
  EXPECT_NE(out.find("(1 row)"), std::string::npos) << out;
  out = run(std::string(PGLITE_CLI_PATH) + " -c 'SELECT * FROM nope' 2>&1", &status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("42P01"), std::string::npos) << out;
}

}  // namespace
