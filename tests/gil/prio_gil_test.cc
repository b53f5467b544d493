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

// Which waiter gets the GIL first when a CPU-bound thread has waited longer than an I/O-bound
// one: a holder takes the GIL; a new (CPU-bound) thread starts waiting; 100 ms later a thread
// that last released voluntarily (I/O-bound) starts waiting too; 100 ms later the holder releases.
// Returns "cpu" or "io". The pauses only let each thread reach its wait; nothing is timed.
std::string FirstGrantAfterRelease(const std::string& policy) {
  PolicyOptions options;
  options.switch_interval_us = 60'000'000;  // no interval-based drop request during the test
  std::unique_ptr<Gil> gil = MakePolicy(policy, options);
  std::unique_ptr<GilThread> holder = gil->RegisterThread("holder");
  std::unique_ptr<GilThread> cpu = gil->RegisterThread("cpu");
  std::unique_ptr<GilThread> io = gil->RegisterThread("io");
  std::vector<std::string> order;  // appended while holding the GIL
  std::atomic<bool> io_ready{false}, go_cpu{false}, go_io{false};
  std::thread io_thread([&] {
    gil->Acquire(io.get());
    gil->Release(io.get());  // a voluntary release: I/O-bound from here on
    io_ready = true;
    ASSERT_TRUE(SpinUntil([&] { return go_io.load(); }));
    gil->Acquire(io.get());
    order.push_back("io");
    gil->Release(io.get());
  });
  std::thread cpu_thread([&] {
    ASSERT_TRUE(SpinUntil([&] { return go_cpu.load(); }));
    gil->Acquire(cpu.get());
    order.push_back("cpu");
    gil->Release(cpu.get());
  });
  EXPECT_TRUE(SpinUntil([&] { return io_ready.load(); }));
  gil->Acquire(holder.get());
  go_cpu = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  go_io = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  gil->Release(holder.get());
  io_thread.join();
  cpu_thread.join();
  for (auto* record : {&holder, &cpu, &io}) gil->RetireThread(std::move(*record));
  return order.empty() ? "" : order.front();
}

// The mechanism of prio's starvation: an I/O-bound waiter passes a CPU-bound one that has waited
// longer. Under a steady stream of I/O-bound threads the CPU-bound thread is passed over again and
// again; fifo, by contrast, serves it in its turn.
TEST(PrioGilTest, IoBoundWaiterPassesALongerWaitingCpuBoundOne) {
  EXPECT_EQ(FirstGrantAfterRelease("prio"), "io");
}

TEST(PrioGilTest, FifoServesTheLongerWaitingCpuBoundThreadFirst) {
  EXPECT_EQ(FirstGrantAfterRelease("fifo"), "cpu");
}

}  // namespace
}  // namespace gilbench::gil
