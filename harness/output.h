// Where a run's JSON goes. With --benchmark_out the user decides. Without it, gilbench writes
// results/<machine>/<stamp>/gilbench.json (machine: the CPU model, sanitized, and the PU count,
// e.g. "intel-xeon-processor-2pu", so that runs of the same hardware group together whatever the
// host is called; stamp: UTC YYYYMMDD-HHMMSS) by asking the library for
// --benchmark_out=<dir>/gilbench.json.tmp and renaming it once the run completed, so an
// interrupted run never leaves a half-written file under the final name; topology.xml (hwloc)
// goes beside it.
#pragma once

#include <string>
#include <vector>

#include "harness/placement.h"

namespace gilbench::harness {

struct OutputPlan {
  bool managed = false;    // false: the user gave --benchmark_out (or only lists tests)
  std::string dir;         // results/<machine>/<stamp>
  std::string final_path;  // dir/gilbench.json
  std::string temp_path;   // dir/gilbench.json.tmp
  std::vector<std::string> extra_args;  // to append to argv before benchmark::Initialize
};

// The CPU model and PU count as a directory name (hostname when /proc/cpuinfo has no model).
std::string MachineName(const Topology& topology);

// Decides the output, creating the directory when managed, and writes topology.xml beside the
// JSON (in --benchmark_out's directory when the user chose the file).
bool PlanOutput(const std::vector<std::string>& args, const std::string& results_dir,
                const Topology& topology, OutputPlan* out, std::string* error);

// After the run: renames the temporary file to its final name (managed only).
bool FinishOutput(const OutputPlan& plan, std::string* error);

}  // namespace gilbench::harness
