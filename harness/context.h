// The benchmark context (benchmark::AddCustomContext), so that a results file says what machine
// and what build produced it: hwloc topology summary and the allowed cpuset, the GIL knobs, the
// PMU status (why counters are absent, when they are), git revision, compiler and flags, and the
// placements whose rows were not run here (a reader must tell "not measurable on this machine"
// from "forgotten", without an error row posing as a timing).
#pragma once

#include <string>
#include <vector>

#include "harness/matrix.h"
#include "harness/options.h"
#include "harness/placement.h"

namespace gilbench::harness {

// `unavailable` becomes placements_unavailable ("smt: no core has 2 PUs; cross-package: only 1
// package", "" when every placement could be given) and rows_unavailable (their row count).
void AddContext(const Options& options, const Topology& topology, const std::string& pmu_status,
                const std::vector<UnavailablePlacement>& unavailable);

// `git rev-parse --short HEAD` of the source tree, or "unknown" (no git, not a checkout).
std::string GitRevision();

}  // namespace gilbench::harness
