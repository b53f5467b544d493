// The matrix: gilbench's options turned into one RunSpec per benchmark
// (workload/policy/mode/n/placement; seq once per workload x policy x placement, with n = 1),
// each registered with Google Benchmark. A cell whose placement the machine cannot give is not
// registered: as an error row it would read as a 0 ms data point to tools that chart rows. It is
// reported instead (Unavailable: stderr and the context), never run under a silent fallback.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "harness/options.h"
#include "harness/placement.h"
#include "harness/progress.h"
#include "harness/run_spec.h"

namespace gilbench::harness {

// Builds the specs. Reads each workload's file once: the specs of one that cannot be read carry
// the reason (RunSpec::source_error). False with *error when the workload directory is none.
bool BuildMatrix(const Options& options, const Topology& topology, std::deque<RunSpec>* out,
                 std::string* error);

// What Google Benchmark appends to every name we register: process_time for
// MeasureProcessCPUTime (cpu_time is the whole process's, the VM's threads included, not the
// driving thread's, which only waits), real_time for UseRealTime (the rows time wall-clock).
// Rows are thus named workload/policy/mode/n/placement/process_time/real_time.
inline constexpr char kNameSuffix[] = "/process_time/real_time";

// Registers every spec whose placement is available (the specs must outlive the run) and returns
// the registered benchmarks' full names (kNameSuffix included), in order. The rows' time unit is
// the library's default: main sets it to ms, and --benchmark_time_unit overrides that.
std::vector<std::string> RegisterMatrix(const std::deque<RunSpec>& specs, Progress* progress);

// The placements that some spec could not get here, one entry per placement in the enum's order,
// with the first reason met (every reason starts with "<placement>: "; only spread's depends on
// n, and then only on n >= 2) and the number of its specs left unregistered.
struct UnavailablePlacement {
  Placement placement = Placement::kOs;
  std::string reason;  // e.g. "smt: no core has 2 PUs"
  int rows = 0;
};
std::vector<UnavailablePlacement> Unavailable(const std::deque<RunSpec>& specs);

// The --benchmark_min_time that --size implies (put before the user's flags, so theirs wins):
// quick, 0.01 s, so that one iteration (the whole small job) is enough; full, 1 s per run.
std::string MinTimeFlag(Size size);

}  // namespace gilbench::harness
