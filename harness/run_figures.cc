// getrusage snapshots and the sums of run figures (run_figures.h).
#include "harness/run_figures.h"

#include <sys/resource.h>

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
  last_cpus = other.last_cpus;
  return *this;
}

}  // namespace gilbench::harness
