// Gil::TotalStats, the struct-level totals gilbench reports as user counters: it must agree with
// the top level of StatsJson (the same merge) and leave unretired threads out, as StatsJson does.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "gil/gil.h"
#include "tests/gil/gil_test_util.h"

namespace gilbench::gil {
namespace {

std::unique_ptr<Gil> MakePolicy(const std::string& policy) {
  GilConfig config;
  config.policy = policy;
  std::string error;
  std::unique_ptr<Gil> gil = MakeGil(config, &error);
  EXPECT_NE(gil, nullptr) << error;
  return gil;
}

TEST(GilTotalStatsTest, MatchesStatsJsonTopLevel) {
  std::unique_ptr<Gil> gil = MakePolicy("py3");
  std::unique_ptr<GilThread> a = gil->RegisterThread("a");
  std::unique_ptr<GilThread> b = gil->RegisterThread("b");
  for (int i = 0; i < 3; ++i) {
    gil->Acquire(a.get());
    gil->Release(a.get());
    gil->Acquire(b.get());
    gil->Release(b.get());
  }
  gil->RetireThread(std::move(a));
  gil->RetireThread(std::move(b));
  const GilThreadStats total = gil->TotalStats();
  const testing::JsonValue json = testing::ParseJsonOrFail(gil->StatsJson());
  EXPECT_EQ(total.counters.acquisitions, 6u);
  EXPECT_EQ(total.counters.acquisitions, json.U64("gil_acquisitions"));
  EXPECT_EQ(total.counters.handoffs, json.U64("gil_handoffs"));
  EXPECT_EQ(total.counters.futile_wakeups, json.U64("gil_futile_wakeups"));
  EXPECT_EQ(total.counters.wait_ns_total, json.U64("gil_wait_ns_total"));
  EXPECT_EQ(total.hold_ns.Percentile(0.99), json.U64("gil_hold_ns_p99"));
  EXPECT_EQ(total.wait_ns.count(), 6u);
}

TEST(GilTotalStatsTest, LeavesUnretiredThreadsOut) {
  std::unique_ptr<Gil> gil = MakePolicy("fifo");
  std::unique_ptr<GilThread> live = gil->RegisterThread("live");
  gil->Acquire(live.get());
  gil->Release(live.get());
  EXPECT_EQ(gil->TotalStats().counters.acquisitions, 0u);
  gil->RetireThread(std::move(live));
  EXPECT_EQ(gil->TotalStats().counters.acquisitions, 1u);
}

}  // namespace
}  // namespace gilbench::gil
