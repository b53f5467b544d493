// The harness's way into the VM: load a workload file as a module, then run one of its functions
// in n OS threads at once, each with its share of the job, under the interpreter's GIL policy
// (under subinterp each worker gets a subinterpreter of its own).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/interpreter.h"

namespace gilbench::vm {

// Loads `source` as module `module_name` (not "__main__": the file's demo block stays off) and
// runs its body, defining its functions. On failure returns false with the error text.
bool LoadWorkload(Interpreter& interp, std::string_view source, const std::string& filename,
                  std::string* error, std::string_view module_name = "gilbench_workload");

// One call a worker makes: a function of the workload module and its int arguments.
struct WorkerCall {
  std::string function;
  std::vector<int64_t> args;
};

struct WorkerOutcome {
  bool ok = false;
  // The sum over the worker's calls of what each returned: an int, or the sum of the ints of
  // an iterable (a generator such as factorize's).
  int64_t checksum = 0;
  std::string error;  // the traceback text when !ok
  // What this worker had done when the first worker finished its calls -- the window in which
  // all of them were running: its GIL holding time and its VM ticks (vm_ticks). Their spread
  // over the workers is the run's fairness. `in_window` is false for a worker that never ran.
  bool in_window = false;
  uint64_t window_hold_ns = 0;
  uint64_t window_ticks = 0;
  // The worker's VM ticks over all its calls, and when it finished them (gil::MonotonicNs): with
  // threads that share no GIL (subinterp) the slowest worker is the run's critical path.
  uint64_t ticks = 0;
  int64_t end_ns = 0;
};

// Run on each worker's own thread, outside the GIL: `before` right after the thread starts
// (bind it to its cores, open its counters), `after` once it has given the GIL back.
struct WorkerHooks {
  std::function<void(int worker)> before;
  std::function<void(int worker)> after;
};

// Runs calls.size() threads; thread i makes the calls of calls[i] in order. The
// threads start together (after every `before` hook ran) and are all joined before it returns.
// Requires: the calling thread is not running bytecode of `interp`.
std::vector<WorkerOutcome> RunWorkers(Interpreter& interp,
                                      const std::vector<std::vector<WorkerCall>>& calls,
                                      const WorkerHooks& hooks = {});

}  // namespace gilbench::vm
