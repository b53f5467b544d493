// Tests of the event trace: the buffer's state machine and overflow, and TraceJson() for every
// policy: valid JSON, thread names, B/E slices that nest per thread, instant events, and a
// waiting-threads counter that never goes negative and ends at zero.
#include "gil/trace.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
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

TEST(TraceBufferTest, RecordsOneOpenSliceAndWaitingDeltas) {
  TraceBuffer buffer(100);
  buffer.SetState(10, GilState::kWaiting);
  buffer.SetState(20, GilState::kHolding);
  buffer.SetState(20, GilState::kHolding);  // no-op
  buffer.Instant(25, TraceInstant::kDropRequest);
  buffer.SetState(30, GilState::kNone);
  // B waiting, +1, -1, E waiting, B holding, instant, E holding.
  ASSERT_EQ(buffer.size(), 7u);
  EXPECT_EQ(buffer.at(0).type, TraceEvent::Type::kBegin);
  EXPECT_EQ(buffer.at(1).type, TraceEvent::Type::kWaitingDelta);
  EXPECT_EQ(buffer.at(2).type, TraceEvent::Type::kWaitingDelta);
  EXPECT_EQ(buffer.at(3).type, TraceEvent::Type::kEnd);
  EXPECT_EQ(buffer.at(6).type, TraceEvent::Type::kEnd);
  EXPECT_EQ(buffer.at(6).ts_ns, 30);
  EXPECT_EQ(buffer.dropped(), 0u);
}

TEST(TraceBufferTest, OverflowClosesTheOpenSliceAndCountsDrops) {
  TraceBuffer buffer(TraceBuffer::kMinCapacity);  // room for 2 events plus the reserve
  buffer.SetState(10, GilState::kWaiting);        // B, +1: now full up to the reserve
  buffer.SetState(20, GilState::kHolding);        // cannot record: closes the waiting slice
  buffer.SetState(30, GilState::kBlocked);
  ASSERT_EQ(buffer.size(), 4u);
  EXPECT_EQ(buffer.at(2).type, TraceEvent::Type::kWaitingDelta);  // the -1
  EXPECT_EQ(buffer.at(3).type, TraceEvent::Type::kEnd);
  EXPECT_EQ(buffer.at(3).ts_ns, 20);
  EXPECT_GE(buffer.dropped(), 2u);
}

// Checks what every trace must satisfy; returns the number of B events.
size_t CheckTrace(const JsonValue& trace) {
  const JsonValue* events = trace.Get("traceEvents");
  EXPECT_NE(events, nullptr);
  EXPECT_NE(trace.Get("otherData"), nullptr);
  if (events == nullptr) return 0;
  std::map<int, std::vector<std::string>> open;  // per tid, the stack of open slices
  std::map<int, double> last_ts;
  std::map<int, bool> named;
  int64_t waiting = 0;
  size_t begins = 0;
  for (const JsonValue& event : events->array) {
    const std::string ph = event.Str("ph");
    const int tid = static_cast<int>(event.Num("tid"));
    EXPECT_EQ(event.Num("pid"), 1);
    if (ph == "M") {
      if (event.Str("name") == "thread_name") named[tid] = true;
      continue;
    }
    const double ts = event.Num("ts");
    EXPECT_GE(ts, 0);
    if (ph == "C") {
      waiting = static_cast<int64_t>(event.Get("args")->Num("waiting"));
      EXPECT_GE(waiting, 0);
      continue;
    }
    EXPECT_TRUE(named[tid]) << "thread_name metadata must come before tid " << tid;
    EXPECT_GE(ts, last_ts[tid]) << "events of tid " << tid << " out of order";
    last_ts[tid] = ts;
    if (ph == "B") {
      EXPECT_TRUE(open[tid].empty()) << "a slice began inside another on tid " << tid;
      open[tid].push_back(event.Str("name"));
      ++begins;
    } else if (ph == "E") {
      EXPECT_FALSE(open[tid].empty()) << "E without B on tid " << tid;
      if (open[tid].empty()) continue;
      EXPECT_EQ(open[tid].back(), event.Str("name"));
      open[tid].pop_back();
    } else {
      EXPECT_EQ(ph, "i");
      EXPECT_EQ(event.Str("s"), "t");
    }
  }
  for (const auto& [tid, stack] : open) EXPECT_TRUE(stack.empty()) << "open slice on tid " << tid;
  EXPECT_EQ(waiting, 0) << "the waiting counter must end at zero";
  return begins;
}

TEST(TraceJsonTest, TracingOffGivesNoEvents) {
  std::unique_ptr<Gil> gil = MakePolicy("py3");
  std::unique_ptr<GilThread> self = gil->RegisterThread("main");
  gil->Acquire(self.get());
  gil->Release(self.get());
  gil->RetireThread(std::move(self));
  const JsonValue trace = ParseJsonOrFail(gil->TraceJson());
  ASSERT_NE(trace.Get("traceEvents"), nullptr);
  EXPECT_TRUE(trace.Get("traceEvents")->array.empty());
}

class TracePolicyTest : public ::testing::TestWithParam<std::string> {};

// Three threads, CPU-bound with voluntary releases now and then: every state and most instants.
TEST_P(TracePolicyTest, ParsesNamesThreadsAndNests) {
  PolicyOptions options;
  options.switch_interval_us = 20;
  options.check_interval = 10;
  options.trace = true;
  std::unique_ptr<Gil> gil = MakePolicy(GetParam(), options);
  std::vector<std::unique_ptr<GilThread>> records = testing::RegisterThreads(*gil, 3);
  std::vector<std::thread> threads;
  for (std::unique_ptr<GilThread>& record : records) {
    GilThread* self = record.get();
    threads.emplace_back([&gil, self] {
      for (int round = 0; round < 100; ++round) {
        gil->Acquire(self);
        for (int step = 0; step < 500; ++step) CheckBreaker(*gil, *self);
        gil->Release(self);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  testing::RetireAll(*gil, records);
  const JsonValue trace = ParseJsonOrFail(gil->TraceJson());
  EXPECT_GE(CheckTrace(trace), 3u * 100u * 2u);  // at least holding + blocked per round
  EXPECT_EQ(trace.Get("otherData")->U64("dropped_events_total"), 0u);
  EXPECT_EQ(trace.Get("otherData")->Str("policy"), GetParam());
}

// A tiny buffer: events are dropped, counted per thread, and what was kept still nests.
TEST_P(TracePolicyTest, OverflowIsCountedAndStillNests) {
  PolicyOptions options;
  options.trace = true;
  options.trace_events_per_thread = 16;
  std::unique_ptr<Gil> gil = MakePolicy(GetParam(), options);
  std::unique_ptr<GilThread> self = gil->RegisterThread("main");
  for (int i = 0; i < 100; ++i) {
    gil->Acquire(self.get());
    gil->Release(self.get());
  }
  gil->RetireThread(std::move(self));
  const JsonValue trace = ParseJsonOrFail(gil->TraceJson());
  CheckTrace(trace);
  EXPECT_GT(trace.Get("otherData")->U64("dropped_events_tid_1"), 0u);
  EXPECT_EQ(trace.Get("otherData")->U64("events_per_thread_limit"), 16u);
}

INSTANTIATE_TEST_SUITE_P(AllPolicies, TracePolicyTest, ::testing::ValuesIn(testing::AllPolicies()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace gilbench::gil
