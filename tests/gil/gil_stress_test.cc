// Stress of the py3 GIL: eight threads and a switch interval of a few microseconds, so drop
// requests, forced switches, futile wakeups and voluntary releases interleave in every order.
// Shared counters are plain integers that only the GIL protects: totals that come out exact, and
// a clean ThreadSanitizer run, show the GIL orders every access. Bounded by iterations and by
// time, so it finishes quickly under TSan on a small machine.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gil/gil.h"

namespace gilbench::gil {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kThreads = 8;
constexpr int64_t kIntervalUs = 5;
constexpr uint64_t kTargetSwitches = 100'000;  // changes of holder, over all threads
// Odd threads are I/O-bound (Release + Acquire often), even ones CPU-bound (rarely): the mix that
// produces drop requests, forced switches and futile wakeups together.
constexpr uint64_t kStepsPerReleaseIo = 97;
constexpr uint64_t kStepsPerReleaseCpu = 5003;
constexpr int kSpinPerStep = 64;
constexpr auto kTimeBudget = std::chrono::seconds(3);

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
    if (gil.eval_breaker().load(std::memory_order_relaxed) != 0) gil.OnEvalBreaker(&self);
    if (outcome.steps % steps_per_release == 0) {
      gil.Release(&self);
      std::this_thread::yield();  // the "I/O": lets a waiter run before we ask again
      gil.Acquire(&self);
      ++outcome.acquire_calls;
    }
    // sys.setswitchinterval from the holder while others wait on the interval.
    if (outcome.steps % 10'007 == 0) gil.SetSwitchIntervalUs(kIntervalUs + (outcome.steps & 1));
  }
  gil.Release(&self);
  ++finished;
}

void RunStress(bool forced_switch) {
  GilConfig config;
  config.switch_interval_us = kIntervalUs;
  config.forced_switch = forced_switch;
  std::string error;
  std::unique_ptr<Gil> gil = MakeGil(config, &error);
  ASSERT_NE(gil, nullptr) << error;

  Shared shared;
  std::atomic<bool> stop{false};
  std::atomic<int> finished{0};
  std::vector<GilThread> records;
  for (int i = 0; i < kThreads; ++i) records.emplace_back(i + 1);
  std::vector<Outcome> outcomes(kThreads);
  std::vector<std::thread> threads;
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back(RunThread, std::ref(*gil), std::ref(records[i]), std::ref(shared),
                         std::cref(stop), std::ref(finished), std::ref(outcomes[i]));
  }
  // Threads stop at the switch target; the time budget bounds the run under TSan.
  while (finished.load() < kThreads && Clock::now() - start < kTimeBudget) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (std::thread& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  GilThreadCounters total;
  uint64_t steps = 0;
  for (int i = 0; i < kThreads; ++i) {
    const GilThreadCounters& counters = records[i].counters();
    EXPECT_EQ(shared.per_thread_steps[i + 1], outcomes[i].steps) << "thread " << i + 1;
    EXPECT_EQ(counters.acquisitions, outcomes[i].acquire_calls + counters.requested_drops);
    EXPECT_LE(counters.forced_switches, counters.requested_drops);
    if (!forced_switch) {
      EXPECT_EQ(counters.forced_switches, 0u);
    }
    steps += outcomes[i].steps;
    total += counters;
  }
  EXPECT_EQ(shared.total_steps, steps);
  EXPECT_EQ(shared.left, steps);
  EXPECT_EQ(shared.right, steps);
  EXPECT_EQ(shared.torn_reads, 0u);
  EXPECT_GT(steps, 0u);
  EXPECT_LE(total.handoffs, total.acquisitions);
  EXPECT_LE(total.requested_drops, total.drop_requests);
  // Every change of runner seen by the steps is a handoff (the first step's is a first take).
  EXPECT_LE(shared.switches, total.handoffs + 1);
  std::printf(
      "forced_switch=%d: %.2f s, %llu steps, %llu switches seen, %llu acquisitions, %llu handoffs, "
      "%llu drop "
      "requests, %llu requested drops, %llu forced switches, %llu futile wakeups\n",
      forced_switch ? 1 : 0, seconds, static_cast<unsigned long long>(steps),
      static_cast<unsigned long long>(shared.switches),
      static_cast<unsigned long long>(total.acquisitions),
      static_cast<unsigned long long>(total.handoffs),
      static_cast<unsigned long long>(total.drop_requests),
      static_cast<unsigned long long>(total.requested_drops),
      static_cast<unsigned long long>(total.forced_switches),
      static_cast<unsigned long long>(total.futile_wakeups));
}

TEST(Py3GilStressTest, EightThreadsWithForcedSwitching) { RunStress(/*forced_switch=*/true); }

TEST(Py3GilStressTest, EightThreadsWithoutForcedSwitching) { RunStress(/*forced_switch=*/false); }

}  // namespace
}  // namespace gilbench::gil
