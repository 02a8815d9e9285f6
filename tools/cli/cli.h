// Entry point of the pglite command-line tool.
#pragma once

namespace pglite::cli {

/// Parses the command line, runs it and returns the process exit status.
int main(int argc, char** argv);

}  // namespace pglite::cli
