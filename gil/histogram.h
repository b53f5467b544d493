// A log-linear histogram of non-negative nanosecond durations (HDR style): values below 16 get a
// bucket each; above, every power of two [2^k, 2^(k+1)) is split into 16 equal sub-buckets, so a
// percentile read from it is within 1/32 (about 3%) of the true value. Recording is a count of
// leading zeros, a shift and an increment: cheap enough for every GIL acquisition. Not
// thread-safe: each thread records into its own and totals are merged after the threads retire.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace gilbench::gil {

class LogLinearHistogram {
 public:
  static constexpr int kSubBucketBits = 4;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;  // 16 per power of two
  // Values [0, 16) in the first 16 buckets, then 16 per power of two from 2^4 to 2^63.
  static constexpr size_t kBuckets = kSubBuckets * (64 - kSubBucketBits + 1);

  void Record(uint64_t value) {
    ++buckets_[BucketOf(value)];
    ++count_;
    sum_ += value;
    max_ = std::max(max_, value);
  }

  void Merge(const LogLinearHistogram& other) {
    for (size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
  }

  uint64_t count() const { return count_; }
  uint64_t sum() const { return sum_; }
  uint64_t max() const { return max_; }

  // The value below which a fraction `q` (0..1) of the recorded values lie: the middle of the
  // bucket holding that rank, never above the largest value recorded; the largest for the last
  // rank. 0 when empty.
  uint64_t Percentile(double q) const {
    if (count_ == 0) return 0;
    const double wanted = std::clamp(q, 0.0, 1.0) * static_cast<double>(count_);
    uint64_t rank = static_cast<uint64_t>(wanted);
    if (static_cast<double>(rank) < wanted || rank == 0) ++rank;  // ceil, at least the first
    if (rank >= count_) return max_;
    uint64_t seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
      seen += buckets_[i];
      if (seen >= rank) return std::min(max_, BucketMiddle(i));
    }
    return max_;
  }

  static size_t BucketOf(uint64_t value) {
    if (value < kSubBuckets) return static_cast<size_t>(value);
    const int top_bit = 63 - std::countl_zero(value);  // >= kSubBucketBits
    const uint64_t sub = (value >> (top_bit - kSubBucketBits)) & (kSubBuckets - 1);
    return static_cast<size_t>((top_bit - kSubBucketBits + 1) * kSubBuckets + sub);
  }

  // The smallest value that falls in bucket `index`.
  static uint64_t BucketLow(size_t index) {
    if (index < kSubBuckets) return index;
    const int top_bit = static_cast<int>(index / kSubBuckets) + kSubBucketBits - 1;
    const uint64_t sub = index % kSubBuckets;
    return (kSubBuckets + sub) << (top_bit - kSubBucketBits);
  }

  static uint64_t BucketMiddle(size_t index) {
    if (index < kSubBuckets) return index;
    const int top_bit = static_cast<int>(index / kSubBuckets) + kSubBucketBits - 1;
    const uint64_t width = uint64_t{1} << (top_bit - kSubBucketBits);
    return BucketLow(index) + width / 2;
  }

 private:
  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t max_ = 0;
};

}  // namespace gilbench::gil
