// The matrix: gilbench's options turned into one RunSpec per benchmark
// (workload/policy/mode/n/placement; seq once per workload x policy x placement, with n = 1),
// each registered with Google Benchmark. A placement the machine cannot give is still
// registered, carrying the reason, so that its row reports the error instead of vanishing.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "harness/options.h"
#include "harness/placement.h"
#include "harness/progress.h"
#include "harness/run_spec.h"

namespace gilbench::harness {

// Builds the specs. Reads each workload's file once; false with *error when one is unreadable.
bool BuildMatrix(const Options& options, const Topology& topology, std::deque<RunSpec>* out,
                 std::string* error);

// Registers every spec (they must outlive the run) and returns their names in order.
std::vector<std::string> RegisterMatrix(const std::deque<RunSpec>& specs, Progress* progress);

// The --benchmark_min_time that --size implies (put before the user's flags, so theirs wins):
// quick, 0.01 s, so that one iteration (the whole small job) is enough; full, 1 s per run.
std::string MinTimeFlag(Size size);

}  // namespace gilbench::harness
