// The workload table of gilbench: which .py file, which function of it, how one job (the same
// total work in every mode) is split into n workers' calls, and the checksum the job must give.
// A timing counts only when the run's summed result equals the expected checksum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vm/workers.h"

namespace gilbench::harness {

enum class Size { kQuick, kFull };

// One workload at one size: the job and its expected result.
struct WorkloadJob {
  std::string name;      // "countdown": the first part of a benchmark name
  std::string file;      // "countdown.py", relative to the workload directory
  std::string function;  // the module function each call invokes
  // Arguments of the whole job's calls; Split deals them out to the workers.
  std::vector<vm::WorkerCall> calls;
  int64_t expected_checksum = 0;
  int64_t work_items = 0;  // for items_per_second: countdown steps or trial divisions
};

// The names --workloads accepts, in the default order.
const std::vector<std::string>& WorkloadNames();

// The job of workload `name` at `size`; false for an unknown name.
bool FindWorkload(std::string_view name, Size size, WorkloadJob* out);

// Splits `job` into `workers` (>= 1) parts of (nearly) equal work. Countdown's single call is
// cut into `workers` counts (the first takes the remainder); a job of several calls (factorize's
// numbers) is dealt round-robin. The parts together make exactly the job's work.
std::vector<std::vector<vm::WorkerCall>> Split(const WorkloadJob& job, int workers);

// Reads the workload file from `dir`; false with a one-line error when it cannot.
bool ReadWorkloadSource(const std::string& dir, const WorkloadJob& job, std::string* source,
                        std::string* error);

}  // namespace gilbench::harness
