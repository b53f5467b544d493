// The scheduler figures of sched_counters.h: the sum's rules (absent is never zero, unlike
// sources never add up), and a probe on a busy thread that counts what the thread did, from
// perf when the kernel allows it and from /proc when it does not, or is absent with the reason.
#include "harness/sched_counters.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

namespace gilbench::harness {
namespace {

SchedReading PresentReading(std::uint64_t value, SchedSource source) {
  SchedReading r;
  r.values.fill(value);
  r.states.fill(SchedReading::State::kPresent);
  r.sources.fill(source);
  return r;
}

TEST(SchedReadingTest, EmptyIsTheIdentityOfTheSum) {
  SchedReading sum;
  sum += PresentReading(7, SchedSource::kOs);
  EXPECT_EQ(sum, PresentReading(7, SchedSource::kOs));
  sum += SchedReading{};
  EXPECT_EQ(sum.Value(SchedMetric::kRunDelayNs), 7u);
}

TEST(SchedReadingTest, PresentReadingsOfOneSourceAdd) {
  SchedReading sum = PresentReading(7, SchedSource::kPerf);
  sum += PresentReading(5, SchedSource::kPerf);
  EXPECT_EQ(sum.Value(SchedMetric::kTaskClockNs), 12u);
  EXPECT_EQ(sum.source(SchedMetric::kTaskClockNs), SchedSource::kPerf);
}

TEST(SchedReadingTest, AbsentWinsAndKeepsItsReason) {
  SchedReading sum = PresentReading(7, SchedSource::kOs);
  sum += SchedReading::Absent("no /proc here");
  sum += PresentReading(5, SchedSource::kOs);
  for (std::size_t i = 0; i < kSchedMetrics; ++i) {
    EXPECT_FALSE(sum.Value(static_cast<SchedMetric>(i)).has_value()) << kSchedMetricNames[i];
  }
  EXPECT_EQ(sum.reason(), "no /proc here");
}

TEST(SchedReadingTest, UnlikeSourcesDoNotAdd) {
  SchedReading sum = PresentReading(7, SchedSource::kPerf);
  sum += PresentReading(5, SchedSource::kOs);
  EXPECT_FALSE(sum.Value(SchedMetric::kCpuMigrations).has_value());
  EXPECT_NE(sum.reason().find("different sources"), std::string_view::npos);
}

// Burns CPU on this thread for about `ms` of its own CPU time.
void Burn(int ms) {
  timespec start{}, now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
  volatile std::uint64_t sink = 0;
  do {
    for (int i = 0; i < 100000; ++i) sink = sink + static_cast<std::uint64_t>(i);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
}

// Each source alone: the thread's on-CPU time is counted, at least the 20 ms it burned.
void ExpectCountsABusyThread(SchedSource want) {
  ThreadSchedProbe probe = ThreadSchedProbe::Open();
  probe.Start();
  Burn(20);
  probe.Stop();
  const SchedReading r = probe.Read();
  for (std::size_t i = 0; i < kSchedMetrics; ++i) {
    const auto metric = static_cast<SchedMetric>(i);
    ASSERT_TRUE(r.present(metric)) << kSchedMetricNames[i] << ": " << r.reason();
  }
  EXPECT_GE(*r.Value(SchedMetric::kTaskClockNs), 20'000'000u);
  EXPECT_EQ(r.source(SchedMetric::kRunDelayNs), SchedSource::kOs);  // /proc's alone
  if (want == SchedSource::kOs || probe.perf_error().empty()) {
    EXPECT_EQ(r.source(SchedMetric::kTaskClockNs),
              want == SchedSource::kOs ? SchedSource::kOs : SchedSource::kPerf);
  }
}

TEST(ThreadSchedProbeTest, CountsABusyThreadWithPerfOrProc) {
  ExpectCountsABusyThread(SchedSource::kPerf);
}

TEST(ThreadSchedProbeTest, CountsABusyThreadFromProcWhenPerfIsRefused) {
  setenv("GILBENCH_NO_PERF_EVENTS", "1", 1);
  ExpectCountsABusyThread(SchedSource::kOs);
  unsetenv("GILBENCH_NO_PERF_EVENTS");
}

TEST(ThreadSchedProbeTest, AbsentWithTheReasonWhenNoSourceWorks) {
  setenv("GILBENCH_NO_PERF_EVENTS", "1", 1);
  setenv("GILBENCH_NO_PROC_SCHED", "1", 1);
  ThreadSchedProbe probe = ThreadSchedProbe::Open();
  probe.Start();
  Burn(1);
  probe.Stop();
  const SchedReading r = probe.Read();
  unsetenv("GILBENCH_NO_PERF_EVENTS");
  unsetenv("GILBENCH_NO_PROC_SCHED");
  for (std::size_t i = 0; i < kSchedMetrics; ++i) {
    EXPECT_FALSE(r.present(static_cast<SchedMetric>(i))) << kSchedMetricNames[i];
  }
  EXPECT_NE(r.reason().find("GILBENCH_NO_PERF_EVENTS"), std::string_view::npos) << r.reason();
  EXPECT_NE(r.reason().find("GILBENCH_NO_PROC_SCHED"), std::string_view::npos) << r.reason();
}

TEST(ThreadSchedProbeTest, NeverStartedIsAbsentNotZero) {
  ThreadSchedProbe probe = ThreadSchedProbe::Open();
  const SchedReading r = probe.Read();
  EXPECT_FALSE(r.present(SchedMetric::kTaskClockNs));
  EXPECT_EQ(r.reason(), "scheduler counters never started");
}

TEST(SchedSourcesTest, TheContextNamesASourceForEveryMetric) {
  const std::string text = SchedSourcesString();
  for (std::string_view name : kSchedMetricNames) {
    EXPECT_NE(text.find(std::string(name) + "="), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace gilbench::harness
