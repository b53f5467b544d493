// Tests of the GIL factory and of the py3 policy's protocol: mutual exclusion, progress through
// drop requests, forced switching on and off, counters, and the run-time knobs. Timing is only
// ever asserted as a generous upper bound; the assertions are about structure.
#include "gil/gil.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace gilbench::gil {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kGenerous = std::chrono::seconds(10);  // "eventually", on a loaded 2-core VM

std::unique_ptr<Gil> MakePy3(int64_t interval_us, bool forced_switch = true) {
  GilConfig config;
  config.policy = "py3";
  config.switch_interval_us = interval_us;
  config.forced_switch = forced_switch;
  std::string error;
  std::unique_ptr<Gil> gil = MakeGil(config, &error);
  EXPECT_NE(gil, nullptr) << error;
  return gil;
}

bool DropRequested(const Gil& gil) {
  return (gil.eval_breaker().load(std::memory_order_relaxed) & Gil::kDropRequestBit) != 0;
}

// Spins until `done` holds or the deadline passes; returns whether `done` held.
bool SpinUntil(const std::function<bool()>& done, Clock::duration timeout = kGenerous) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// The holder's side of the interpreter loop: runs "bytecode" (a spin) and answers the eval
// breaker, until `done` holds or the deadline passes. Returns whether `done` held.
bool RunHoldingUntil(Gil& gil, GilThread& self, const std::function<bool()>& done) {
  const Clock::time_point deadline = Clock::now() + kGenerous;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    if (gil.eval_breaker().load(std::memory_order_relaxed) != 0) gil.OnEvalBreaker(&self);
  }
  return true;
}

GilConfig ConfigFor(const std::string& policy) {
  GilConfig config;
  config.policy = policy;
  return config;
}

TEST(Py3GilTest, FactoryBuildsPy3WithTheConfiguredKnobs) {
  GilConfig config = ConfigFor("py3");
  config.switch_interval_us = 1234;
  config.check_interval = 77;
  std::string error = "stale";
  std::unique_ptr<Gil> gil = MakeGil(config, &error);
  ASSERT_NE(gil, nullptr);
  EXPECT_EQ(error, "");
  EXPECT_STREQ(gil->PolicyName(), "py3");
  EXPECT_EQ(gil->SwitchIntervalUs(), 1234);
  EXPECT_EQ(gil->CheckInterval(), 77);
  EXPECT_EQ(gil->eval_breaker().load(), 0u);
}

TEST(Py3GilTest, FactoryReportsPoliciesNotBuiltYet) {
  for (const char* name : {"py2", "fifo", "prio", "subinterp"}) {
    std::string error;
    EXPECT_EQ(MakeGil(ConfigFor(name), &error), nullptr) << name;
    EXPECT_EQ(error, std::string("GIL policy '") + name + "' is not built yet");
  }
}

TEST(Py3GilTest, FactoryRejectsUnknownPolicy) {
  for (const char* name : {"x", "", "PY3", "py3 "}) {
    std::string error;
    EXPECT_EQ(MakeGil(ConfigFor(name), &error), nullptr) << name;
    EXPECT_EQ(error, std::string("unknown GIL policy '") + name +
                         "' (choose py2, py3, fifo, prio, subinterp)");
  }
}

TEST(Py3GilTest, FactoryRejectsNonPositiveSwitchInterval) {
  GilConfig config = ConfigFor("py3");
  config.switch_interval_us = 0;
  std::string error;
  EXPECT_EQ(MakeGil(config, &error), nullptr);
  EXPECT_EQ(error, "switch interval must be at least 1 us, got 0");
  EXPECT_EQ(MakeGil(config, nullptr), nullptr);  // a null error pointer is allowed
}

TEST(Py3GilTest, UncontendedAcquireReleaseCountsOnlyAcquisitions) {
  std::unique_ptr<Gil> gil = MakePy3(5000);
  GilThread self(1);
  for (int i = 0; i < 1000; ++i) {
    gil->Acquire(&self);
    gil->Release(&self);
  }
  const GilThreadCounters& counters = self.counters();
  EXPECT_EQ(counters.acquisitions, 1000u);
  EXPECT_EQ(counters.handoffs, 0u);  // the first take has no previous holder to hand off from
  EXPECT_EQ(counters.futile_wakeups, 0u);
  EXPECT_EQ(counters.drop_requests, 0u);
  EXPECT_EQ(counters.wait_ns_total, 0u);  // never had to wait, so never read the clock
  EXPECT_EQ(gil->eval_breaker().load(), 0u);
}

TEST(Py3GilTest, OnEvalBreakerWithoutRequestKeepsTheGil) {
  std::unique_ptr<Gil> gil = MakePy3(5000);
  GilThread self(1);
  gil->Acquire(&self);
  gil->OnEvalBreaker(&self);
  gil->Release(&self);
  EXPECT_EQ(self.counters().acquisitions, 1u);
  EXPECT_EQ(self.counters().requested_drops, 0u);
}

// Each thread checks, every time it holds the GIL, that no one else does.
TEST(Py3GilTest, MutualExclusion) {
  constexpr int kThreads = 4;
  constexpr int kIterations = 2000;
  std::unique_ptr<Gil> gil = MakePy3(20);
  std::atomic<uint32_t> owner{0};
  std::atomic<int> violations{0};
  int64_t guarded_count = 0;  // plain: the GIL alone protects it
  std::vector<GilThread> records;
  for (int i = 0; i < kThreads; ++i) records.emplace_back(i + 1);
  std::vector<std::thread> threads;
  for (GilThread& self : records) {
    threads.emplace_back([&gil, &owner, &violations, &guarded_count, &self] {
      for (int i = 0; i < kIterations; ++i) {
        gil->Acquire(&self);
        for (int step = 0; step < 50; ++step) {
          if (owner.exchange(self.id()) != 0) ++violations;
          ++guarded_count;
          if (owner.exchange(0) != self.id()) ++violations;
          if (gil->eval_breaker().load(std::memory_order_relaxed) != 0) gil->OnEvalBreaker(&self);
        }
        gil->Release(&self);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_EQ(guarded_count, int64_t{kThreads} * kIterations * 50);
}

// A thread that never releases voluntarily must still let a waiter in: the waiter's timed wait
// expires, it sets the drop request, and the holder drops at its next eval-breaker check.
TEST(Py3GilTest, WaiterGetsTheGilFromASpinningHolder) {
  std::unique_ptr<Gil> gil = MakePy3(500);
  GilThread holder(1);
  GilThread waiter(2);
  std::atomic<bool> holding{false};
  std::atomic<bool> waiter_got_it{false};
  gil->Acquire(&holder);
  holding = true;
  std::thread other([&] {
    ASSERT_TRUE(SpinUntil([&] { return holding.load(); }));
    gil->Acquire(&waiter);
    waiter_got_it = true;
    gil->Release(&waiter);
  });
  const bool handed_over = RunHoldingUntil(*gil, holder, [&] { return waiter_got_it.load(); });
  gil->Release(&holder);
  other.join();
  EXPECT_TRUE(handed_over) << "the waiter did not get the GIL within 10 s";
  EXPECT_GE(waiter.counters().drop_requests, 1u);
  EXPECT_GE(holder.counters().requested_drops, 1u);
  EXPECT_EQ(waiter.counters().handoffs, 1u);
  EXPECT_GT(waiter.counters().wait_ns_total, 0u);
}

// With forced switching the dropper does not return from a requested drop before another thread
// has held the GIL; with one other thread, that thread has run by then.
TEST(Py3GilTest, ForcedSwitchHandsOverOnTheFirstRequest) {
  std::unique_ptr<Gil> gil = MakePy3(200, /*forced_switch=*/true);
  GilThread holder(1);
  GilThread waiter(2);
  std::atomic<bool> holding{false};
  std::atomic<bool> waiter_got_it{false};
  gil->Acquire(&holder);
  holding = true;
  std::thread other([&] {
    ASSERT_TRUE(SpinUntil([&] { return holding.load(); }));
    gil->Acquire(&waiter);
    waiter_got_it = true;
    gil->Release(&waiter);
  });
  ASSERT_TRUE(SpinUntil([&] { return DropRequested(*gil); }));
  gil->OnEvalBreaker(&holder);
  EXPECT_TRUE(waiter_got_it.load()) << "the forced drop returned before the waiter ran";
  EXPECT_EQ(holder.counters().requested_drops, 1u);
  EXPECT_LE(holder.counters().forced_switches, 1u);  // 0 if the waiter was in before we waited
  EXPECT_EQ(holder.counters().acquisitions, 2u);
  gil->Release(&holder);
  other.join();
}

// Without forced switching the dropper races the woken waiter and may win many times, but drops
// keep being requested and the holder never waits for a successor.
TEST(Py3GilTest, NoForcedSwitchStillAnswersRequests) {
  std::unique_ptr<Gil> gil = MakePy3(200, /*forced_switch=*/false);
  EXPECT_STREQ(gil->PolicyName(), "py3");
  GilThread holder(1);
  GilThread waiter(2);
  std::atomic<bool> holding{false};
  std::atomic<bool> waiter_got_it{false};
  gil->Acquire(&holder);
  holding = true;
  std::thread other([&] {
    ASSERT_TRUE(SpinUntil([&] { return holding.load(); }));
    gil->Acquire(&waiter);
    waiter_got_it = true;
    gil->Release(&waiter);
  });
  // Stop after a bounded number of requests: whether the waiter wins a race is up to the OS.
  RunHoldingUntil(*gil, holder,
                  [&] { return waiter_got_it.load() || holder.counters().requested_drops >= 200; });
  gil->Release(&holder);
  other.join();  // after a voluntary release the waiter gets it for sure
  EXPECT_TRUE(waiter_got_it.load());
  EXPECT_GE(holder.counters().requested_drops, 1u);
  EXPECT_EQ(holder.counters().forced_switches, 0u);
  EXPECT_EQ(holder.counters().acquisitions, 1 + holder.counters().requested_drops);
  EXPECT_GE(waiter.counters().drop_requests, holder.counters().requested_drops);
}

TEST(Py3GilTest, CountersAddUp) {
  constexpr int kThreads = 4;
  constexpr uint64_t kAcquiresPerThread = 500;
  std::unique_ptr<Gil> gil = MakePy3(50);
  std::vector<GilThread> records;
  for (int i = 0; i < kThreads; ++i) records.emplace_back(i + 1);
  std::vector<std::thread> threads;
  for (GilThread& self : records) {
    threads.emplace_back([&gil, &self] {
      for (uint64_t i = 0; i < kAcquiresPerThread; ++i) {
        gil->Acquire(&self);
        for (int step = 0; step < 200; ++step) {
          if (gil->eval_breaker().load(std::memory_order_relaxed) != 0) gil->OnEvalBreaker(&self);
        }
        gil->Release(&self);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  GilThreadCounters total;
  for (const GilThread& self : records) {
    const GilThreadCounters& counters = self.counters();
    // Every take is an Acquire call or the re-take after a requested drop.
    EXPECT_EQ(counters.acquisitions, kAcquiresPerThread + counters.requested_drops);
    EXPECT_LE(counters.handoffs, counters.acquisitions);
    EXPECT_LE(counters.forced_switches, counters.requested_drops);
    total += counters;
  }
  EXPECT_EQ(total.acquisitions, kThreads * kAcquiresPerThread + total.requested_drops);
  EXPECT_LE(total.handoffs, total.acquisitions);
  // Each request set is answered by at most one drop (the next take clears it).
  EXPECT_LE(total.requested_drops, total.drop_requests);
  EXPECT_EQ(gil->eval_breaker().load(), 0u);  // the last take cleared any request
}

TEST(Py3GilTest, KnobsReadBackAndClamp) {
  std::unique_ptr<Gil> gil = MakePy3(5000);
  gil->SetSwitchIntervalUs(1234);
  EXPECT_EQ(gil->SwitchIntervalUs(), 1234);
  gil->SetSwitchIntervalUs(0);
  EXPECT_EQ(gil->SwitchIntervalUs(), 1);
  gil->SetCheckInterval(7);
  EXPECT_EQ(gil->CheckInterval(), 7);
}

// A waiter reads the interval at each wait: with a minute-long interval nobody asks the holder
// to drop; after the holder shortens it, the next waiter asks within a few intervals.
TEST(Py3GilTest, SetSwitchIntervalTakesEffect) {
  std::unique_ptr<Gil> gil = MakePy3(60'000'000);
  GilThread holder(1);
  gil->Acquire(&holder);
  for (uint32_t id : {2u, 3u}) {
    GilThread waiter(id);
    std::atomic<bool> asking{false};
    std::thread other([&] {
      asking = true;
      gil->Acquire(&waiter);
      gil->Release(&waiter);
    });
    ASSERT_TRUE(SpinUntil([&] { return asking.load(); }));
    if (id == 2) {
      EXPECT_FALSE(SpinUntil([&] { return DropRequested(*gil); }, std::chrono::milliseconds(100)));
      gil->SetSwitchIntervalUs(100);  // from the holder, while the waiter waits
    } else {
      EXPECT_TRUE(SpinUntil([&] { return DropRequested(*gil); }));
    }
    gil->Release(&holder);
    other.join();
    EXPECT_EQ(waiter.counters().drop_requests, id == 2 ? 0u : 1u);
    gil->Acquire(&holder);
  }
  gil->Release(&holder);
}

TEST(Py3GilTest, MisuseIsFatal) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::unique_ptr<Gil> gil = MakePy3(5000);
  GilThread self(1);
  EXPECT_DEATH(gil->Release(&self), "Release by a thread that does not hold the GIL");
  gil->Acquire(&self);
  EXPECT_DEATH(gil->Acquire(&self), "Acquire by the thread that holds the GIL");
  gil->Release(&self);
}

}  // namespace
}  // namespace gilbench::gil
