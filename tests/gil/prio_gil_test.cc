// Tests of the prio policy: an I/O-bound thread (one that last released voluntarily) asks a
// CPU-bound holder to drop at once, without waiting an interval; and the price, CPU-bound
// threads starve under a stream of I/O-bound ones, where fifo gives them their turns.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gil/gil.h"
#include "tests/gil/gil_test_util.h"

namespace gilbench::gil {
namespace {

using testing::CheckBreaker;
using testing::Clock;
using testing::MakePolicy;
using testing::PolicyOptions;
using testing::RunHoldingUntil;
using testing::SpinUntil;

TEST(PrioGilTest, IoBoundThreadAsksACpuBoundHolderToDropAtOnce) {
  PolicyOptions options;
  options.switch_interval_us = 60'000'000;  // an interval-based request would take a minute
  std::unique_ptr<Gil> gil = MakePolicy("prio", options);
  std::unique_ptr<GilThread> cpu = gil->RegisterThread("cpu");
  std::unique_ptr<GilThread> io = gil->RegisterThread("io");
  std::atomic<bool> io_ready{false};
  std::atomic<bool> holding{false};
  std::atomic<bool> io_got_it{false};
  std::thread io_thread([&] {
    gil->Acquire(io.get());
    gil->Release(io.get());  // a voluntary release: from now on I/O-bound
    io_ready = true;
    ASSERT_TRUE(SpinUntil([&] { return holding.load(); }));
    gil->Acquire(io.get());
    io_got_it = true;
    gil->Release(io.get());
  });
  // The CPU thread (a new thread counts as CPU-bound) takes the GIL after the I/O thread's turn.
  ASSERT_TRUE(SpinUntil([&] { return io_ready.load(); }));
  gil->Acquire(cpu.get());
  holding = true;
  EXPECT_TRUE(RunHoldingUntil(*gil, *cpu, [&] { return io_got_it.load(); }));
  gil->Release(cpu.get());
  io_thread.join();
  EXPECT_EQ(io->counters().drop_requests, 1u);
  EXPECT_EQ(cpu->counters().eval_breaker_drops, 1u);
  EXPECT_EQ(cpu->counters().forced_switches, 1u);
  gil->RetireThread(std::move(cpu));
  gil->RetireThread(std::move(io));
}

constexpr int kIoRounds = 200;
// Three, so that when one releases another is nearly always queued already, even when the OS is
// slow to run the thread that just released (a loaded 2-core machine).
constexpr int kIoThreads = 3;
// Long enough that the thread that just released (even if the OS let the woken one preempt it
// on its CPU) is back in the urgent line before the other releases.
constexpr auto kIoHold = std::chrono::microseconds(200);

struct StreamOutcome {
  uint64_t cpu_acquisitions = 0;
  uint64_t io_acquisitions = 0;
};

// One CPU-bound thread against kIoThreads I/O-bound threads that each take the GIL kIoRounds times,
// hold it briefly and release it, asking again at once.
StreamOutcome RunIoStreamAgainstCpuThread(const std::string& policy, int64_t interval_us) {
  PolicyOptions options;
  options.switch_interval_us = interval_us;
  std::unique_ptr<Gil> gil = MakePolicy(policy, options);
  std::vector<std::unique_ptr<GilThread>> records = testing::RegisterThreads(*gil, 1 + kIoThreads);
  GilThread* cpu = records[0].get();
  std::atomic<bool> io_done{false};
  std::atomic<int> io_started{0};
  std::thread cpu_thread([&] {
    gil->Acquire(cpu);
    while (!io_done.load(std::memory_order_relaxed)) CheckBreaker(*gil, *cpu);
    gil->Release(cpu);
  });
  auto io_body = [&](GilThread* self) {
    gil->Acquire(self);
    gil->Release(self);  // I/O-bound from here on
    ++io_started;
    SpinUntil([&] { return io_started.load() == kIoThreads; });
    for (int round = 0; round < kIoRounds; ++round) {
      gil->Acquire(self);
      const Clock::time_point until = Clock::now() + kIoHold;
      while (Clock::now() < until) CheckBreaker(*gil, *self);
      gil->Release(self);
    }
  };
  std::vector<std::thread> io_threads;
  for (int i = 1; i <= kIoThreads; ++i) io_threads.emplace_back(io_body, records[i].get());
  for (std::thread& thread : io_threads) thread.join();
  io_done = true;
  cpu_thread.join();
  StreamOutcome outcome;
  outcome.cpu_acquisitions = records[0]->counters().acquisitions;
  for (int i = 1; i <= kIoThreads; ++i) {
    outcome.io_acquisitions += records[i]->counters().acquisitions;
  }
  testing::RetireAll(*gil, records);
  std::printf("%s: CPU-bound thread %llu acquisitions, I/O-bound threads %llu\n", policy.c_str(),
              static_cast<unsigned long long>(outcome.cpu_acquisitions),
              static_cast<unsigned long long>(outcome.io_acquisitions));
  return outcome;
}

// The documented starvation: every drop goes to a waiting I/O-bound thread, and one of them is
// nearly always in the urgent line, so the CPU-bound thread gets almost no turn -- while the same
// stream under fifo gives it its turns in the queue. Asserted relative to fifo in the same run
// (and loosely in absolute terms), because how often all the I/O threads are off their CPUs at
// once depends on the machine's load.
TEST(PrioGilTest, CpuBoundThreadStarvesUnderAStreamOfIoThreads) {
  // A long interval for prio: an I/O thread that the OS delays while holding is then never asked
  // to drop by the other one (which would make it CPU-bound). The CPU thread's own drops are
  // requested at once by the I/O threads and do not depend on the interval.
  const StreamOutcome prio = RunIoStreamAgainstCpuThread("prio", 100'000);
  const StreamOutcome fifo = RunIoStreamAgainstCpuThread("fifo", 100);
  EXPECT_GE(prio.io_acquisitions, uint64_t{kIoThreads} * kIoRounds);
  // Typically 3-7 turns under prio against ~350 under fifo on the 2-core VM.
  EXPECT_LE(prio.cpu_acquisitions * 5, prio.io_acquisitions) << "the CPU-bound thread was not starved";
  EXPECT_LE(prio.cpu_acquisitions * 4, fifo.cpu_acquisitions)
      << "prio did not starve the CPU-bound thread more than fifo";
  EXPECT_GE(fifo.cpu_acquisitions * 10, fifo.io_acquisitions) << "fifo starved it too";
}

}  // namespace
}  // namespace gilbench::gil
