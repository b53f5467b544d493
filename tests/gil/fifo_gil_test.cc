// Tests of the fifo policy: no waiter is passed over (grant order equals arrival order, the
// latter read from the trace, where each wait begins under the policy's mutex at the moment the
// thread joins the queue), and every granted drop request is a handoff.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "gil/gil.h"
#include "tests/gil/gil_test_util.h"

namespace gilbench::gil {
namespace {

using testing::CheckBreaker;
using testing::JsonValue;
using testing::MakePolicy;
using testing::ParseJsonOrFail;
using testing::PolicyOptions;

// The thread ids of every "waiting" slice's begin, in time order: the order of arrival in the
// queue.
std::vector<uint32_t> ArrivalOrder(const JsonValue& trace) {
  std::vector<std::pair<double, uint32_t>> arrivals;
  for (const JsonValue& event : trace.Get("traceEvents")->array) {
    if (event.Str("ph") == "B" && event.Str("name") == "waiting") {
      arrivals.push_back({event.Num("ts"), static_cast<uint32_t>(event.Num("tid"))});
    }
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<uint32_t> order;
  for (const auto& arrival : arrivals) order.push_back(arrival.second);
  return order;
}

TEST(FifoGilTest, NoWaiterIsPassedOver) {
  constexpr int kThreads = 4;
  // Rounds go on until this many takes had waited (or a generous time limit): on a loaded machine
  // a fixed number of rounds can run with no contention at all, and then checks nothing.
  constexpr int kWantedGrants = 200;
  PolicyOptions options;
  options.switch_interval_us = 20;  // drop requests too, not only voluntary releases
  options.trace = true;
  std::unique_ptr<Gil> gil = MakePolicy("fifo", options);
  std::vector<std::unique_ptr<GilThread>> records = testing::RegisterThreads(*gil, kThreads);
  std::vector<uint32_t> grants;  // ids of takes that had waited, in take order; guarded by the GIL
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  std::atomic<int> granted{0};
  std::atomic<bool> stop{false};
  for (std::unique_ptr<GilThread>& record : records) {
    GilThread* self = record.get();
    threads.emplace_back([&gil, &grants, &ready, &granted, &stop, self] {
      ++ready;  // start together, so that they contend from the first round
      testing::SpinUntil([&] { return ready.load() == kThreads; });
      uint64_t waits_seen = 0;
      // Logs the take that just happened if it had waited (its own counters say so).
      auto log_if_waited = [&] {
        const uint64_t waits_now = self->counters().wait_ns_total;
        if (waits_now != waits_seen) {
          grants.push_back(self->id());
          ++granted;
        }
        waits_seen = waits_now;
      };
      while (!stop.load()) {
        gil->Acquire(self);
        log_if_waited();
        for (int step = 0; step < 2000; ++step) {
          const uint64_t drops = self->counters().eval_breaker_drops;
          CheckBreaker(*gil, *self);
          if (self->counters().eval_breaker_drops != drops) log_if_waited();
        }
        gil->Release(self);
      }
    });
  }
  testing::SpinUntil([&] { return granted.load() >= kWantedGrants; });
  stop = true;
  for (std::thread& thread : threads) thread.join();
  testing::RetireAll(*gil, records);
  const std::vector<uint32_t> arrivals = ArrivalOrder(ParseJsonOrFail(gil->TraceJson()));
  EXPECT_GE(grants.size(), static_cast<size_t>(kWantedGrants));
  ASSERT_EQ(grants.size(), arrivals.size());
  for (size_t i = 0; i < grants.size(); ++i) {
    ASSERT_EQ(grants[i], arrivals[i]) << "a waiter was passed over at grant " << i;
  }
}

// Two CPU-bound threads: every drop request that the holder answers hands the GIL to the waiter.
TEST(FifoGilTest, EveryGrantedDropRequestIsAHandoff) {
  PolicyOptions options;
  options.switch_interval_us = 50;
  std::unique_ptr<Gil> gil = MakePolicy("fifo", options);
  std::vector<std::unique_ptr<GilThread>> records = testing::RegisterThreads(*gil, 2);
  uint64_t drops = 0;  // guarded by the GIL
  std::vector<std::thread> threads;
  for (std::unique_ptr<GilThread>& record : records) {
    GilThread* self = record.get();
    threads.emplace_back([&gil, &drops, self] {
      gil->Acquire(self);
      while (drops < 2000) {
        const uint64_t before = self->counters().eval_breaker_drops;
        CheckBreaker(*gil, *self);
        drops += self->counters().eval_breaker_drops - before;
      }
      gil->Release(self);
    });
  }
  for (std::thread& thread : threads) thread.join();
  GilThreadCounters total;
  for (const std::unique_ptr<GilThread>& record : records) total += record->counters();
  testing::RetireAll(*gil, records);
  EXPECT_GE(total.eval_breaker_drops, 2000u);
  EXPECT_EQ(total.forced_switches, total.eval_breaker_drops);
  EXPECT_GE(total.handoffs, total.eval_breaker_drops);
  EXPECT_LE(total.drop_requests, total.eval_breaker_drops + 1);  // one may be left unanswered
  EXPECT_EQ(total.futile_wakeups, 0u);                           // a woken waiter owns the GIL
}

}  // namespace
}  // namespace gilbench::gil
