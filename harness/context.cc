// The benchmark context (context.h).
#include "harness/context.h"

#include <benchmark/benchmark.h>

#include <cstdio>

#include "harness/sched_counters.h"

namespace gilbench::harness {
namespace {

std::string YesNo(bool b) { return b ? "true" : "false"; }

void AddTopology(const Topology& topology) {
  const Topology::Summary s = topology.Summarize();
  benchmark::AddCustomContext("topology_packages", std::to_string(s.packages));
  benchmark::AddCustomContext("topology_cores", std::to_string(s.cores));
  benchmark::AddCustomContext("topology_pus", std::to_string(s.pus));
  benchmark::AddCustomContext("topology_numa_nodes", std::to_string(s.numa_nodes));
  benchmark::AddCustomContext("topology_smt", YesNo(s.smt));
  benchmark::AddCustomContext("topology_max_pus_per_core", std::to_string(s.max_pus_per_core));
  benchmark::AddCustomContext("allowed_cpuset", s.allowed_cpuset);
}

void AddBuild() {
  benchmark::AddCustomContext("gilbench_version", GILBENCH_VERSION);
  benchmark::AddCustomContext("git_revision", GitRevision());
  benchmark::AddCustomContext("compiler", __VERSION__);
  benchmark::AddCustomContext("build_type", GILBENCH_BUILD_TYPE);
  benchmark::AddCustomContext("cxx_flags", GILBENCH_CXX_FLAGS);
}

}  // namespace

std::string GitRevision() {
  const std::string command =
      std::string("git -C '") + GILBENCH_SOURCE_DIR + "' rev-parse --short HEAD 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "unknown";
  char line[64] = {};
  const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
  const int status = pclose(pipe);
  std::string revision = got ? line : "";
  while (!revision.empty() && (revision.back() == '\n' || revision.back() == '\r')) {
    revision.pop_back();
  }
  return status == 0 && !revision.empty() ? revision : "unknown";
}

void AddContext(const Options& options, const Topology& topology, const std::string& pmu_status,
                const std::vector<UnavailablePlacement>& unavailable) {
  AddTopology(topology);
  std::string placements;
  int rows = 0;
  for (const UnavailablePlacement& u : unavailable) {
    placements += (placements.empty() ? "" : "; ") + u.reason;
    rows += u.rows;
  }
  benchmark::AddCustomContext("placements_unavailable", placements);
  benchmark::AddCustomContext("rows_unavailable", std::to_string(rows));
  benchmark::AddCustomContext("gil_switch_interval_us", std::to_string(options.switch_interval_us));
  benchmark::AddCustomContext("gil_check_interval", std::to_string(options.check_interval));
  benchmark::AddCustomContext("gil_forced_switch", YesNo(options.forced_switch));
  benchmark::AddCustomContext("pmu_status", pmu_status);
  benchmark::AddCustomContext("sched_counters", SchedSourcesString());
  benchmark::AddCustomContext("size", SizeName(options.size));
  benchmark::AddCustomContext("workload_dir", options.workload_dir);
  AddBuild();
}

}  // namespace gilbench::harness
