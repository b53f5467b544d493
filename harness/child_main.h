// The body of a `processes` child (see processes_run.cc): set up, wait for "go", run its share
// of the job as one VM thread of its own interpreter, send a ChildReport, _exit. Never returns:
// the child must not run the parent's exit path (atexit handlers, stdio buffers it inherited).
#pragma once

#include <vector>

#include "harness/run_spec.h"
#include "vm/workers.h"

namespace gilbench::harness {

// `calls` are the child's share of the job; `index` is its worker number. It reads one byte from
// `go_fd` before starting and writes its report to `report_fd`. Test hooks (environment):
// GILBENCH_TEST_CRASH_CHILD=1 makes child 0 abort after "go"; GILBENCH_TEST_HANG_CHILD=1 makes
// child 0 hang instead of reporting.
[[noreturn]] void ChildMain(const RunSpec& spec, const std::vector<vm::WorkerCall>& calls,
                            int index, int go_fd, int report_fd);

}  // namespace gilbench::harness
