// The workload table of gilbench: which .py file, which function of it, how one job (the same
// total work in every mode) is split into n workers' calls, what runs outside the VM beside it
// (the native side of the I/O workloads), and the checksum the job must give. A timing counts
// only when the run's summed result equals the expected checksum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vm/workers.h"

namespace gilbench::harness {

// How a row runs its job: seq, the whole job in one VM thread; threads, n VM threads of one
// interpreter; processes, n children gilbench forks, an interpreter each. kPool: the workload's own
// process pool (multiprocessing.Pool, ProcessPoolExecutor) of n processes, started by one call in
// this process -- what Python programs do instead of gilbench's processes mode.
enum class Mode { kSeq, kThreads, kProcesses, kPool };
const char* ModeName(Mode mode);

// kTiny: the tests' smallest jobs. kLong: full, but countdown 7.5x longer, so that one run of it
// in threads spans a hundred and more switch intervals (the default reproduction's size).
enum class Size { kQuick, kFull, kTiny, kLong };
const char* SizeName(Size size);

// What runs outside the VM, holding no GIL (native_side.h).
enum class NativeKind {
  kNone,
  kPipeFeeders,      // pipe_io: a paced feeder and a drainer per worker
  kLatencyClient,    // latency: messages at a fixed interval, round trips measured
  kBandwidthClient,  // bandwidth: ping-pong as fast as the echo answers
  kDrainer,          // convoy: drains the writer's pipe
};

// One workload at one size: the job and its expected result.
struct WorkloadJob {
  std::string name;      // "countdown": the first part of a benchmark name
  std::string file;      // "countdown.py", relative to the workload directory
  std::string function;  // the module function each call invokes
  // Arguments of the whole job's calls (without the pipe fds, which the native side adds in
  // front); Split deals them out to the workers.
  std::vector<std::vector<int64_t>> calls;
  int64_t expected_checksum = 0;  // ignored when the native side knows the result (the trio)
  int64_t work_items = 0;         // for items_per_second: countdown steps, divisions, naps...

  NativeKind native = NativeKind::kNone;
  // The I/O trio (latency, bandwidth, convoy): worker 0 is the I/O thread calling `function`,
  // every other worker a CPU-bound thread calling burn(duration_ms); n in the benchmark name
  // counts the CPU threads. The native side drives the I/O for duration_ms too.
  bool io_trio = false;
  int64_t duration_ms = 0;
  int64_t interval_us = 0;   // latency: the client's send interval; pipe_io: the feeders' pace
  int64_t message_size = 0;  // pipe_io: bytes per message

  // Workloads that make their own threads or processes, as the programs people write do
  // (factorize_class, bank, pipeline, pool, executor): the first argument of their functions is
  // how many, and `calls` (one call) leaves it out. seq calls function(1, ...), and each
  // processes child function(1, its share). A threads row is ONE call of threads_function(n, ...)
  // that starts n threads itself, a pool row one call of pool_function(n, ...) that starts a
  // pool of n processes; empty: the workload has no such rows. gilbench does not place threads
  // or processes it did not make: those rows are placement os only. A spawner is a workload
  // with either function.
  std::string threads_function{};
  std::string pool_function{};
  // processes mode: worker i of k gets (i, k) after the call's arguments -- its share of a list
  // the function deals itself (NUMBERS[i::k], range(i, items, k)) -- instead of a cut of the
  // first argument.
  bool deal_by_index = false;

  bool spawner() const { return !threads_function.empty() || !pool_function.empty(); }
};

// The names --workloads accepts, in the default order.
const std::vector<std::string>& WorkloadNames();

// The job of workload `name` at `size`; false for an unknown name.
bool FindWorkload(std::string_view name, Size size, WorkloadJob* out);

// Whether `mode` has rows for `job`: pool only for a spawner with a pool function, threads for a
// spawner only with a threads function, seq not for the I/O trio (its n = 0 is the baseline).
bool HasMode(const WorkloadJob& job, Mode mode);

// Whether a row of `mode` is one call that starts the row's n threads or processes itself (a
// spawner's threads and pool rows): gilbench starts one worker, and places nothing.
bool StartsItsOwn(const WorkloadJob& job, Mode mode);

// Whether `job` runs under `policy`: a spawner does not run under subinterp, where the VM gives
// every thread an interpreter of its own and the threads share no object -- not the accounts of
// bank, nor the classes of a module (gilvm says which object it refused). Its seq and processes
// rows would be py3's rows over again: one thread per interpreter.
bool RunsUnderPolicy(const WorkloadJob& job, const std::string& policy);

// The number of workers gilbench starts for a row of `mode` with `n` in its name: n, n + 1 for
// the I/O trio (its n counts the CPU threads beside the I/O thread), 1 for a spawner's threads
// and pool rows (the one call that starts the n).
int WorkersFor(const WorkloadJob& job, Mode mode, int n);

// Splits `job` into `workers` (>= 1) parts of (nearly) equal work, each a list of argument
// lists. A job of one call is cut on its first argument (countdown's n, sleep's count; the first
// part takes the remainder, as countdown.py's run_threaded does); a job of several calls
// (factorize's numbers) is dealt round-robin. The parts together make exactly the job's work.
std::vector<std::vector<std::vector<int64_t>>> Split(const WorkloadJob& job, int workers);

// The calls each of the `workers` (WorkersFor) workers of a row of `mode` with `n` in its name
// makes: `leading_args[i]` (worker i's pipe fds from the native side; empty when it has none) go
// in front of the arguments of worker i's calls. For the trio, worker 0 makes the I/O call and
// the others burn; for a spawner, see WorkloadJob::spawner().
std::vector<std::vector<vm::WorkerCall>> PlanCalls(
    const WorkloadJob& job, Mode mode, int n, int workers,
    const std::vector<std::vector<int64_t>>& leading_args);

// Whether `dir` is a directory, where the workload files are looked for; false with a one-line
// *error (a usage error: a --workload_dir that names nothing runs nothing).
bool CheckWorkloadDir(const std::string& dir, std::string* error);
// --blame=DIR: creates DIR if it is missing (one level); false with a usage message when it
// cannot be, or is no writable directory.
bool MakeBlameDir(const std::string& dir, std::string* error);

// Reads the workload file from `dir`; false with a one-line *error naming the file and why
// ("cannot read workload w/countdown.py: Is a directory").
bool ReadWorkloadSource(const std::string& dir, const WorkloadJob& job, std::string* source,
                        std::string* error);

}  // namespace gilbench::harness
