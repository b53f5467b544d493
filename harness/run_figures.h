// What one run (one benchmark iteration) measured besides wall time, and their sum over the
// iterations of a benchmark: the checksum, the GIL's statistics (the program's own locks' and
// queues' among them), CPU time and context switches from getrusage, and the PMU reading. Plain
// data, so that a child process can send its share through a pipe (see processes_run.cc and
// child_report.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "gil/blame.h"
#include "gil/stats.h"
#include "harness/perf_counters.h"
#include "harness/sched_counters.h"
#include "vm/multiprocessing.h"

namespace gilbench::harness {

// A getrusage snapshot, or the difference of two.
struct Usage {
  double user_s = 0;
  double sys_s = 0;
  int64_t voluntary = 0;    // ru_nvcsw
  int64_t involuntary = 0;  // ru_nivcsw

  // getrusage(who): RUSAGE_SELF covers every thread of the process (the VM's workers included).
  static Usage Now(int who);
  Usage& operator+=(const Usage& other);
  Usage& operator-=(const Usage& other);
};

// What the native side of an I/O workload measured (native_side.h), summed over iterations.
struct IoFigures {
  std::vector<double> latency_us;  // latency: one round trip per message
  int64_t ops = 0;                 // bandwidth: round trips; convoy: writes drained
  double seconds = 0;              // the time those ops took

  bool has_latency() const { return !latency_us.empty(); }
  bool has_ops() const { return seconds > 0; }
  double ops_per_s() const { return has_ops() ? static_cast<double>(ops) / seconds : 0; }
  // The p-quantile (0..1) of the round trips, nearest rank; 0 without any.
  double LatencyPercentile(double p) const;
  IoFigures& operator+=(const IoFigures& other);
};

// Jain's fairness index of non-negative shares: (sum x)^2 / (n * sum x^2), 1 when all are
// equal, 1/n when one has everything. nullopt for fewer than two shares or all zero.
std::optional<double> JainIndex(const std::vector<double>& shares);

// How evenly the workers progressed, summed over iterations. Workers that share a GIL (threads
// mode, n >= 2): Jain's index of their GIL holding times and of their VM ticks in the window
// while all of them ran. Workers that run side by side (processes mode, and threads under
// subinterp; n >= 2): Jain's index of their rates of work (VM ticks per ns of their wall time)
// and of their shares of a CPU (CPU time over wall time) -- each does its equal share of the
// job, so what can be uneven is how fast each went.
struct Fairness {
  double hold_sum = 0;  // shared GIL: holding time
  double work_sum = 0;  // shared GIL: ticks in the window; side by side: ticks per wall ns
  double cpu_sum = 0;   // side by side: CPU time per wall ns
  int runs = 0;
  bool side_by_side = false;  // which of hold_sum and cpu_sum is meant
  Fairness& operator+=(const Fairness& other);
};

// Workers that run side by side (processes mode, or threads under subinterp): the one that took
// longest in each run -- the run's critical path -- summed over the iterations, for the
// decomposition of the row (docs/design.md, "Where the extra time went"): its wall time from the
// start of the run's work to the end of its own, its VM ticks, and its scheduler figures (CPU
// time, time waiting for a CPU).
struct SlowestWorker {
  uint64_t wall_ns = 0;
  uint64_t vm_ticks = 0;
  SchedReading sched;
  int runs = 0;
  SlowestWorker& operator+=(const SlowestWorker& other);
};

// What one side-by-side worker did in a run, for SideBySide below.
struct WorkerShare {
  uint64_t wall_ns = 0;
  uint64_t vm_ticks = 0;
  SchedReading sched;
};
// The slowest of `workers` and their fairness (empty with fewer than two workers or a figure
// missing): what processes and subinterp rows report.
void SideBySide(const std::vector<WorkerShare>& workers, SlowestWorker* slowest,
                Fairness* fairness);

struct RunFigures {
  int64_t checksum = 0;
  gil::GilThreadStats gil;     // merged over the run's threads (and processes)
  Usage usage;                 // of the timed part only
  CounterReading counters;     // Empty when counters are off; Absent with the reason if unreadable
  SchedReading sched;          // the workers' scheduler figures, summed (sched_counters.h)
  std::vector<int> last_cpus;  // the PU each worker last ran on (-1: unknown); += keeps the latest
  IoFigures io;                // I/O workloads only
  vm::PoolFigures pools;       // the program's own process pools (pool rows), summed
  Fairness fairness;           // rows of n >= 2 only
  SlowestWorker slowest_worker;  // processes, and threads under subinterp, only
  // Placements that bind memory (numa): workers whose memory binding was tried, and those it
  // succeeded for (hwloc cannot bind memory everywhere: a kernel without NUMA support).
  int memory_bind_tries = 0;
  int memory_bound = 0;
  // GIL blame (--blame; threads mode): (waiter, holder, its stack at the drop, holder when the
  // waiter asked, its stack then) -> waits, summed.
  using BlameKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  std::map<BlameKey, gil::BlameEntry> blame;

  RunFigures& operator+=(const RunFigures& other);
};

}  // namespace gilbench::harness
