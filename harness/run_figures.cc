// getrusage snapshots and the sums of run figures (run_figures.h).
#include "harness/run_figures.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace gilbench::harness {
namespace {

double Seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; }

}  // namespace

Usage Usage::Now(int who) {
  rusage ru{};
  getrusage(who, &ru);  // cannot fail for RUSAGE_SELF / RUSAGE_CHILDREN with a valid pointer
  return Usage{Seconds(ru.ru_utime), Seconds(ru.ru_stime), ru.ru_nvcsw, ru.ru_nivcsw};
}

Usage& Usage::operator+=(const Usage& other) {
  user_s += other.user_s;
  sys_s += other.sys_s;
  voluntary += other.voluntary;
  involuntary += other.involuntary;
  return *this;
}

Usage& Usage::operator-=(const Usage& other) {
  user_s -= other.user_s;
  sys_s -= other.sys_s;
  voluntary -= other.voluntary;
  involuntary -= other.involuntary;
  return *this;
}

RunFigures& RunFigures::operator+=(const RunFigures& other) {
  checksum += other.checksum;
  gil += other.gil;
  usage += other.usage;
  counters += other.counters;
  sched += other.sched;
  last_cpus = other.last_cpus;
  io += other.io;
  pools += other.pools;
  fairness += other.fairness;
  slowest_worker += other.slowest_worker;
  memory_bind_tries += other.memory_bind_tries;
  memory_bound += other.memory_bound;
  for (const auto& [key, entry] : other.blame) {
    gil::BlameEntry& mine = blame[key];
    mine.wait_ns += entry.wait_ns;
    mine.waits += entry.waits;
  }
  return *this;
}

double IoFigures::LatencyPercentile(double p) const {
  if (latency_us.empty()) return 0;
  std::vector<double> sorted = latency_us;
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

IoFigures& IoFigures::operator+=(const IoFigures& other) {
  latency_us.insert(latency_us.end(), other.latency_us.begin(), other.latency_us.end());
  ops += other.ops;
  seconds += other.seconds;
  return *this;
}

std::optional<double> JainIndex(const std::vector<double>& shares) {
  if (shares.size() < 2) return std::nullopt;
  double sum = 0, sum_sq = 0;
  for (double x : shares) {
    sum += x;
    sum_sq += x * x;
  }
  if (sum_sq <= 0) return std::nullopt;
  return sum * sum / (static_cast<double>(shares.size()) * sum_sq);
}

Fairness& Fairness::operator+=(const Fairness& other) {
  hold_sum += other.hold_sum;
  work_sum += other.work_sum;
  cpu_sum += other.cpu_sum;
  runs += other.runs;
  side_by_side = side_by_side || other.side_by_side;
  return *this;
}

void SideBySide(const std::vector<WorkerShare>& workers, SlowestWorker* slowest,
                Fairness* fairness) {
  *slowest = SlowestWorker{};
  *fairness = Fairness{};
  const WorkerShare* longest = nullptr;
  std::vector<double> work, cpu;
  bool all_timed = true;
  for (const WorkerShare& w : workers) {
    if (longest == nullptr || w.wall_ns > longest->wall_ns) longest = &w;
    const std::optional<uint64_t> task = w.sched.Value(SchedMetric::kTaskClockNs);
    if (w.wall_ns == 0 || !task) {
      all_timed = false;
      continue;
    }
    work.push_back(static_cast<double>(w.vm_ticks) / static_cast<double>(w.wall_ns));
    cpu.push_back(static_cast<double>(*task) / static_cast<double>(w.wall_ns));
  }
  if (longest != nullptr && longest->wall_ns > 0) {
    *slowest = SlowestWorker{longest->wall_ns, longest->vm_ticks, longest->sched, 1};
  }
  const std::optional<double> fair_work = JainIndex(work);
  const std::optional<double> fair_cpu = JainIndex(cpu);
  if (all_timed && fair_work && fair_cpu) {
    *fairness = Fairness{0, *fair_work, *fair_cpu, 1, /*side_by_side=*/true};
  }
}

SlowestWorker& SlowestWorker::operator+=(const SlowestWorker& other) {
  wall_ns += other.wall_ns;
  vm_ticks += other.vm_ticks;
  sched += other.sched;
  runs += other.runs;
  return *this;
}

}  // namespace gilbench::harness
