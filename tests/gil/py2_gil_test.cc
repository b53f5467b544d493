// Tests of the py2 policy: the check interval counted in eval-breaker checks, and the phenomenon
// that made the old GIL famous, asserted on counters (never on times): two CPU-bound threads on
// two CPUs, where the releaser wins the lock back and the woken thread wakes in vain by the
// thousand, against the same two threads on one CPU, where the woken thread nearly always wins.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gil/gil.h"
#include "tests/gil/gil_test_util.h"

namespace gilbench::gil {
namespace {

using testing::AllowedCpus;
using testing::CheckBreaker;
using testing::Clock;
using testing::MakePolicy;
using testing::PinToCpu;
using testing::PolicyOptions;

TEST(Py2GilTest, DropsEveryCheckIntervalTicks) {
  PolicyOptions options;
  options.check_interval = 5;
  std::unique_ptr<Gil> gil = MakePolicy("py2", options);
  std::unique_ptr<GilThread> self = gil->RegisterThread("main");
  gil->Acquire(self.get());
  for (int i = 0; i < 12; ++i) CheckBreaker(*gil, *self);  // the breaker is always set
  gil->Release(self.get());
  EXPECT_EQ(self->counters().eval_breaker_drops, 2u);  // at ticks 5 and 10
  EXPECT_EQ(self->counters().acquisitions, 3u);
  EXPECT_EQ(self->counters().drop_requests, 0u);
  EXPECT_EQ(self->counters().forced_switches, 0u);
  EXPECT_EQ(gil->eval_breaker().load(), Gil::kTickBit);
  gil->RetireThread(std::move(self));
}

// How long the two threads contend: time, not a tick count, so that a loaded machine (ctest -j2
// puts another test on the other CPU) still gives them a stretch of real contention.
constexpr auto kContention = std::chrono::milliseconds(300);

struct TwoThreadOutcome {
  GilThreadCounters total;
  uint64_t ticks = 0;
  bool pinned = true;
  // CPU time the two threads got between them, as a share of the attempt's wall time. One of
  // them always holds the GIL and runs, so on an idle machine they use one CPU's worth (near 1,
  // on one CPU or two); well below it, other processes took their CPUs.
  double cpu_share = 0;
};

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Below this share of their CPUs, other processes competed with the two threads, and what the
// OS's scheduler does with a woken thread is no longer the phenomenon under test.
constexpr double kIdleShare = 0.8;

// Two CPU-bound threads (the test's model of countdown: hold the GIL, check the breaker), pinned
// to `cpu_a` and `cpu_b`, ticking for kContention at py2's default check interval.
TwoThreadOutcome RunTwoCpuBound(int cpu_a, int cpu_b) {
  std::unique_ptr<Gil> gil = MakePolicy("py2");
  std::vector<std::unique_ptr<GilThread>> records = testing::RegisterThreads(*gil, 2);
  uint64_t ticks = 0;  // guarded by the GIL
  std::atomic<bool> stop{false};
  std::atomic<bool> pinned{true};
  double cpu_seconds[2] = {0, 0};
  auto body = [&](GilThread* self, int cpu, double* cpu_used) {
    if (!PinToCpu(cpu)) pinned = false;
    const double cpu_start = ThreadCpuSeconds();
    gil->Acquire(self);
    while (!stop.load(std::memory_order_relaxed)) {
      ++ticks;
      CheckBreaker(*gil, *self);
    }
    gil->Release(self);
    *cpu_used = ThreadCpuSeconds() - cpu_start;
  };
  const auto started = Clock::now();
  std::thread a(body, records[0].get(), cpu_a, &cpu_seconds[0]);
  std::thread b(body, records[1].get(), cpu_b, &cpu_seconds[1]);
  std::this_thread::sleep_for(kContention);
  stop = true;
  a.join();
  b.join();
  const double wall = std::chrono::duration<double>(Clock::now() - started).count();
  TwoThreadOutcome outcome;
  outcome.cpu_share = (cpu_seconds[0] + cpu_seconds[1]) / wall;
  outcome.ticks = ticks;
  outcome.pinned = pinned.load();
  for (const std::unique_ptr<GilThread>& record : records) outcome.total += record->counters();
  testing::RetireAll(*gil, records);
  std::printf(
      "py2, CPUs %d and %d: %llu ticks, %llu acquisitions, %llu handoffs, %llu futile "
      "wakeups, CPU share %.2f\n",
      cpu_a, cpu_b, static_cast<unsigned long long>(outcome.ticks),
      static_cast<unsigned long long>(outcome.total.acquisitions),
      static_cast<unsigned long long>(outcome.total.handoffs),
      static_cast<unsigned long long>(outcome.total.futile_wakeups), outcome.cpu_share);
  return outcome;
}

// Up to five attempts, of which one must show the storm: when the machine is busy the OS may
// keep the waiter (or the releaser) off its CPU for most of an attempt, and then neither the
// releaser's wins nor the futile wakeups can show. An attempt shows the storm when the releaser
// won most checks and the waiter woke futilely 1000 times or more.
TEST(Py2GilTest, OnTwoCpusTheReleaserWinsAndWakeupsAreFutile) {
  const std::vector<int> cpus = AllowedCpus();
  if (cpus.size() < 2) GTEST_SKIP() << "needs 2 CPUs in the affinity mask, has " << cpus.size();
  bool storm = false;
  bool busy = false;
  std::string seen;
  for (int attempt = 0; attempt < 5 && !storm; ++attempt) {
    const TwoThreadOutcome outcome = RunTwoCpuBound(cpus[0], cpus[1]);
    busy = busy || outcome.cpu_share < kIdleShare;
    ASSERT_TRUE(outcome.pinned) << "pthread_setaffinity_np failed";
    const GilThreadCounters& total = outcome.total;
    ASSERT_GE(total.acquisitions, 1000u) << "too little work to judge";
    storm = total.handoffs * 5 < total.acquisitions && total.futile_wakeups >= 1000;
    seen += " [acquisitions " + std::to_string(total.acquisitions) + ", handoffs " +
            std::to_string(total.handoffs) + ", futile " + std::to_string(total.futile_wakeups) +
            "]";
  }
  if (!storm && busy) {
    GTEST_SKIP() << "other processes held the CPUs (the threads got under " << kIdleShare
                 << " of them): the storm cannot show; saw" << seen;
  }
  EXPECT_TRUE(storm) << "expected the releaser to win most checks and a storm of futile wakeups "
                        "(1000 or more) in one of 5 attempts; saw"
                     << seen;
}

TEST(Py2GilTest, OnOneCpuWakeupsSucceed) {
  const std::vector<int> cpus = AllowedCpus();
  if (cpus.empty()) GTEST_SKIP() << "no CPU in the affinity mask";
  // Up to five attempts, as above: another process on the CPU changes whom the OS runs after a
  // wakeup, so an attempt counts only when the two threads had the CPU to themselves.
  bool succeeded = false;
  bool busy = false;
  std::string seen;
  for (int attempt = 0; attempt < 5 && !succeeded; ++attempt) {
    const TwoThreadOutcome outcome = RunTwoCpuBound(cpus[0], cpus[0]);
    ASSERT_TRUE(outcome.pinned) << "pthread_setaffinity_np failed";
    const GilThreadCounters& total = outcome.total;
    ASSERT_GE(total.acquisitions, 1000u) << "too little work to judge";
    busy = busy || outcome.cpu_share < kIdleShare;
    // Nearly every wakeup finds the lock free: the futile ones are a small fraction of all.
    succeeded = total.futile_wakeups * 10 <= total.handoffs + total.futile_wakeups + 10 &&
                total.futile_wakeups < 1000;
    seen += " [handoffs " + std::to_string(total.handoffs) + ", futile " +
            std::to_string(total.futile_wakeups) + ", CPU share " +
            std::to_string(outcome.cpu_share) + "]";
  }
  if (!succeeded && busy) {
    GTEST_SKIP() << "other processes shared the CPU (the threads got under " << kIdleShare
                 << " of it): whom the OS wakes is not the policy's doing; saw" << seen;
  }
  EXPECT_TRUE(succeeded) << "expected few futile wakeups (under 10% and under 1000) on one CPU in "
                            "one of 5 attempts; saw"
                         << seen;
}

}  // namespace
}  // namespace gilbench::gil
