// Runs a Suite on one Target with the algorithm bench/node/compare.mjs
// repeats for PGlite: reset, setup, then each step timed `iterations` times.
#pragma once
#include "results.h"
#include "target.h"
#include "workloads.h"

namespace pglite::bench {

void run_suite(const Suite& suite, Target& target, ResultsFile& results);

}  // namespace pglite::bench
