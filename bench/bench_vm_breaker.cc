// What the eval breaker costs: single-threaded countdown under py3, with the check at every
// backward jump and call, against the same loop with the check compiled out (the interpreter's
// Run<false> instance). Target (issue 3): within 2% of each other.
//
// The two are measured in pairs, back to back in one interpreter, alternating which goes first,
// and the benchmark reports the median over the pairs of checked / compiled-out time. Why pairs:
// the 2-core VMs this runs on drop to about 0.6x speed for a second or more at a time, far more
// than the 2% being judged; two runs a few milliseconds apart almost always see the same machine,
// so their ratio cancels what separate timings (or Google Benchmark's random interleaving of
// whole repetitions) keep. Every run's result is checked before its timing counts.
//
// Counters: breaker_overhead_pct (median of the pairs' (checked / compiled_out - 1) * 100),
// overhead_pct_p25 / _p75 (its spread), checked_ms_min / compiled_out_ms_min (the fastest run
// of each), and pairs.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "gil/gil.h"
#include "vm/interpreter.h"
#include "vm/workers.h"

namespace gilbench {
namespace {

using bench::Quantile;
using bench::ReadWorkload;

constexpr int64_t kCount = 4'000'000;  // ~20 ms a run on the reference VM
constexpr int kPairs = 101;

// One countdown(kCount) in `interp`, with or without the breaker check; its wall seconds, or a
// negative value (and `error` set) when the run failed or returned the wrong result.
double TimedCountdown(vm::Interpreter& interp, bool breaker_checks, std::string* error) {
  interp.set_eval_breaker_checks(breaker_checks);
  auto start = std::chrono::steady_clock::now();
  std::vector<vm::WorkerOutcome> out = vm::RunWorkers(interp, {{{"countdown", {kCount}}}});
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  if (!out[0].ok || out[0].checksum != 0) {
    *error = "countdown failed: " + out[0].error;
    return -1;
  }
  return took.count();
}

void BM_EvalBreakerOverhead(benchmark::State& state) {
  std::string error;
  vm::Interpreter interp(gil::MakeGil(gil::GilConfig{}, &error), {"countdown.py"});
  if (!vm::LoadWorkload(interp, ReadWorkload("countdown.py"), "countdown.py", &error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::vector<double> overhead_pct, checked, compiled_out;
  bool checked_first = true;
  for (auto _ : state) {
    double t_checked = 0, t_out = 0;
    for (int k = 0; k < 2; ++k) {
      bool run_checked = (k == 0) == checked_first;
      double t = TimedCountdown(interp, run_checked, &error);
      if (t < 0) {
        state.SkipWithError(error.c_str());
        return;
      }
      (run_checked ? t_checked : t_out) = t;
    }
    checked_first = !checked_first;
    checked.push_back(t_checked);
    compiled_out.push_back(t_out);
    overhead_pct.push_back((t_checked / t_out - 1) * 100);
  }
  state.counters["breaker_overhead_pct"] = Quantile(overhead_pct, 0.5);
  state.counters["overhead_pct_p25"] = Quantile(overhead_pct, 0.25);
  state.counters["overhead_pct_p75"] = Quantile(overhead_pct, 0.75);
  state.counters["checked_ms_min"] = *std::min_element(checked.begin(), checked.end()) * 1e3;
  state.counters["compiled_out_ms_min"] =
      *std::min_element(compiled_out.begin(), compiled_out.end()) * 1e3;
  state.counters["pairs"] = static_cast<double>(overhead_pct.size());
  state.SetItemsProcessed(state.iterations() * 2 * kCount);
}

BENCHMARK(BM_EvalBreakerOverhead)->Iterations(kPairs)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gilbench

BENCHMARK_MAIN();
