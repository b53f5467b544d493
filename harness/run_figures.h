// What one run (one benchmark iteration) measured besides wall time, and their sum over the
// iterations of a benchmark: the checksum, the GIL's statistics, CPU time and context switches
// from getrusage, and the PMU reading. Plain data, so that a child process can send its share
// through a pipe (see processes_run.cc and child_report.h).
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

// How evenly the workers progressed, summed over iterations. threads mode (n >= 2, a shared
// GIL): Jain's index of the workers' GIL holding times and of their VM ticks in the window while
// all of them ran. processes mode (n >= 2): Jain's index of the children's rates of work (VM
// ticks per ns of their wall time) and of their shares of a CPU (CPU time over wall time) --
// each child does its equal share of the job, so what can be uneven is how fast each went.
struct Fairness {
  double hold_sum = 0;  // threads: GIL holding time
  double work_sum = 0;  // threads: ticks in the window; processes: ticks per wall ns
  double cpu_sum = 0;   // processes: CPU time per wall ns
  int runs = 0;
  bool of_processes = false;  // which of hold_sum and cpu_sum is meant
  Fairness& operator+=(const Fairness& other);
};

// processes mode: the child that took longest in each run -- the run's critical path -- summed
// over the iterations, for the decomposition of a processes row (docs/design.md, "Where the
// extra time went"): its wall time from the go byte to the end of its work, its VM ticks, and its
// scheduler figures (CPU time, time waiting for a CPU).
struct SlowestChild {
  uint64_t wall_ns = 0;
  uint64_t vm_ticks = 0;
  SchedReading sched;
  int runs = 0;
  SlowestChild& operator+=(const SlowestChild& other);
};

struct RunFigures {
  int64_t checksum = 0;
  gil::GilThreadStats gil;     // merged over the run's threads (and processes)
  Usage usage;                 // of the timed part only
  CounterReading counters;     // Empty when counters are off; Absent with the reason if unreadable
  SchedReading sched;          // the workers' scheduler figures, summed (sched_counters.h)
  std::vector<int> last_cpus;  // the PU each worker last ran on (-1: unknown); += keeps the latest
  IoFigures io;                // I/O workloads only
  Fairness fairness;           // threads and processes modes with n >= 2 only
  SlowestChild slowest_child;  // processes mode only
  // GIL blame (--blame; threads mode): (waiter, holder, its stack at the drop, holder when the
  // waiter asked, its stack then) -> waits, summed.
  using BlameKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  std::map<BlameKey, gil::BlameEntry> blame;

  RunFigures& operator+=(const RunFigures& other);
};

}  // namespace gilbench::harness
