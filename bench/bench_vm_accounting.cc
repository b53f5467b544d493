// What the GIL's accounting costs (issue 13's "Cost"): countdown in 2 threads with everything the
// explanation of a row needs switched on -- the VM's tick counter, handoff gaps and the next
// holder's run delay in them (two schedstat reads per wait), off-CPU time while holding, the
// hardware counts per tenure where a PMU exists, the idle time, the CPU of every take, the
// fairness window (GilConfig::accounting, the interpreter's Run<true, true>) -- against the same
// run with all of it off. Target: within 2% of each other. Under py3 (the default policy, a
// handoff every 5 ms) and under py2, which hands the GIL over thousands of times a second and so
// pays the per-wait reads most often.
//
// Measured as bench_vm_breaker measures: in pairs, back to back, alternating which goes first,
// and the median over the pairs of on / off time, so that the VM's drifting speed cancels. Every
// run's result is checked before its timing counts. The scheduler probes gilbench opens per worker
// (a few system calls at its start and end) are outside this loop: microseconds per row.
//
// Counters: accounting_overhead_pct (median of (on / off - 1) * 100), overhead_pct_p25 / _p75,
// on_ms_min / off_ms_min, pairs.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "gil/gil.h"
#include "vm/interpreter.h"
#include "vm/workers.h"

namespace gilbench {
namespace {

using bench::ReadWorkload;

constexpr int64_t kCount = 8'000'000;  // in two threads: ~45 ms a run on the reference VM
constexpr int kPairs = 51;

const char* const kPolicies[] = {"py3", "py2"};

std::unique_ptr<vm::Interpreter> Make(const char* policy, bool accounting, std::string* error) {
  gil::GilConfig config;
  config.policy = policy;
  config.accounting = accounting;
  auto interp = std::make_unique<vm::Interpreter>(gil::MakeGil(config, error),
                                                  std::vector<std::string>{"countdown.py"});
  if (!vm::LoadWorkload(*interp, ReadWorkload("countdown.py"), "countdown.py", error)) {
    return nullptr;
  }
  return interp;
}

// countdown(kCount / 2) in each of two threads; wall seconds, or negative with *error set.
double TimedRun(vm::Interpreter& interp, std::string* error) {
  auto start = std::chrono::steady_clock::now();
  std::vector<vm::WorkerOutcome> out =
      vm::RunWorkers(interp, {{{"countdown", {kCount / 2}}}, {{"countdown", {kCount / 2}}}});
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  for (const vm::WorkerOutcome& o : out) {
    if (!o.ok || o.checksum != 0) {
      *error = "countdown failed: " + o.error;
      return -1;
    }
  }
  return took.count();
}

void BM_AccountingOverhead(benchmark::State& state) {
  const char* policy = kPolicies[state.range(0)];
  state.SetLabel(policy);
  std::string error;
  std::unique_ptr<vm::Interpreter> on = Make(policy, true, &error);
  std::unique_ptr<vm::Interpreter> off = on ? Make(policy, false, &error) : nullptr;
  if (!on || !off) {
    state.SkipWithError(error.c_str());
    return;
  }
  bench::PairedTimes times;
  const auto run = [&](bool with) { return TimedRun(with ? *on : *off, &error); };
  if (!bench::MeasurePairs(state, run, &error, &times)) return;
  // The on side really accounted, the off side did not: a benchmark that measured two identical
  // runs would report a cost of zero.
  if (on->gil().TotalStats().counters.vm_ticks == 0 ||
      off->gil().TotalStats().counters.vm_ticks != 0) {
    state.SkipWithError("the accounting was not on and off as configured");
    return;
  }
  bench::ReportPairs(state, times, "accounting_overhead_pct", "on_ms_min", "off_ms_min");
  state.SetItemsProcessed(state.iterations() * 2 * kCount);
}

BENCHMARK(BM_AccountingOverhead)
    ->DenseRange(0, 1)  // kPolicies
    ->Iterations(kPairs)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gilbench

BENCHMARK_MAIN();
