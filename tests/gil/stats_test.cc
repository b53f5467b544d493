// Tests of the statistics' building blocks: the log-linear histogram's buckets and percentiles,
// and StatsJson's shape (keys, knobs, per-thread objects).
#include "gil/stats.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gil/gil.h"
#include "gil/histogram.h"
#include "gil/run_delay.h"
#include "tests/gil/gil_test_util.h"

namespace gilbench::gil {
namespace {

using testing::JsonValue;

TEST(HistogramTest, SmallValuesAreExact) {
  LogLinearHistogram histogram;
  for (uint64_t v = 0; v < 16; ++v) histogram.Record(v);
  EXPECT_EQ(histogram.count(), 16u);
  EXPECT_EQ(histogram.Percentile(0.5), 7u);  // rank 8 of 0..15
  EXPECT_EQ(histogram.Percentile(1.0), 15u);
  EXPECT_EQ(histogram.max(), 15u);
}

TEST(HistogramTest, BucketsCoverEveryValueInOrder) {
  for (uint64_t v : {16ull, 17ull, 31ull, 32ull, 1000ull, 123456789ull, ~0ull}) {
    const size_t bucket = LogLinearHistogram::BucketOf(v);
    ASSERT_LT(bucket, LogLinearHistogram::kBuckets);
    EXPECT_LE(LogLinearHistogram::BucketLow(bucket), v);
    if (bucket + 1 < LogLinearHistogram::kBuckets) {
      EXPECT_GT(LogLinearHistogram::BucketLow(bucket + 1), v);
    }
  }
}

TEST(HistogramTest, PercentilesWithinThreePercent) {
  LogLinearHistogram histogram;
  for (uint64_t v = 1; v <= 100'000; ++v) histogram.Record(v * 10);
  const double p50 = static_cast<double>(histogram.Percentile(0.50));
  const double p99 = static_cast<double>(histogram.Percentile(0.99));
  EXPECT_NEAR(p50, 500'000, 500'000 * 0.035);
  EXPECT_NEAR(p99, 990'000, 990'000 * 0.035);
  EXPECT_EQ(histogram.max(), 1'000'000u);
  EXPECT_EQ(histogram.Percentile(1.0), 1'000'000u);  // never above the largest value
}

TEST(HistogramTest, MergeAddsCountsAndKeepsTheMax) {
  LogLinearHistogram a;
  LogLinearHistogram b;
  a.Record(10);
  b.Record(5000);
  b.Record(7);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.sum(), 5017u);
  EXPECT_EQ(a.max(), 5000u);
  EXPECT_EQ(LogLinearHistogram().Percentile(0.5), 0u);  // empty
}

TEST(StatsJsonTest, HasTheDesignKeysTheKnobsAndEveryThread) {
  GilConfig config;
  config.policy = "fifo";
  config.switch_interval_us = 321;
  std::string error;
  std::unique_ptr<Gil> gil = MakeGil(config, &error);
  ASSERT_NE(gil, nullptr) << error;
  std::unique_ptr<GilThread> main = gil->RegisterThread("main \"quoted\"");
  gil->Acquire(main.get());
  gil->Release(main.get());
  const JsonValue before = testing::ParseJsonOrFail(gil->StatsJson());
  EXPECT_EQ(before.U64("unretired_threads"), 1u);  // not retired yet: left out, and said so
  gil->RetireThread(std::move(main));
  const JsonValue stats = testing::ParseJsonOrFail(gil->StatsJson());
  EXPECT_EQ(stats.Str("policy"), "fifo");
  EXPECT_EQ(stats.U64("switch_interval_us"), 321u);
  EXPECT_EQ(stats.U64("check_interval"), 100u);
  for (const char* key : {"gil_acquisitions",
                          "gil_handoffs",
                          "gil_futile_wakeups",
                          "gil_drop_requests",
                          "gil_forced_switches",
                          "gil_wait_ns_total",
                          "gil_wait_ns_p50",
                          "gil_wait_ns_p99",
                          "gil_wait_ns_max",
                          "gil_hold_ns_p50",
                          "gil_hold_ns_p99",
                          "gil_hold_ns_total",
                          "gil_hold_ns_max",
                          "gil_gap_ns_total",
                          "vm_ticks",
                          "gil_holdings_after_move",
                          "vm_ticks_after_move",
                          "gil_hold_ns_after_move",
                          "gil_hold_offcpu_ns",
                          "gil_tenures",
                          "gil_gap_cpu_wait_ns",
                          "gil_idle_ns"}) {
    EXPECT_NE(stats.Get(key), nullptr) << key;
  }
  EXPECT_EQ(stats.U64("gil_acquisitions"), 1u);
  ASSERT_EQ(stats.Get("threads")->array.size(), 1u);
  EXPECT_EQ(stats.Get("threads")->array[0].Str("name"), "main \"quoted\"");
  EXPECT_EQ(stats.Get("threads")->array[0].U64("gil_acquisitions"), 1u);
}

// The interpreter's ticks belong to the holding that did them: booked at the drop, and a holding
// with none books none.
TEST(GilThreadBookkeepingTest, TicksGoToTheHoldingThatDidThem) {
  GilThread thread(1);
  thread.NoteTaken(100, 0, false);
  thread.AddTicks(5);
  thread.AddTicks(7);
  thread.NoteDropped(1100, true);
  EXPECT_EQ(thread.counters().vm_ticks, 12u);
  thread.NoteTaken(2000, 1500, false);
  thread.NoteDropped(3000, true);
  EXPECT_EQ(thread.counters().vm_ticks, 12u);
  EXPECT_EQ(thread.counters().hold_ns_total, 2000u);
}

// A handoff's gap is the time the GIL lay free while the taker wanted it: from the later of the
// last drop (the policy stamps it as it frees the GIL; here the test does) and the taker's
// asking, to the take. A reacquisition, or a take without a wait, books none.
TEST(GilThreadBookkeepingTest, HandoffGapsRunFromTheLastDropOrTheAsking) {
  std::atomic<int64_t> last_drop{0};
  GilThread a(1), b(2);
  a.set_last_drop(&last_drop);
  b.set_last_drop(&last_drop);
  const auto drop = [&](GilThread& t, int64_t now) {
    last_drop.store(now);
    t.NoteDropped(now, false);
  };
  a.NoteTaken(0, 0, false);
  drop(a, 1000);
  b.NoteTaken(1500, 200, true);  // asked long before the drop: free for 500 ns
  EXPECT_EQ(b.counters().gap_ns_total, 500u);
  drop(b, 3000);
  a.NoteTaken(3400, 3100, true);  // asked after the drop: free for 300 ns of its wait
  EXPECT_EQ(a.counters().gap_ns_total, 300u);
  drop(a, 4000);
  a.NoteTaken(4500, 4100, false);  // its own again: no handoff, no gap
  drop(a, 5000);
  b.NoteTaken(5000, 0, true);  // no wait
  EXPECT_EQ(a.counters().gap_ns_total, 300u);
  EXPECT_EQ(b.counters().gap_ns_total, 500u);
}

// Of a handoff's gap, the taker's run delay since it began to wait (read from schedstat), and
// never more than the gap. Where schedstat cannot be read the gap is counted as unread, and the
// figure is then left out of the JSON rather than reported short.
TEST(GilThreadBookkeepingTest, TheCpuWaitOfAGapIsAtMostTheGap) {
  std::atomic<int64_t> last_drop{0};
  GilThread a(1), b(2);
  a.set_last_drop(&last_drop);
  b.set_last_drop(&last_drop);
  a.NoteTaken(MonotonicNs(), 0, false);
  const int64_t asked = MonotonicNs();
  b.NoteWaiting(asked);
  last_drop.store(MonotonicNs());
  a.NoteDropped(MonotonicNs(), false);
  b.NoteTaken(MonotonicNs(), asked, true);
  EXPECT_EQ(b.counters().gap_cpu_wait_unread, 0u) << "schedstat unreadable here?";
  EXPECT_LE(b.counters().gap_cpu_wait_ns, b.counters().gap_ns_total);
  // A take whose wait began without a reading (no NoteWaiting) is unread, not zero.
  b.NoteDropped(MonotonicNs(), false);
  last_drop.store(MonotonicNs());
  a.NoteTaken(MonotonicNs() + 1000, asked, true);
  EXPECT_EQ(a.counters().gap_cpu_wait_unread, 1u);
  GilThreadStats stats;
  stats.counters = a.counters();
  std::string json = "{";
  AppendStatsFields(&json, stats);
  EXPECT_EQ(json.find("gil_gap_cpu_wait_ns"), std::string::npos) << json;
}

// Idle time: from the Release that left no thread holding or wanting the GIL to the next
// Acquire, booked to the thread that asked; none while another thread still holds or waits, and
// none before the first Acquire.
TEST(GilIdleTest, IdleRunsFromTheLastReleaseToTheNextAcquire) {
  for (const char* policy : {"py2", "py3", "fifo", "prio"}) {
    std::string error;
    GilConfig config;
    config.policy = policy;
    std::unique_ptr<Gil> gil = MakeGil(config, &error);
    std::unique_ptr<GilThread> t = gil->RegisterThread("t");
    gil->Acquire(t.get());
    EXPECT_EQ(t->counters().idle_ns, 0u) << policy;
    const int64_t before_release = MonotonicNs();
    gil->Release(t.get());
    usleep(2000);
    gil->Acquire(t.get());
    const int64_t after_acquire = MonotonicNs();
    const uint64_t idle = t->counters().idle_ns;
    EXPECT_GT(idle, 0u) << policy;
    EXPECT_LE(idle, static_cast<uint64_t>(after_acquire - before_release)) << policy;
    gil->Release(t.get());
    gil->RetireThread(std::move(t));
  }
}

// Off-CPU time while holding: a tenure's wall time minus the thread's CPU time. A thread that
// sleeps while holding (as a preempted holder is off CPU) books about that long; one that spins
// books next to nothing. Tenures end at a voluntary drop, or at the drop before another thread's
// take.
TEST(GilThreadBookkeepingTest, OffCpuTimeWhileHoldingIsWallMinusCpu) {
  GilThread thread(1);
  int64_t t0 = MonotonicNs();
  thread.NoteTaken(t0, 0, false);
  usleep(20000);  // held, off CPU
  thread.NoteDropped(MonotonicNs(), true);
  EXPECT_EQ(thread.counters().tenures, 1u);
  EXPECT_GE(thread.counters().hold_offcpu_ns, 15'000'000u);
  const uint64_t after_sleep = thread.counters().hold_offcpu_ns;
  RunDelayReader run_delay;  // how long the scheduler kept this spinning thread from a CPU
  const std::optional<uint64_t> delay_before = run_delay.Read();
  thread.NoteTaken(MonotonicNs(), 0, false);
  const int64_t spin_until = MonotonicNs() + 20'000'000;
  while (MonotonicNs() < spin_until) {
  }
  thread.NoteDropped(MonotonicNs(), false);   // forced: the tenure stays open...
  thread.NoteTaken(MonotonicNs(), 0, false);  // ...and our own re-take continues it
  EXPECT_EQ(thread.counters().tenures, 1u);
  thread.NoteDropped(MonotonicNs(), false);
  thread.NoteTaken(MonotonicNs(), 1, true);  // another thread held it: the tenure ended
  EXPECT_EQ(thread.counters().tenures, 2u);
  // 20 ms of spinning: off CPU only as long as this machine preempted us (its run delay, read
  // where schedstat exists; else "not the whole of it"), with 2 ms for the clocks' reads.
  const std::optional<uint64_t> delay_after = run_delay.Read();
  const uint64_t spin_offcpu = thread.counters().hold_offcpu_ns - after_sleep;
  if (delay_before && delay_after) {
    EXPECT_LE(spin_offcpu, *delay_after - *delay_before + 2'000'000u);
  } else {
    EXPECT_LT(spin_offcpu, 15'000'000u);
  }
  thread.NoteDropped(MonotonicNs(), true);
  EXPECT_EQ(thread.counters().tenures, 3u);
}

// A holding that begins on another CPU than the thread's last one is counted apart, with its
// ticks and time (where the machine lets this thread run on two CPUs).
TEST(GilThreadBookkeepingTest, AHoldingAfterAChangeOfCpuIsCountedApart) {
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < 2; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  if (cpus.size() < 2) GTEST_SKIP() << "this thread may run on one CPU only";
  const auto pin = [](int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  };
  GilThread thread(1);
  pin(cpus[0]);
  thread.NoteTaken(0, 0, false);  // the first holding: no previous CPU, no move
  thread.AddTicks(10);
  thread.NoteDropped(100, true);
  thread.NoteTaken(200, 0, false);  // same CPU
  thread.NoteDropped(300, true);
  pin(cpus[1]);
  thread.NoteTaken(400, 0, false);  // moved
  thread.AddTicks(3);
  thread.NoteDropped(450, true);
  ASSERT_EQ(sched_setaffinity(0, sizeof allowed, &allowed), 0);
  EXPECT_EQ(thread.counters().holdings_after_move, 1u);
  EXPECT_EQ(thread.counters().vm_ticks_after_move, 3u);
  EXPECT_EQ(thread.counters().hold_ns_after_move, 50u);
  EXPECT_EQ(thread.counters().vm_ticks, 13u);
}

}  // namespace
}  // namespace gilbench::gil
