// Tests of the statistics' building blocks: the log-linear histogram's buckets and percentiles,
// and StatsJson's shape (keys, knobs, per-thread objects).
#include "gil/stats.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "gil/gil.h"
#include "gil/histogram.h"
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
  for (const char* key :
       {"gil_acquisitions", "gil_handoffs", "gil_futile_wakeups", "gil_drop_requests",
        "gil_forced_switches", "gil_wait_ns_total", "gil_wait_ns_p50", "gil_wait_ns_p99",
        "gil_wait_ns_max", "gil_hold_ns_p50", "gil_hold_ns_p99", "gil_hold_ns_total",
        "gil_hold_ns_max"}) {
    EXPECT_NE(stats.Get(key), nullptr) << key;
  }
  EXPECT_EQ(stats.U64("gil_acquisitions"), 1u);
  ASSERT_EQ(stats.Get("threads")->array.size(), 1u);
  EXPECT_EQ(stats.Get("threads")->array[0].Str("name"), "main \"quoted\"");
  EXPECT_EQ(stats.Get("threads")->array[0].U64("gil_acquisitions"), 1u);
}

}  // namespace
}  // namespace gilbench::gil
