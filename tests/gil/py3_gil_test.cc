// Tests of the py3 policy's own protocol: a waiter gets the GIL within a few intervals, forced
// switching on and off (the --no-forced-switch ablation), and the switch interval read at run
// time. Timing is only ever asserted as a generous upper bound; the assertions are about counts.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "gil/gil.h"
#include "tests/gil/gil_test_util.h"

namespace gilbench::gil {
namespace {

using testing::MakePolicy;
using testing::PolicyOptions;
using testing::RunHoldingUntil;
using testing::SpinUntil;

std::unique_ptr<Gil> MakePy3(int64_t interval_us, bool forced_switch = true) {
  PolicyOptions options;
  options.switch_interval_us = interval_us;
  options.forced_switch = forced_switch;
  return MakePolicy("py3", options);
}

bool DropRequested(const Gil& gil) {
  return (gil.eval_breaker().load(std::memory_order_relaxed) & Gil::kDropRequestBit) != 0;
}

// Starts a thread that waits for `holding`, then acquires the GIL once and sets `got_it`.
std::thread StartWaiter(Gil& gil, GilThread& waiter, const std::atomic<bool>& holding,
                        std::atomic<bool>& got_it) {
  return std::thread([&gil, &waiter, &holding, &got_it] {
    ASSERT_TRUE(SpinUntil([&] { return holding.load(); }));
    gil.Acquire(&waiter);
    got_it = true;
    gil.Release(&waiter);
  });
}

// Progress: one drop request (one interval, plus at most a couple more if the OS is slow to
// schedule the waiter) is enough for a waiter to get the GIL from a CPU-bound holder.
TEST(Py3GilTest, WaiterGetsTheGilWithinAFewIntervals) {
  std::unique_ptr<Gil> gil = MakePy3(1000);
  std::unique_ptr<GilThread> holder = gil->RegisterThread("holder");
  std::unique_ptr<GilThread> waiter = gil->RegisterThread("waiter");
  std::atomic<bool> holding{false};
  std::atomic<bool> got_it{false};
  gil->Acquire(holder.get());
  holding = true;
  std::thread other = StartWaiter(*gil, *waiter, holding, got_it);
  EXPECT_TRUE(RunHoldingUntil(*gil, *holder, [&] { return got_it.load(); }));
  gil->Release(holder.get());
  other.join();
  EXPECT_EQ(holder->counters().eval_breaker_drops, 1u);  // forced switching: the first one works
  EXPECT_GE(waiter->counters().drop_requests, 1u);
  EXPECT_LE(waiter->counters().drop_requests, 3u);
  gil->RetireThread(std::move(holder));
  gil->RetireThread(std::move(waiter));
}

// With forced switching the dropper does not return from a requested drop before another thread
// has held the GIL; with one other thread, that thread has run by then.
TEST(Py3GilTest, ForcedSwitchHandsOverOnTheFirstRequest) {
  std::unique_ptr<Gil> gil = MakePy3(200, /*forced_switch=*/true);
  std::unique_ptr<GilThread> holder = gil->RegisterThread("holder");
  std::unique_ptr<GilThread> waiter = gil->RegisterThread("waiter");
  std::atomic<bool> holding{false};
  std::atomic<bool> got_it{false};
  gil->Acquire(holder.get());
  holding = true;
  std::thread other = StartWaiter(*gil, *waiter, holding, got_it);
  ASSERT_TRUE(SpinUntil([&] { return DropRequested(*gil); }));
  gil->OnEvalBreaker(holder.get());
  EXPECT_TRUE(got_it.load()) << "the forced drop returned before the waiter ran";
  EXPECT_EQ(holder->counters().eval_breaker_drops, 1u);
  EXPECT_LE(holder->counters().forced_switches, 1u);  // 0 if the waiter was in before we waited
  EXPECT_EQ(holder->counters().acquisitions, 2u);
  gil->Release(holder.get());
  other.join();
  gil->RetireThread(std::move(holder));
  gil->RetireThread(std::move(waiter));
}

// Without forced switching the dropper races the woken waiter and may win many times, but drops
// keep being requested and the holder never waits for a successor.
TEST(Py3GilTest, NoForcedSwitchStillAnswersRequests) {
  std::unique_ptr<Gil> gil = MakePy3(200, /*forced_switch=*/false);
  std::unique_ptr<GilThread> holder = gil->RegisterThread("holder");
  std::unique_ptr<GilThread> waiter = gil->RegisterThread("waiter");
  std::atomic<bool> holding{false};
  std::atomic<bool> got_it{false};
  gil->Acquire(holder.get());
  holding = true;
  std::thread other = StartWaiter(*gil, *waiter, holding, got_it);
  // Stop after a bounded number of requests: whether the waiter wins a race is up to the OS.
  RunHoldingUntil(*gil, *holder,
                  [&] { return got_it.load() || holder->counters().eval_breaker_drops >= 200; });
  gil->Release(holder.get());
  other.join();  // after a voluntary release the waiter gets it for sure
  const GilThreadCounters& counters = holder->counters();
  EXPECT_TRUE(got_it.load());
  EXPECT_GE(counters.eval_breaker_drops, 1u);
  EXPECT_EQ(counters.forced_switches, 0u);
  EXPECT_EQ(counters.acquisitions, 1 + counters.eval_breaker_drops);
  EXPECT_GE(waiter->counters().drop_requests, counters.eval_breaker_drops);
  gil->RetireThread(std::move(holder));
  gil->RetireThread(std::move(waiter));
}

// A waiter reads the interval at each wait: with a minute-long interval nobody asks the holder
// to drop; after the holder shortens it, the next waiter asks within a few intervals.
TEST(Py3GilTest, SetSwitchIntervalTakesEffect) {
  std::unique_ptr<Gil> gil = MakePy3(60'000'000);
  std::unique_ptr<GilThread> holder = gil->RegisterThread("holder");
  gil->Acquire(holder.get());
  for (int round = 0; round < 2; ++round) {
    std::unique_ptr<GilThread> waiter = gil->RegisterThread("waiter");
    std::atomic<bool> asking{false};
    std::thread other([&] {
      asking = true;
      gil->Acquire(waiter.get());
      gil->Release(waiter.get());
    });
    ASSERT_TRUE(SpinUntil([&] { return asking.load(); }));
    if (round == 0) {
      EXPECT_FALSE(SpinUntil([&] { return DropRequested(*gil); }, std::chrono::milliseconds(100)));
      gil->SetSwitchIntervalUs(100);  // from the holder, while the waiter waits
    } else {
      EXPECT_TRUE(SpinUntil([&] { return DropRequested(*gil); }));
    }
    gil->Release(holder.get());
    other.join();
    EXPECT_EQ(waiter->counters().drop_requests, round == 0 ? 0u : 1u);
    gil->RetireThread(std::move(waiter));
    gil->Acquire(holder.get());
  }
  gil->Release(holder.get());
  gil->RetireThread(std::move(holder));
}

}  // namespace
}  // namespace gilbench::gil
