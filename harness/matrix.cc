// Building and registering the matrix (matrix.h).
#include "harness/matrix.h"

#include <benchmark/benchmark.h>

#include <algorithm>
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
  return size == Size::kFull || size == Size::kLong ? 120 : 30;
}

gil::GilConfig GilConfigFor(const Options& options, const std::string& policy) {
  gil::GilConfig config;
  config.policy = policy;
  config.switch_interval_us = options.switch_interval_us;
  config.check_interval = options.check_interval;
  config.forced_switch = options.forced_switch;
  config.blame = !options.blame_dir.empty();
  return config;
}

// The spec of one cell, its placement planned (or the reason it cannot be). `policy_label` is
// the policy as the name shows it (the sweep adds the interval).
RunSpec MakeSpec(const Options& options, const Topology& topology, const WorkloadJob& job,
                 const std::string& source, const gil::GilConfig& gil_config,
                 const std::string& policy_label, Mode mode, int n, Placement placement) {
  RunSpec spec;
  spec.name = job.name + "/" + policy_label + "/" + ModeName(mode) + "/" + std::to_string(n) + "/" +
              PlacementName(placement);
  spec.job = job;
  spec.source = source;
  spec.gil_config = gil_config;
  spec.blame_dir = options.blame_dir;
  spec.mode = mode;
  spec.n = n;
  spec.workers = WorkersFor(job, mode, n);
  spec.placement = placement;
  spec.topology = &topology;
  spec.counters = options.counters;
  spec.child_timeout_s = ChildTimeout(options.size);
  if (!topology.PlanPlacement(placement, spec.workers, &spec.plan, &spec.unavailable) &&
      spec.unavailable.empty()) {
    spec.unavailable = std::string(PlacementName(placement)) + ": cannot be placed";
  }
  return spec;
}

// The n values a mode runs with: seq always 1, once; the I/O trio has no seq mode (its n = 0,
// the I/O thread alone, is the baseline) and counts CPU threads.
std::vector<int> CountsFor(const Options& options, const WorkloadJob& job, Mode mode) {
  if (!HasMode(job, mode)) return {};
  if (job.io_trio) return options.cpu_threads;
  return mode == Mode::kSeq ? std::vector<int>{1} : options.threads;
}

// A spawner's threads and pool rows run where the OS puts the threads and processes the workload
// makes: gilbench places only the workers it starts itself.
bool Placeable(const WorkloadJob& job, Mode mode, Placement placement) {
  return placement == Placement::kOs || !StartsItsOwn(job, mode);
}

bool IsIntervalPolicy(const std::string& policy) {
  return policy == "py3" || policy == "fifo" || policy == "prio";
}

// The sweep's cells for one workload: latency and bandwidth with one CPU thread beside the I/O
// thread, countdown in two threads; each under every interval policy of --policies at every
// interval, placement os.
void AddSweep(const Options& options, const Topology& topology, const WorkloadJob& job,
              const std::string& source, std::deque<RunSpec>* out) {
  const int n = job.io_trio ? 1 : 2;
  for (const std::string& policy : options.policies) {
    if (!IsIntervalPolicy(policy)) continue;
    for (int64_t us : options.switch_intervals) {
      gil::GilConfig config = GilConfigFor(options, policy);
      config.switch_interval_us = us;
      const std::string label = policy + "@" + std::to_string(us) + "us";
      out->push_back(MakeSpec(options, topology, job, source, config, label, Mode::kThreads, n,
                              Placement::kOs));
      out->back().sweep = true;
    }
  }
}

// The matrix's cells for one workload: every policy, mode, n and placement of the options that
// the workload has (HasMode, RunsUnderPolicy, Placeable).
void AddCells(const Options& options, const Topology& topology, const WorkloadJob& job,
              const std::string& source, std::deque<RunSpec>* out) {
  for (const std::string& policy : options.policies) {
    if (!RunsUnderPolicy(job, policy)) continue;
    for (Mode mode : options.modes) {
      for (int n : CountsFor(options, job, mode)) {
        for (Placement placement : options.placements) {
          if (!Placeable(job, mode, placement)) continue;
          out->push_back(MakeSpec(options, topology, job, source, GilConfigFor(options, policy),
                                  policy, mode, n, placement));
        }
      }
    }
  }
}

bool InSweep(const std::string& workload) {
  return workload == "latency" || workload == "bandwidth" || workload == "countdown";
}

}  // namespace

bool BuildMatrix(const Options& options, const Topology& topology, std::deque<RunSpec>* out,
                 std::string* error) {
  const bool sweep = !options.switch_intervals.empty();
  if (sweep) {
    bool any = false;
    for (const std::string& policy : options.policies) any = any || IsIntervalPolicy(policy);
    if (!any) {
      *error = "--switch-intervals needs an interval policy in --policies (py3, fifo or prio)";
      return false;
    }
  }
  if (!CheckWorkloadDir(options.workload_dir, error)) return false;
  if (!options.blame_dir.empty() && !MakeBlameDir(options.blame_dir, error)) return false;
  for (const std::string& workload : options.workloads) {
    if (sweep && !InSweep(workload)) continue;
    WorkloadJob job;
    FindWorkload(workload, options.size, &job);  // the name was validated by ParseOptions
    // A file that cannot be read makes its rows error rows that say why; the others run.
    std::string source, source_error;
    ReadWorkloadSource(options.workload_dir, job, &source, &source_error);
    const size_t first = out->size();
    if (sweep) {
      AddSweep(options, topology, job, source, out);
    } else {
      AddCells(options, topology, job, source, out);
    }
    for (size_t i = first; i < out->size(); ++i) (*out)[i].source_error = source_error;
  }
  return true;
}

std::vector<std::string> RegisterMatrix(const std::deque<RunSpec>& specs, Progress* progress) {
  std::vector<std::string> names;
  for (const RunSpec& spec : specs) {
    if (!spec.unavailable.empty()) continue;
    const RunSpec* cell = &spec;
    benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(
        spec.name.c_str(),
        [cell, progress](benchmark::State& state) { RunBenchmark(state, *cell, progress); });
    // How long each runs comes from --benchmark_min_time (main sets it per --size), not from
    // Iterations/MinTime here: those would add "iterations:1/" to every benchmark's name. No
    // Unit() either: it would override --benchmark_time_unit.
    b->UseRealTime()->MeasureProcessCPUTime();
    names.push_back(spec.name + kNameSuffix);
  }
  return names;
}

std::vector<UnavailablePlacement> Unavailable(const std::deque<RunSpec>& specs) {
  std::vector<UnavailablePlacement> out;
  for (const RunSpec& spec : specs) {
    if (spec.unavailable.empty()) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const UnavailablePlacement& u) {
      return u.placement == spec.placement;
    });
    if (it == out.end()) {
      const std::string prefix = std::string(PlacementName(spec.placement)) + ": ";
      const bool named = spec.unavailable.compare(0, prefix.size(), prefix) == 0;
      out.push_back({spec.placement, (named ? "" : prefix) + spec.unavailable, 0});
      it = out.end() - 1;
    }
    ++it->rows;
  }
  // A fixed order (the enum's), whatever order the flag and the matrix's loops met them in.
  std::sort(out.begin(), out.end(),
            [](const UnavailablePlacement& a, const UnavailablePlacement& b) {
              return a.placement < b.placement;
            });
  return out;
}

std::string MinTimeFlag(Size size) {
  return size == Size::kFull ? "--benchmark_min_time=1" : "--benchmark_min_time=0.01";
}

}  // namespace gilbench::harness
