// gilbench's own command line (docs/design.md, "The run matrix"): the matrix to register
// (workloads, policies, modes, thread counts, placements), the counters, the size and the GIL
// knobs. Parsed and removed from argv before benchmark::Initialize sees the rest. A bad value is a
// one-line error; main prints it and exits with status 2.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/perf_counters.h"
#include "harness/placement.h"
#include "harness/workloads.h"

namespace gilbench::harness {

struct Options {
  std::vector<std::string> workloads;
  std::vector<std::string> policies;
  std::vector<Mode> modes;
  std::vector<int> threads;  // n for threads and processes; seq is always 1
  // n of the I/O trio (latency, bandwidth, convoy): CPU-bound threads beside the I/O thread.
  std::vector<int> cpu_threads;
  // Non-empty: run the switch-interval sweep (matrix.h) instead of the matrix.
  std::vector<int64_t> switch_intervals;
  std::vector<Placement> placements;
  // The PMU events to count; empty with --counters=none (no counter is opened at all: the
  // "measurement off" side of the overhead comparison).
  std::vector<CounterSpec> counters;
  bool counters_off = false;
  Size size = Size::kQuick;
  int64_t switch_interval_us = 5000;
  int64_t check_interval = 100;
  bool forced_switch = true;
  std::string workload_dir;         // where the .py files are
  std::string blame_dir;            // --blame=DIR: each threads row's GIL blame goes there
  bool print_machine_name = false;  // print MachineName (output.h) and exit (scripts use it)
};

// Parses and removes gilbench's flags from argv (leaving argv[0] and every other argument in
// order, *argc updated). `workload_dir` is the default workload directory (the compile-time one,
// or GILBENCH_WORKLOAD_DIR when set). False with a one-line *error on a bad value.
bool ParseOptions(int* argc, char** argv, const std::string& workload_dir, Options* out,
                  std::string* error);

// The default --threads for a process that may use `pus` PUs: the powers of two below it, then
// `pus` itself (1 -> {1}; 2 -> {1, 2}; 6 -> {1, 2, 4, 6}; 64 -> {1, 2, 4, ..., 32, 64}), so the
// rows reach the whole machine, whatever its size, in log2(pus) + 1 steps.
std::vector<int> DefaultThreadCounts(int pus);
// The PUs this process may run on (its affinity mask: taskset or a CI launcher narrow it); at
// least 1.
int AllowedPuCount();

// The --help text of gilbench's own flags.
const char* OptionsUsage();

// The value Google Benchmark will take for its string or bool flag `name` ("benchmark_out"):
// the last --name=VALUE of `args` (a bare --name is "true"), else the environment variable the
// library reads (NAME in upper case), else "". main needs a few of them before the library runs.
std::string LibraryFlag(const std::vector<std::string>& args, std::string_view name);

// Google Benchmark 1.7.1 answers a bad --benchmark_time_unit, --benchmark_format or
// --benchmark_out_format (or its environment variable) by printing its usage and exiting 0, so
// a script with a typo would read success. Checked here first: false with a one-line *error,
// main exits 2. The flags stay in args for the library to apply.
bool CheckLibraryFlags(const std::vector<std::string>& args, std::string* error);

}  // namespace gilbench::harness
