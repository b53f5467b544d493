// The body of every gilbench benchmark: run the cell's mode once per iteration (only the job
// timed), check the checksum, and report the figures as user counters under the names of
// docs/design.md, "Metric names". Any failure is SkipWithError with the reason: the row stays,
// marked as an error, and no timing of a wrong result is ever reported. Between rows and iterations
// it stops the run when SIGINT or SIGTERM came (interrupt.h).
#pragma once

#include <benchmark/benchmark.h>

#include "harness/progress.h"
#include "harness/run_spec.h"

namespace gilbench::harness {

void RunBenchmark(benchmark::State& state, const RunSpec& spec, Progress* progress);

}  // namespace gilbench::harness
