// pglite - embedded PostgreSQL shell. See cli.cc.
#include "cli.h"

int main(int argc, char** argv) { return pglite::cli::main(argc, argv); }
