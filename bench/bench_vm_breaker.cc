// What the eval breaker costs: single-threaded countdown under py3, with the check at every
// backward jump and call, against the same loop with the check compiled out (the interpreter's
// Run<false> instance). Target: within 2% of each other. The result is checked before a timing
// counts.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "gil/gil.h"
#include "vm/interpreter.h"
#include "vm/workers.h"

namespace gilbench {
namespace {

constexpr int64_t kCount = 20'000'000;

std::string ReadWorkload(const std::string& name) {
  std::ifstream in(std::string(GILBENCH_WORKLOAD_DIR) + "/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void BM_Countdown(benchmark::State& state, bool breaker_checks) {
  std::string error;
  vm::Interpreter interp(gil::MakeGil(gil::GilConfig{}, &error), {"countdown.py"});
  if (!vm::LoadWorkload(interp, ReadWorkload("countdown.py"), "countdown.py", &error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  interp.set_eval_breaker_checks(breaker_checks);
  for (auto _ : state) {
    std::vector<vm::WorkerOutcome> out = vm::RunWorkers(interp, {{{"countdown", {kCount}}}});
    if (!out[0].ok || out[0].checksum != 0) {
      state.SkipWithError(("countdown failed: " + out[0].error).c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * kCount);
}

BENCHMARK_CAPTURE(BM_Countdown, eval_breaker_checked, true)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Countdown, eval_breaker_compiled_out, false)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gilbench

BENCHMARK_MAIN();
