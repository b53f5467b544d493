// The native side of an I/O workload: threads of gilbench itself, outside the VM and holding no
// GIL, at the other end of the VM workers' pipes -- the devices, clients and sinks the workers
// talk to (pipe_io's paced feeders, latency's and bandwidth's echo client, convoy's drainer).
//
// Per iteration: Prepare opens the pipes (before a processes run forks, so the children inherit
// them), FdArgs gives each worker's fds for its calls, Start launches the threads when the clock
// starts, Stop ends them once every VM worker has finished -- or failed: Stop cancels whatever
// is still waiting, so a VM side that raised ends the run with its error instead of a hang --
// and Finish checks what the native side saw and hands over the I/O figures.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/run_figures.h"
#include "harness/workloads.h"

namespace gilbench::harness {

class NativeSide {
 public:
  virtual ~NativeSide() = default;

  // Untimed: opens the pipes. False with *error when the system refuses.
  virtual bool Prepare(std::string* error) = 0;
  // The fds worker `i`'s calls start with (empty for a worker that has no pipe).
  virtual std::vector<std::vector<int64_t>> FdArgs() const = 0;
  // The native ends of the pipes: a processes child closes them, so that when the native side
  // hangs up, the VM side sees EOF (or EPIPE) instead of waiting forever.
  virtual std::vector<int> NativeFds() const = 0;
  // Timed: starts the native threads (just before the VM workers start).
  virtual void Start() = 0;
  // After every VM worker ended: cancels what still waits and joins the threads.
  virtual void Stop() = 0;
  // Untimed: the I/O figures and the result the VM side must have returned (what the native
  // side sent or received); false with *error when the native side saw something wrong.
  virtual bool Finish(IoFigures* io, int64_t* expected_result, std::string* error) = 0;
};

// The native side of `job` run by `workers` workers; nullptr when the job has none.
std::unique_ptr<NativeSide> MakeNativeSide(const WorkloadJob& job, int workers);

}  // namespace gilbench::harness
