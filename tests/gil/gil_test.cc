// Tests of the GIL factory, the knobs, the thread registry and what every policy must do alone:
// uncontended counters, misuse being fatal; and subinterp's one-GIL-per-thread.
#include "gil/gil.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gil/pthread_sync.h"
#include "tests/gil/gil_test_util.h"

namespace gilbench::gil {
namespace {

using testing::AllPolicies;
using testing::MakePolicy;
using testing::SpinUntil;

GilConfig ConfigFor(const std::string& policy) {
  GilConfig config;
  config.policy = policy;
  return config;
}

// A timed wait's deadline saturates: a switch interval of centuries (the knob has no upper bound)
// must wait as long as it can, not overflow into a deadline in the past and never wait.
TEST(PthreadSyncTest, DeadlinesSaturateInsteadOfOverflowing) {
  EXPECT_EQ(DeadlineAfterUs(1000, 5), 6000);
  EXPECT_EQ(DeadlineAfterUs(1000, 0), 1000);
  EXPECT_EQ(DeadlineAfterUs(1000, -7), 1000);
  EXPECT_EQ(DeadlineAfterUs(1000, INT64_MAX), INT64_MAX);                    // the multiplication
  EXPECT_EQ(DeadlineAfterUs(INT64_MAX - 10, 1), INT64_MAX);                  // the addition
  EXPECT_EQ(DeadlineAfterUs(0, INT64_MAX / 1000), INT64_MAX / 1000 * 1000);  // just fits
}

TEST(GilFactoryTest, BuildsEveryPolicyWithTheConfiguredKnobs) {
  for (const std::string& policy : AllPolicies()) {
    GilConfig config = ConfigFor(policy);
    config.switch_interval_us = 1234;
    config.check_interval = 77;
    std::string error = "stale";
    std::unique_ptr<Gil> gil = MakeGil(config, &error);
    ASSERT_NE(gil, nullptr) << policy;
    EXPECT_EQ(error, "");
    EXPECT_EQ(gil->PolicyName(), policy);
    EXPECT_EQ(gil->SwitchIntervalUs(), 1234);
    EXPECT_EQ(gil->CheckInterval(), 77);
    // Only py2 keeps the breaker set (every check is a tick); nobody has asked for a drop.
    EXPECT_EQ(gil->eval_breaker().load(), policy == "py2" ? Gil::kTickBit : 0u) << policy;
  }
}

TEST(GilFactoryTest, RejectsUnknownPolicy) {
  for (const char* name : {"x", "", "PY3", "py3 "}) {
    std::string error;
    EXPECT_EQ(MakeGil(ConfigFor(name), &error), nullptr) << name;
    EXPECT_EQ(error, std::string("unknown GIL policy '") + name +
                         "' (choose py2, py3, fifo, prio, subinterp)");
  }
}

TEST(GilFactoryTest, RejectsKnobsOutOfRange) {
  GilConfig config = ConfigFor("py3");
  config.switch_interval_us = 0;
  std::string error;
  EXPECT_EQ(MakeGil(config, &error), nullptr);
  EXPECT_EQ(error, "switch interval must be at least 1 us, got 0");
  EXPECT_EQ(MakeGil(config, nullptr), nullptr);  // a null error pointer is allowed
  config = ConfigFor("py2");
  config.check_interval = -3;
  EXPECT_EQ(MakeGil(config, &error), nullptr);
  EXPECT_EQ(error, "check interval must be at least 1, got -3");
}

TEST(GilFactoryTest, KnobsReadBackAndClamp) {
  for (const std::string& policy : AllPolicies()) {
    std::unique_ptr<Gil> gil = MakePolicy(policy);
    gil->SetSwitchIntervalUs(1234);
    EXPECT_EQ(gil->SwitchIntervalUs(), 1234);
    gil->SetSwitchIntervalUs(0);
    EXPECT_EQ(gil->SwitchIntervalUs(), 1);
    gil->SetCheckInterval(7);
    EXPECT_EQ(gil->CheckInterval(), 7);
    gil->SetCheckInterval(0);
    EXPECT_EQ(gil->CheckInterval(), 1);
  }
}

TEST(GilRegistryTest, IdsCountFromOneInRegistrationOrder) {
  std::unique_ptr<Gil> gil = MakePolicy("py3");
  std::unique_ptr<GilThread> main = gil->RegisterThread("main");
  std::unique_ptr<GilThread> worker = gil->RegisterThread("Thread-1 (work)");
  EXPECT_EQ(main->id(), 1u);
  EXPECT_EQ(worker->id(), 2u);
  EXPECT_EQ(worker->name(), "Thread-1 (work)");
  EXPECT_EQ(main->trace(), nullptr);  // tracing off: no buffer
  gil->RetireThread(std::move(worker));
  gil->RetireThread(std::move(main));
}

class EveryPolicyTest : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryPolicyTest, UncontendedAcquireReleaseCountsOnlyAcquisitions) {
  std::unique_ptr<Gil> gil = MakePolicy(GetParam());
  std::unique_ptr<GilThread> self = gil->RegisterThread("main");
  for (int i = 0; i < 1000; ++i) {
    gil->Acquire(self.get());
    gil->Release(self.get());
  }
  const GilThreadCounters& counters = self->counters();
  EXPECT_EQ(counters.acquisitions, 1000u);
  EXPECT_EQ(counters.handoffs, 0u);  // the first take has no previous holder to hand off from
  EXPECT_EQ(counters.reacquisitions, 1000u);
  EXPECT_EQ(counters.futile_wakeups, 0u);
  EXPECT_EQ(counters.drop_requests, 0u);
  EXPECT_EQ(counters.wait_ns_total, 0u);  // never had to wait
  EXPECT_EQ(self->stats().wait_ns.count(), 1000u);
  EXPECT_EQ(self->stats().hold_ns.count(), 1000u);
  EXPECT_EQ(gil->eval_breaker().load() & Gil::kDropRequestBit, 0u);
  gil->RetireThread(std::move(self));
}

TEST_P(EveryPolicyTest, OnEvalBreakerWithoutRequestKeepsTheGil) {
  std::unique_ptr<Gil> gil = MakePolicy(GetParam());
  std::unique_ptr<GilThread> self = gil->RegisterThread("main");
  gil->Acquire(self.get());
  for (int i = 0; i < 10; ++i) gil->OnEvalBreaker(self.get());  // fewer than py2's 100 ticks
  gil->Release(self.get());
  EXPECT_EQ(self->counters().acquisitions, 1u);
  EXPECT_EQ(self->counters().eval_breaker_drops, 0u);
  gil->RetireThread(std::move(self));
}

TEST_P(EveryPolicyTest, MisuseIsFatal) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::unique_ptr<Gil> gil = MakePolicy(GetParam());
  std::unique_ptr<GilThread> self = gil->RegisterThread("main");
  EXPECT_DEATH(gil->Release(self.get()), "Release by a thread that does not hold the GIL");
  gil->Acquire(self.get());
  EXPECT_DEATH(gil->Acquire(self.get()), "Acquire by the thread that holds the GIL");
  gil->Release(self.get());
  gil->RetireThread(std::move(self));
}

INSTANTIATE_TEST_SUITE_P(AllPolicies, EveryPolicyTest, ::testing::ValuesIn(AllPolicies()),
                         [](const auto& info) { return info.param; });

// Each thread has its own GIL: two threads hold "the GIL" at the same time, and neither waits.
TEST(SubinterpGilTest, ThreadsHoldTheirOwnGilsAtOnce) {
  std::unique_ptr<Gil> gil = MakePolicy("subinterp");
  std::unique_ptr<GilThread> first = gil->RegisterThread("first");
  std::unique_ptr<GilThread> second = gil->RegisterThread("second");
  std::atomic<bool> second_holds{false};
  gil->Acquire(first.get());
  std::thread other([&] {
    gil->Acquire(second.get());  // would block forever under a shared GIL
    second_holds = true;
    gil->Release(second.get());
  });
  EXPECT_TRUE(SpinUntil([&] { return second_holds.load(); }));
  other.join();
  gil->Release(first.get());
  EXPECT_EQ(gil->eval_breaker().load(), 0u);
  EXPECT_EQ(second->counters().wait_ns_total, 0u);
  EXPECT_EQ(second->counters().handoffs, 0u);
  gil->RetireThread(std::move(first));
  gil->RetireThread(std::move(second));
}

}  // namespace
}  // namespace gilbench::gil
