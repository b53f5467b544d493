// gilbench: the Google Benchmark binary of docs/design.md. Parses its own flags (options.h),
// loads the hwloc topology, probes the PMU, registers the matrix (matrix.h), adds the context
// (context.h) and runs. Exit status:
//   0    the run is complete (rows that failed say so in the output: error rows);
//   1    gilbench could not start (hwloc), or the results could not be written (a full disk,
//        /dev/full): the temporary is removed, nothing is left under the --benchmark_out name;
//   2    bad usage: a bad flag or value, a --benchmark_filter that selects nothing, a matrix of
//        which nothing can run here, a --benchmark_out that cannot take a file (a directory, a
//        missing or unwritable directory), a --workload_dir that is no directory;
//   130, 143  interrupted by SIGINT or SIGTERM (interrupt.h): nothing written, no child left.
//
// It behaves as users of Google Benchmark binaries expect, where the library alone would not:
// every usage error is found before anything runs, so it exits 2 and leaves no file behind: a
// CI job must not mistake an empty result for a pass. The results file is written whole or not
// at all (output.h).
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "harness/context.h"
#include "harness/filter.h"
#include "harness/interrupt.h"
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

// One stderr line per placement whose rows are not run here, before anything runs.
void ReportUnavailable(const std::vector<UnavailablePlacement>& unavailable) {
  for (const UnavailablePlacement& u : unavailable) {
    const std::string name = PlacementName(u.placement);
    const std::string why = u.reason.substr(name.size() + 2);  // after "<placement>: "
    std::fprintf(stderr, "gilbench: placement %s unavailable here (%s): %d row%s not run\n",
                 name.c_str(), why.c_str(), u.rows, u.rows == 1 ? "" : "s");
  }
}

// A bool flag's value as the library reads it (IsTruthyFlagValue), "" (not given) being false.
bool IsTrue(std::string value) {
  for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (value.size() == 1) {
    return std::isalnum(static_cast<unsigned char>(value[0])) && value != "0" && value != "f" &&
           value != "n";
  }
  return !value.empty() && value != "false" && value != "no" && value != "off";
}

// Runs the registered benchmarks (`names`: their full names) with `args` (argv without our
// flags, plus the min time). Everything that can make the run a usage error is checked between
// benchmark::Initialize (which only parses) and RunSpecifiedBenchmarks (which opens the output);
// the results' temporary, made before (its name goes into the library's flags), is removed on
// every way out but success.
int RunBenchmarks(std::vector<std::string> args, const Options& options, const Topology& topology,
                  const std::string& pmu_status, Progress* progress,
                  const std::vector<std::string>& names,
                  const std::vector<UnavailablePlacement>& unavailable) {
  ResultsFile results;
  std::string error;
  const std::string out_file = LibraryFlag(args, "benchmark_out");
  if (!results.Open(out_file, LibraryFlag(args, "benchmark_out_format"), &error)) {
    return Fail(2, "gilbench: --benchmark_out=" + error);
  }
  if (!results.library_path().empty()) {
    args.push_back("--benchmark_out=" + results.library_path());  // the last one counts
    if (results.library_path() != results.final_path()) {
      RemoveOnInterrupt(results.library_path(), results.final_path());
    }
  }
  const int runs_each = RunsEach(args);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  // Our rows' unit unless --benchmark_time_unit (or BENCHMARK_TIME_UNIT) says otherwise: set
  // before Initialize, which applies the flag over it.
  benchmark::SetDefaultTimeUnit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv.data());
  if (benchmark::ReportUnrecognizedArguments(argc, argv.data())) return 2;
  ReportUnavailable(unavailable);
  if (names.empty()) {
    std::string why;
    for (const UnavailablePlacement& u : unavailable) why += (why.empty() ? "" : "; ") + u.reason;
    return Fail(2, why.empty()
                       ? "gilbench: the flags select no benchmark"
                       : "gilbench: no requested row can run on this machine (" + why + ")");
  }
  const std::string filter = benchmark::GetBenchmarkFilter();
  int selected = 0;
  if (!CountFilterMatches(filter, names, &selected, &error)) {
    return Fail(2, "gilbench: --benchmark_filter=" + filter + " is not a valid regex: " + error);
  }
  if (selected == 0) {
    return Fail(2, "gilbench: --benchmark_filter=" + filter + " matches no benchmark");
  }
  AddContext(options, topology, pmu_status, unavailable);
  // The opening line of a run: how many runs and about how long (not for a mere listing).
  if (!IsTrue(LibraryFlag(args, "benchmark_list_tests"))) {
    const int repetitions =
        std::max(1, std::atoi(LibraryFlag(args, "benchmark_repetitions").c_str()));
    const std::string size = SizeName(options.size);
    const double each = EstimatedRunSeconds(size, repetitions / runs_each);
    progress->Begin(selected * runs_each, each,
                    "at " + Duration(each) + " a run of size " + size +
                        " on this project's 2-core VM; re-estimated as runs end");
  }
  benchmark::RunSpecifiedBenchmarks(nullptr, results.reporter());
  benchmark::Shutdown();
  ReportLeftoverChildren();
  ExitIfInterrupted();  // the last row may have been the one interrupted
  // topology.xml beside the results, not for a mere listing.
  const bool listing = IsTrue(LibraryFlag(args, "benchmark_list_tests"));
  if (!results.Finish(topology, !listing, &error)) {
    ExitIfInterrupted();  // a signal during the rename removed the temporary
    return Fail(1, "gilbench: cannot write " + error);
  }
  return 0;
}

int Main(int argc, char** argv) {
  // A processes child that died before reading its go byte must not kill us with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  if (WantsHelp(argc, argv)) std::fputs(OptionsUsage(), stdout);
  Options options;
  std::string error;
  // Before anything is written, so that no signal finds a temporary it cannot remove.
  if (!InstallInterruptHandlers(&error)) return Fail(1, "gilbench: " + error);
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
  // Before Initialize, which would answer some bad values with its usage and status 0.
  if (!CheckLibraryFlags(args, &error)) return Fail(2, error);
  args.insert(args.begin() + 1, MinTimeFlag(options.size));
  return RunBenchmarks(args, options, *topology, pmu_status, &progress, names, Unavailable(specs));
}

}  // namespace
}  // namespace gilbench::harness

int main(int argc, char** argv) { return gilbench::harness::Main(argc, argv); }
