// The body of a `processes` child (see processes_run.cc): set up, wait for "go", run its share
// of the job as one VM thread of its own interpreter, send a ChildReport, _exit. Never returns:
// the child must not run the parent's exit path (atexit handlers, stdio buffers it inherited).
#pragma once

#include "harness/run_spec.h"

namespace gilbench::harness {

// `index` is the child's worker number; it reads one byte from `go_fd` before starting and
// writes its report to `report_fd`. Test hooks (environment): GILBENCH_TEST_CRASH_CHILD=1 makes
// child 0 abort after "go"; GILBENCH_TEST_HANG_CHILD=1 makes child 0 hang instead of reporting.
[[noreturn]] void ChildMain(const RunSpec& spec, int index, int go_fd, int report_fd);

}  // namespace gilbench::harness
