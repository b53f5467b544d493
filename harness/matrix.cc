// Building and registering the matrix (matrix.h).
#include "harness/matrix.h"

#include <benchmark/benchmark.h>

#include <cstdlib>

#include "harness/benchmark_run.h"

namespace gilbench::harness {
namespace {

// How long a processes child may take to report: generous for full jobs (seconds each), shorter
// for quick ones so that a hung child fails fast. GILBENCH_CHILD_TIMEOUT_S overrides (tests).
double ChildTimeout(Size size) {
  if (const char* env = std::getenv("GILBENCH_CHILD_TIMEOUT_S")) {
    const double s = std::atof(env);
    if (s > 0) return s;
  }
  return size == Size::kFull ? 120 : 30;
}

gil::GilConfig GilConfigFor(const Options& options, const std::string& policy) {
  gil::GilConfig config;
  config.policy = policy;
  config.switch_interval_us = options.switch_interval_us;
  config.check_interval = options.check_interval;
  config.forced_switch = options.forced_switch;
  return config;
}

// The spec of one cell, its placement planned (or the reason it cannot be).
RunSpec MakeSpec(const Options& options, const Topology& topology, const WorkloadJob& job,
                 const std::string& source, const std::string& policy, Mode mode, int n,
                 Placement placement) {
  RunSpec spec;
  spec.name = job.name + "/" + policy + "/" + ModeName(mode) + "/" + std::to_string(n) + "/" +
              PlacementName(placement);
  spec.job = job;
  spec.source = source;
  spec.gil_config = GilConfigFor(options, policy);
  spec.mode = mode;
  spec.workers = n;
  spec.placement = placement;
  spec.topology = &topology;
  spec.counters = options.counters;
  spec.child_timeout_s = ChildTimeout(options.size);
  if (!topology.PlanPlacement(placement, n, &spec.plan, &spec.unavailable) &&
      spec.unavailable.empty()) {
    spec.unavailable = std::string(PlacementName(placement)) + ": cannot be placed";
  }
  return spec;
}

// The n values a mode runs with: seq always 1, once.
std::vector<int> CountsFor(const Options& options, Mode mode) {
  return mode == Mode::kSeq ? std::vector<int>{1} : options.threads;
}

}  // namespace

bool BuildMatrix(const Options& options, const Topology& topology, std::deque<RunSpec>* out,
                 std::string* error) {
  for (const std::string& workload : options.workloads) {
    WorkloadJob job;
    FindWorkload(workload, options.size, &job);  // the name was validated by ParseOptions
    std::string source;
    if (!ReadWorkloadSource(options.workload_dir, job, &source, error)) return false;
    for (const std::string& policy : options.policies) {
      for (Mode mode : options.modes) {
        for (int n : CountsFor(options, mode)) {
          for (Placement placement : options.placements) {
            out->push_back(MakeSpec(options, topology, job, source, policy, mode, n, placement));
          }
        }
      }
    }
  }
  return true;
}

std::vector<std::string> RegisterMatrix(const std::deque<RunSpec>& specs, Progress* progress) {
  std::vector<std::string> names;
  for (const RunSpec& spec : specs) {
    const RunSpec* cell = &spec;
    benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(
        spec.name.c_str(),
        [cell, progress](benchmark::State& state) { RunBenchmark(state, *cell, progress); });
    // How long each runs comes from --benchmark_min_time (main sets it per --size), not from
    // Iterations/MinTime here: those would add "iterations:1/" to every benchmark's name.
    b->UseRealTime()->Unit(benchmark::kMillisecond);
    names.push_back(spec.name);
  }
  return names;
}

std::string MinTimeFlag(Size size) {
  return size == Size::kQuick ? "--benchmark_min_time=0.01" : "--benchmark_min_time=1";
}

}  // namespace gilbench::harness
