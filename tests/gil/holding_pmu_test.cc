// The holder's hardware counts (gil/holding_pmu.h). Where this machine has no PMU, the reader is
// empty and a GIL record books every tenure as unread, so the figures stay absent; the reading
// path itself is run with two software events, which every Linux counts.
#include "gil/holding_pmu.h"

#include <gtest/gtest.h>
#include <linux/perf_event.h>
#include <stdlib.h>

#include <string>

#include "gil/gil.h"
#include "gil/stats.h"

namespace gilbench::gil {
namespace {

void Spin(int64_t ns) {
  const int64_t until = MonotonicNs() + ns;
  while (MonotonicNs() < until) {
  }
}

TEST(HoldingPmuTest, SoftwareEventsReadAsGrowingCounts) {
  HoldingPmu pmu({HoldingPmu::Event{PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
                  HoldingPmu::Event{PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS}});
  const std::optional<HoldingPmu::Sample> before = pmu.Read();
  if (!before) GTEST_SKIP() << "perf_event_open refused software events here";
  Spin(2'000'000);
  const std::optional<HoldingPmu::Sample> after = pmu.Read();
  ASSERT_TRUE(after.has_value());
  EXPECT_GT((*after)[0], (*before)[0]);  // 2 ms of task clock
  EXPECT_GE((*after)[1], (*before)[1]);
}

TEST(HoldingPmuTest, DisabledByTheEnvironmentItStaysEmpty) {
  setenv("GILBENCH_NO_PMU", "1", 1);
  HoldingPmu pmu;
  EXPECT_FALSE(pmu.Read().has_value());
  EXPECT_FALSE(pmu.usable());
  unsetenv("GILBENCH_NO_PMU");
}

// Without counts a record books its tenures as unread, and the stats JSON then has no hardware
// keys: absent, never zero.
TEST(HoldingPmuTest, TenuresWithoutCountsLeaveTheFiguresAbsent) {
  setenv("GILBENCH_NO_PMU", "1", 1);
  GilThread thread(1);
  thread.NoteTaken(MonotonicNs(), 0, false);
  Spin(100'000);
  thread.NoteDropped(MonotonicNs(), true);
  unsetenv("GILBENCH_NO_PMU");
  EXPECT_EQ(thread.counters().tenures, 1u);
  EXPECT_EQ(thread.counters().hold_pmu_unread, 1u);
  EXPECT_FALSE(thread.counters().HoldPmuComplete());
  GilThreadStats stats;
  stats.counters = thread.counters();
  std::string json = "{";
  AppendStatsFields(&json, stats);
  EXPECT_EQ(json.find("gil_hold_cycles"), std::string::npos) << json;
}

}  // namespace
}  // namespace gilbench::gil
