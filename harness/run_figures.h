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

// How evenly the workers progressed while all of them ran (threads mode, n >= 2): Jain's index
// of their GIL holding times and of their VM ticks in that window, summed over iterations.
struct Fairness {
  double hold_sum = 0;
  double work_sum = 0;
  int runs = 0;
  Fairness& operator+=(const Fairness& other);
};

struct RunFigures {
  int64_t checksum = 0;
  gil::GilThreadStats gil;     // merged over the run's threads (and processes)
  Usage usage;                 // of the timed part only
  CounterReading counters;     // Empty when counters are off; Absent with the reason if unreadable
  SchedReading sched;          // the workers' scheduler figures, summed (sched_counters.h)
  std::vector<int> last_cpus;  // the PU each worker last ran on (-1: unknown); += keeps the latest
  IoFigures io;                // I/O workloads only
  Fairness fairness;           // threads mode with n >= 2 only
  // GIL blame (--blame; threads mode): (waiter, holder, holder's stack) -> waits, summed.
  std::map<std::tuple<std::string, std::string, std::string>, gil::BlameEntry> blame;

  RunFigures& operator+=(const RunFigures& other);
};

}  // namespace gilbench::harness
