// bench_gil: microbenchmarks of the GIL policies. Uncontended Acquire + Release per policy beside
// a bare std::mutex lock + unlock (the floor for any lock); handoff round trips, two threads
// passing the GIL back and forth by voluntary releases, per policy, beside a raw mutex + condvar
// ping-pong (the floor for waking a sleeping thread on this machine); and the clock the GIL
// reads twice per acquire + release for its wait and hold times. Every benchmark checks that it
// did its work (counters) and reports an error otherwise.
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "gil/gil.h"
#include "gil/pthread_sync.h"

namespace gilbench::gil {
namespace {

const char* const kPolicies[] = {"py2", "py3", "fifo", "prio", "subinterp"};

std::unique_ptr<Gil> MakeOrSkip(benchmark::State& state, const std::string& policy, bool trace) {
  GilConfig config;
  config.policy = policy;
  config.trace = trace;
  std::string error;
  std::unique_ptr<Gil> gil = MakeGil(config, &error);
  if (gil == nullptr) state.SkipWithError(error.c_str());
  return gil;
}

void BM_StdMutexLockUnlock(benchmark::State& state) {
  std::mutex mutex;
  int64_t locked = 0;
  for (auto _ : state) {
    mutex.lock();
    benchmark::DoNotOptimize(++locked);
    mutex.unlock();
  }
  if (locked != static_cast<int64_t>(state.iterations())) state.SkipWithError("lost iterations");
}
BENCHMARK(BM_StdMutexLockUnlock);

void BM_MonotonicClock(benchmark::State& state) {
  int64_t last = 0;
  for (auto _ : state) {
    const int64_t now = MonotonicNs();
    if (now < last) state.SkipWithError("clock went backwards");
    last = now;
  }
}
BENCHMARK(BM_MonotonicClock);

// One thread taking and dropping the GIL with nobody else around: the cost every blocking call
// pays twice. Arg 1: with tracing on.
void BM_UncontendedAcquireRelease(benchmark::State& state, const std::string& policy) {
  const bool trace = state.range(0) != 0;
  std::unique_ptr<Gil> gil = MakeOrSkip(state, policy, trace);
  if (gil == nullptr) return;
  std::unique_ptr<GilThread> self = gil->RegisterThread("bench");
  for (auto _ : state) {
    gil->Acquire(self.get());
    gil->Release(self.get());
  }
  if (self->counters().acquisitions != static_cast<uint64_t>(state.iterations())) {
    state.SkipWithError("acquisitions do not match iterations");
  }
  gil->RetireThread(std::move(self));
}

// The other side of a ping-pong: takes the GIL, and when it is this thread's turn passes it
// back; otherwise drops it at once and asks again. `turn` and `stop` are guarded by the GIL.
void PongLoop(Gil& gil, GilThread* self, int& turn, bool& stop, int64_t& pongs) {
  for (;;) {
    gil.Acquire(self);
    if (stop) break;
    if (turn == 1) {
      turn = 0;
      ++pongs;
    }
    gil.Release(self);
  }
  gil.Release(self);
}

// Round trips of the GIL between two threads that each release voluntarily and ask again at
// once: how long it takes the GIL to get to the other thread and back, barging included.
void BM_HandoffRoundTrip(benchmark::State& state, const std::string& policy) {
  std::unique_ptr<Gil> gil = MakeOrSkip(state, policy, false);
  if (gil == nullptr) return;
  std::unique_ptr<GilThread> ping = gil->RegisterThread("ping");
  std::unique_ptr<GilThread> pong = gil->RegisterThread("pong");
  int turn = 0;  // guarded by the GIL: 0 ping's turn, 1 pong's
  bool stop = false;
  int64_t pongs = 0;
  gil->Acquire(ping.get());
  std::thread other(PongLoop, std::ref(*gil), pong.get(), std::ref(turn), std::ref(stop),
                    std::ref(pongs));
  for (auto _ : state) {
    turn = 1;
    do {
      gil->Release(ping.get());
      gil->Acquire(ping.get());
    } while (turn != 0);
  }
  stop = true;
  gil->Release(ping.get());
  other.join();
  const GilThreadCounters& counters = ping->counters();
  if (pongs != static_cast<int64_t>(state.iterations())) state.SkipWithError("lost round trips");
  state.counters["acquisitions_per_trip"] =
      static_cast<double>(counters.acquisitions) / static_cast<double>(state.iterations());
  state.counters["futile_per_trip"] =
      static_cast<double>(counters.futile_wakeups + pong->counters().futile_wakeups) /
      static_cast<double>(state.iterations());
  gil->RetireThread(std::move(ping));
  gil->RetireThread(std::move(pong));
}

// The floor: a mutex + two condition variables, each thread sleeping until it is its turn.
void BM_RawCondvarPingPong(benchmark::State& state) {
  std::mutex mutex;
  std::condition_variable ping_cv;
  std::condition_variable pong_cv;
  int turn = 0;  // guarded by mutex
  bool stop = false;
  int64_t pongs = 0;
  std::thread other([&] {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      while (turn != 1 && !stop) pong_cv.wait(lock);
      if (stop) return;
      turn = 0;
      ++pongs;
      ping_cv.notify_one();
    }
  });
  for (auto _ : state) {
    std::unique_lock<std::mutex> lock(mutex);
    turn = 1;
    pong_cv.notify_one();
    while (turn != 0) ping_cv.wait(lock);
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    stop = true;
  }
  pong_cv.notify_one();
  other.join();
  if (pongs != static_cast<int64_t>(state.iterations())) state.SkipWithError("lost round trips");
}
BENCHMARK(BM_RawCondvarPingPong)->UseRealTime();

void RegisterPolicyBenchmarks() {
  for (const char* policy : kPolicies) {
    benchmark::RegisterBenchmark((std::string("BM_UncontendedAcquireRelease/") + policy).c_str(),
                                 BM_UncontendedAcquireRelease, std::string(policy))
        ->ArgName("trace")
        ->Arg(0)
        ->Arg(1);
    // subinterp has no shared lock to pass: each thread has its own GIL.
    if (std::string(policy) == "subinterp") continue;
    benchmark::RegisterBenchmark((std::string("BM_HandoffRoundTrip/") + policy).c_str(),
                                 BM_HandoffRoundTrip, std::string(policy))
        ->UseRealTime();
  }
}

}  // namespace
}  // namespace gilbench::gil

int main(int argc, char** argv) {
  gilbench::gil::RegisterPolicyBenchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
