// The per-worker hooks shared by every mode: on the worker's own thread, before it runs, bind it
// to its PUs and open and start its counter group and its scheduler probe; after it ran, stop
// them and note the PU it ran on. Afterwards the owner checks the binding and sums the readings.
#pragma once

#include <string>
#include <vector>

#include "harness/perf_counters.h"
#include "harness/placement.h"
#include "harness/run_figures.h"
#include "harness/sched_counters.h"
#include "vm/workers.h"

namespace gilbench::harness {

class WorkerProbe {
 public:
  // `plan` empty: the workers are not bound here (os placement, or a child process already bound
  // as a whole). `counters` empty: no counters are opened. Both are borrowed for the probe's life.
  // `memory`: whether each bound worker's memory goes to its NUMA node too (the numa placement).
  WorkerProbe(const Topology& topology, const std::vector<CpuSet>& plan,
              const std::vector<CounterSpec>& counters, int workers,
              MemoryBinding memory = MemoryBinding::kNone);

  // Hooks for vm::RunWorkers; each touches only its own worker's slot.
  vm::WorkerHooks Hooks();

  // After RunWorkers returned: whether every bind succeeded and every worker ran inside its
  // plan (checked against `check_plan`, which may be the process's plan in a child); false
  // with the first problem in *error.
  bool CheckPlacement(const std::vector<CpuSet>& check_plan, std::string* error) const;
  // The workers' counter readings summed (Empty when counters are off).
  CounterReading Counters() const;
  // The workers' scheduler figures summed (always taken: they need no PMU), and one worker's.
  SchedReading Sched() const;
  SchedReading SchedOf(int worker) const { return sched_[static_cast<size_t>(worker)].Read(); }
  const std::vector<int>& last_cpus() const { return last_cpus_; }
  // How many workers' memory was bound to their node (0 without memory binding).
  int MemoryBound() const;

 private:
  void Before(int worker);
  void After(int worker);

  const Topology& topology_;
  const std::vector<CpuSet>& plan_;
  const std::vector<CounterSpec>& counters_;
  // One slot per worker, written only by that worker's thread; read after RunWorkers joined it.
  std::vector<CounterGroup> groups_;
  std::vector<ThreadSchedProbe> sched_;
  MemoryBinding memory_;
  std::vector<std::string> bind_errors_;
  std::vector<char> memory_bound_;  // per worker: 1 when its memory binding took
  std::vector<int> last_cpus_;
};

}  // namespace gilbench::harness
