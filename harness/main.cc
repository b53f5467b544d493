// gilbench: the Google Benchmark binary of shared/DESIGN.md. Parses its own flags (options.h),
// loads the hwloc topology, probes the PMU, registers the matrix (matrix.h), decides where the
// JSON goes (output.h), adds the context (context.h) and runs. Exit status: 0 after a run (rows
// that failed say so in the output), 2 for bad command-line usage, 1 when it cannot start.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "harness/context.h"
#include "harness/matrix.h"
#include "harness/options.h"
#include "harness/output.h"
#include "harness/perf_counters.h"
#include "harness/placement.h"
#include "harness/progress.h"

namespace gilbench::harness {
namespace {

std::string DefaultWorkloadDir() {
  const char* env = std::getenv("GILBENCH_WORKLOAD_DIR");
  return env != nullptr && *env != '\0' ? env : GILBENCH_WORKLOAD_DIR;
}

// The PMU status for the context; clears the counter list when nothing can be counted, so that
// no worker opens groups that would only fail (the counters are then absent from every row).
std::string SettleCounters(Options* options) {
  if (options->counters_off) return "off: --counters=none";
  const PmuStatus status = ProbePmu(options->counters);
  if (!status.available) options->counters.clear();
  return status.ToString();
}

bool WantsHelp(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) return true;
  }
  return false;
}

// Every child a run forked must have been reaped by now (processes mode reaps its own, even on
// failure); one left behind is a harness bug worth a loud line, and it is reaped here.
void ReportLeftoverChildren() {
  int status = 0;
  for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) != 0;) {
    if (pid < 0) return;  // ECHILD: none left, the normal case
    std::fprintf(stderr, "gilbench: child process %d left behind (reaped now)\n", pid);
  }
  std::fprintf(stderr, "gilbench: a child process is still running after the run\n");
}

int Fail(int status, const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return status;
}

// How many separate runs each benchmark gets: its repetitions when the library interleaves them
// (--benchmark_enable_random_interleaving), else 1 (repetitions run in a row, one progress line).
int RunsEach(const std::vector<std::string>& args) {
  int repetitions = 1;
  bool interleaved = false;
  for (const std::string& arg : args) {
    const std::string reps_flag = "--benchmark_repetitions=";
    if (arg.rfind(reps_flag, 0) == 0)
      repetitions = std::max(1, std::atoi(arg.c_str() + reps_flag.size()));
    if (arg == "--benchmark_enable_random_interleaving=true" ||
        arg == "--benchmark_enable_random_interleaving") {
      interleaved = true;
    }
  }
  return interleaved ? repetitions : 1;
}

// Runs the registered benchmarks with `args` (argv without our flags, plus the output flags).
int RunBenchmarks(std::vector<std::string> args, const Options& options, const Topology& topology,
                  const std::string& pmu_status, Progress* progress,
                  const std::vector<std::string>& names) {
  const int runs_each = RunsEach(args);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  benchmark::Initialize(&argc, argv.data());
  if (benchmark::ReportUnrecognizedArguments(argc, argv.data())) return 2;
  AddContext(options, topology, pmu_status);
  progress->SetTotal(names, benchmark::GetBenchmarkFilter(), runs_each);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  ReportLeftoverChildren();
  return 0;
}

int Main(int argc, char** argv) {
  // A processes child that died before reading its go byte must not kill us with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  if (WantsHelp(argc, argv)) std::fputs(OptionsUsage(), stdout);
  Options options;
  std::string error;
  if (!ParseOptions(&argc, argv, DefaultWorkloadDir(), &options, &error)) return Fail(2, error);
  std::unique_ptr<Topology> topology = Topology::Load(&error);
  if (topology == nullptr) return Fail(1, "gilbench: hwloc: " + error);
  if (options.print_machine_name) {
    std::printf("%s\n", MachineName(*topology).c_str());
    return 0;
  }
  const std::string pmu_status = SettleCounters(&options);
  std::deque<RunSpec> specs;
  if (!BuildMatrix(options, *topology, &specs, &error)) return Fail(2, "gilbench: " + error);
  Progress progress;
  const std::vector<std::string> names = RegisterMatrix(specs, &progress);
  std::vector<std::string> args(argv, argv + argc);
  OutputPlan output;
  if (!PlanOutput(args, options.results_dir, *topology, &output, &error)) {
    return Fail(1, "gilbench: " + error);
  }
  args.insert(args.begin() + 1, MinTimeFlag(options.size));
  args.insert(args.end(), output.extra_args.begin(), output.extra_args.end());
  const int status = RunBenchmarks(args, options, *topology, pmu_status, &progress, names);
  if (status != 0) return status;
  if (!FinishOutput(output, &error)) return Fail(1, "gilbench: " + error);
  return 0;
}

}  // namespace
}  // namespace gilbench::harness

int main(int argc, char** argv) { return gilbench::harness::Main(argc, argv); }
