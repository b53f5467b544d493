// The benchmark context (benchmark::AddCustomContext), so that a results file says what machine
// and what build produced it: hwloc topology summary and the allowed cpuset, the GIL knobs, the
// PMU status (why counters are absent, when they are), git revision, compiler and flags.
#pragma once

#include <string>

#include "harness/options.h"
#include "harness/placement.h"

namespace gilbench::harness {

void AddContext(const Options& options, const Topology& topology, const std::string& pmu_status);

// `git rev-parse --short HEAD` of the source tree, or "unknown" (no git, not a checkout).
std::string GitRevision();

}  // namespace gilbench::harness
