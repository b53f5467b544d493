// One benchmark iteration of a mode, in three steps so that only the middle one is timed:
// Prepare (make the interpreter and load the workload, or fork the children), Run (the job),
// Finish (collect the figures, check the result and the binding; reap children). Errors are
// returned as data; the benchmark turns them into SkipWithError.
#pragma once

#include <memory>
#include <string>

#include "harness/run_figures.h"
#include "harness/run_spec.h"
#include "vm/workers.h"

namespace gilbench::harness {

// What one iteration's workers do: worker i's calls (with this iteration's pipe fds in front of
// an I/O workload's arguments), and the native side's ends of those pipes, which a processes
// child closes (native_side.h).
struct WorkerPlan {
  std::vector<std::vector<vm::WorkerCall>> calls;
  std::vector<int> native_fds;
};

class ModeRun {
 public:
  virtual ~ModeRun() = default;
  // Untimed set-up; false with *error when the run cannot happen.
  virtual bool Prepare(std::string* error) = 0;
  // The timed job. Failures are kept for Finish.
  virtual void Run() = 0;
  // Untimed: the run's figures, or false with *error (a worker's error, a child's exit status,
  // a timeout, a binding that did not hold). The checksum is checked by the caller.
  virtual bool Finish(RunFigures* out, std::string* error) = 0;
};

// seq and threads: vm::RunWorkers in this process (seq is one worker with the whole job).
std::unique_ptr<ModeRun> MakeThreadsRun(const RunSpec& spec, WorkerPlan plan);
// processes: spec.workers forked children, each with its own interpreter.
std::unique_ptr<ModeRun> MakeProcessesRun(const RunSpec& spec, WorkerPlan plan);

}  // namespace gilbench::harness
