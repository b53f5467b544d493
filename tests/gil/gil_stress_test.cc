// Stress of every shared-GIL policy: eight threads and a switch interval (and check interval) of
// a few microseconds/ticks, so drop requests, forced switches, handoffs, futile wakeups and
// voluntary releases interleave in every order. Shared counters are plain integers that only the
// GIL protects: totals that come out exact, and a clean ThreadSanitizer run, show the GIL orders
// every access. Bounded by switches and by time (2 s), so it finishes quickly under TSan.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "gil/gil.h"
#include "tests/gil/gil_test_util.h"

namespace gilbench::gil {
namespace {

using testing::Clock;
using testing::JsonValue;

constexpr int kThreads = 8;
constexpr int64_t kIntervalUs = 5;
constexpr int64_t kCheckInterval = 7;
constexpr uint64_t kTargetSwitches = 100'000;  // changes of holder, over all threads
// Odd threads are I/O-bound (Release + Acquire often), even ones CPU-bound (rarely): the mix that
// produces drop requests, forced switches and futile wakeups together.
constexpr uint64_t kStepsPerReleaseIo = 97;
constexpr uint64_t kStepsPerReleaseCpu = 5003;
constexpr int kSpinPerStep = 64;
constexpr auto kTimeBudget = std::chrono::seconds(2);

// State only the GIL protects (no atomics, no locks of its own).
struct Shared {
  uint64_t total_steps = 0;
  uint64_t per_thread_steps[kThreads + 1] = {};
  // Updated in two halves; a reader holding the GIL must never see them differ.
  uint64_t left = 0;
  uint64_t right = 0;
  uint64_t torn_reads = 0;
  uint32_t last_runner = 0;
  uint64_t switches = 0;  // times a step ran on a different thread than the step before
};

struct Outcome {
  uint64_t steps = 0;  // what this thread did, counted in its own locals
  uint64_t acquire_calls = 0;
  uint64_t work = 0;  // result of SpinWork, kept so the compiler cannot drop it
};

// A bytecode step's worth of private work, long enough that a holder outlasts the switch
// interval now and then and waiters' timed waits expire.
uint64_t SpinWork(uint64_t seed) {
  for (int i = 0; i < kSpinPerStep; ++i) seed = seed * 6364136223846793005u + 1442695040888963407u;
  return seed;
}

// One interpreter thread: holds the GIL, does "bytecode" steps on the shared state, answers the
// eval breaker, and now and then releases for pretend I/O; stops when the threads together have
// switched kTargetSwitches times, or at `stop`.
void RunThread(Gil& gil, GilThread& self, Shared& shared, const std::atomic<bool>& stop,
               std::atomic<int>& finished, Outcome& outcome) {
  const uint64_t steps_per_release = self.id() % 2 == 1 ? kStepsPerReleaseIo : kStepsPerReleaseCpu;
  gil.Acquire(&self);
  ++outcome.acquire_calls;
  while (shared.switches < kTargetSwitches && !stop.load(std::memory_order_relaxed)) {
    if (shared.left != shared.right) ++shared.torn_reads;
    if (shared.last_runner != self.id()) {
      shared.last_runner = self.id();
      ++shared.switches;
    }
    ++shared.left;
    ++shared.total_steps;
    ++shared.per_thread_steps[self.id()];
    ++shared.right;
    ++outcome.steps;
    outcome.work = SpinWork(outcome.work);
    testing::CheckBreaker(gil, self);
    if (outcome.steps % steps_per_release == 0) {
      gil.Release(&self);
      std::this_thread::yield();  // the "I/O": lets a waiter run before we ask again
      gil.Acquire(&self);
      ++outcome.acquire_calls;
    }
    // sys.setswitchinterval / setcheckinterval from the holder while others wait.
    if (outcome.steps % 10'007 == 0) {
      gil.SetSwitchIntervalUs(kIntervalUs + (outcome.steps & 1));
      gil.SetCheckInterval(kCheckInterval + (outcome.steps & 1));
    }
  }
  gil.Release(&self);
  ++finished;
}

struct StressCase {
  std::string policy;
  bool forced_switch;
  std::string name;
};

// How ctest and gtest name a case (instead of a hex dump of its bytes).
void PrintTo(const StressCase& c, std::ostream* os) { *os << c.name; }

class GilStressTest : public ::testing::TestWithParam<StressCase> {};

TEST_P(GilStressTest, EightThreads) {
  testing::PolicyOptions options;
  options.switch_interval_us = kIntervalUs;
  options.check_interval = kCheckInterval;
  options.forced_switch = GetParam().forced_switch;
  options.trace = true;
  options.trace_events_per_thread = 4096;  // small: the overflow path runs too
  std::unique_ptr<Gil> gil = testing::MakePolicy(GetParam().policy, options);
  ASSERT_NE(gil, nullptr);

  Shared shared;
  std::atomic<bool> stop{false};
  std::atomic<int> finished{0};
  std::vector<std::unique_ptr<GilThread>> records = testing::RegisterThreads(*gil, kThreads);
  std::vector<Outcome> outcomes(kThreads);
  std::vector<std::thread> threads;
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back(RunThread, std::ref(*gil), std::ref(*records[i]), std::ref(shared),
                         std::cref(stop), std::ref(finished), std::ref(outcomes[i]));
  }
  while (finished.load() < kThreads && Clock::now() - start < kTimeBudget) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (std::thread& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  GilThreadCounters total;
  uint64_t steps = 0;
  for (int i = 0; i < kThreads; ++i) {
    const GilThreadCounters& counters = records[i]->counters();
    EXPECT_EQ(shared.per_thread_steps[i + 1], outcomes[i].steps) << "thread " << i + 1;
    EXPECT_EQ(counters.acquisitions, outcomes[i].acquire_calls + counters.eval_breaker_drops);
    EXPECT_EQ(counters.acquisitions, counters.handoffs + counters.reacquisitions);
    EXPECT_LE(counters.forced_switches, counters.eval_breaker_drops);
    if (!GetParam().forced_switch) EXPECT_EQ(counters.forced_switches, 0u);
    steps += outcomes[i].steps;
    total += counters;
  }
  EXPECT_EQ(shared.total_steps, steps);
  EXPECT_EQ(shared.left, steps);
  EXPECT_EQ(shared.right, steps);
  EXPECT_EQ(shared.torn_reads, 0u);
  EXPECT_GT(steps, 0u);
  // Every change of runner seen by the steps is a handoff (the first step's is a first take).
  EXPECT_LE(shared.switches, total.handoffs + 1);
  testing::RetireAll(*gil, records);
  const JsonValue stats = testing::ParseJsonOrFail(gil->StatsJson());
  EXPECT_EQ(stats.U64("gil_acquisitions"), total.acquisitions);
  EXPECT_EQ(stats.U64("gil_futile_wakeups"), total.futile_wakeups);
  const JsonValue trace = testing::ParseJsonOrFail(gil->TraceJson());
  EXPECT_NE(trace.Get("traceEvents"), nullptr);
  std::printf(
      "%s: %.2f s, %llu steps, %llu switches seen, %llu acquisitions, %llu handoffs, %llu drop "
      "requests, %llu eval-breaker drops, %llu forced switches, %llu futile wakeups\n",
      GetParam().name.c_str(), seconds, static_cast<unsigned long long>(steps),
      static_cast<unsigned long long>(shared.switches),
      static_cast<unsigned long long>(total.acquisitions),
      static_cast<unsigned long long>(total.handoffs),
      static_cast<unsigned long long>(total.drop_requests),
      static_cast<unsigned long long>(total.eval_breaker_drops),
      static_cast<unsigned long long>(total.forced_switches),
      static_cast<unsigned long long>(total.futile_wakeups));
}

INSTANTIATE_TEST_SUITE_P(SharedGils, GilStressTest,
                         ::testing::Values(StressCase{"py2", true, "py2"},
                                           StressCase{"py3", true, "py3"},
                                           StressCase{"py3", false, "py3_no_forced_switch"},
                                           StressCase{"fifo", true, "fifo"},
                                           StressCase{"prio", true, "prio"}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gilbench::gil
