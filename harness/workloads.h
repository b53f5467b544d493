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
};

// The names --workloads accepts, in the default order.
const std::vector<std::string>& WorkloadNames();

// The job of workload `name` at `size`; false for an unknown name.
bool FindWorkload(std::string_view name, Size size, WorkloadJob* out);

// The number of workers a benchmark with `n` in its name runs: n, or n + 1 for the I/O trio
// (its n counts the CPU threads beside the I/O thread).
int WorkersFor(const WorkloadJob& job, int n);

// Splits `job` into `workers` (>= 1) parts of (nearly) equal work, each a list of argument
// lists. A job of one call is cut on its first argument (countdown's n, sleep's count; the first
// part takes the remainder, as countdown.py's run_threaded does); a job of several calls
// (factorize's numbers) is dealt round-robin. The parts together make exactly the job's work.
std::vector<std::vector<std::vector<int64_t>>> Split(const WorkloadJob& job, int workers);

// The calls each worker makes: `leading_args[i]` (worker i's pipe fds from the native side;
// empty when it has none) go in front of the arguments of worker i's calls. For the trio,
// worker 0 makes the I/O call and the others burn.
std::vector<std::vector<vm::WorkerCall>> PlanCalls(
    const WorkloadJob& job, int workers, const std::vector<std::vector<int64_t>>& leading_args);

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
