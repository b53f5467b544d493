// What the VM benchmarks share: reading a workload file, and measuring a cost as the ratio of two
// runs made back to back in pairs (bench_vm_breaker.cc says why pairs).
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gilbench::bench {

// The text of workloads/NAME (GILBENCH_WORKLOAD_DIR is set by bench/CMakeLists.txt).
inline std::string ReadWorkload(const std::string& name) {
  std::ifstream in(std::string(GILBENCH_WORKLOAD_DIR) + "/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The q-quantile (0..1) of `v`, nearest rank. Requires: v not empty.
inline double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

// Each pair's two timings and their ratio as a cost in percent: (with / without - 1) * 100.
struct PairedTimes {
  std::vector<double> overhead_pct, with_s, without_s;
};

// One pair per benchmark iteration: `run(true)` and `run(false)` back to back, alternating which
// goes first. `run` returns wall seconds, or a negative value with *error set when the run failed
// or its result was wrong: the benchmark then skips with that error and this returns false.
template <typename Run>
bool MeasurePairs(benchmark::State& state, Run run, std::string* error, PairedTimes* out) {
  bool with_first = true;
  for (auto _ : state) {
    double t_with = 0, t_without = 0;
    for (int k = 0; k < 2; ++k) {
      const bool with = (k == 0) == with_first;
      const double t = run(with);
      if (t < 0) {
        state.SkipWithError(error->c_str());
        return false;
      }
      (with ? t_with : t_without) = t;
    }
    with_first = !with_first;
    out->with_s.push_back(t_with);
    out->without_s.push_back(t_without);
    out->overhead_pct.push_back((t_with / t_without - 1) * 100);
  }
  return true;
}

// The counters: `overhead` (the median cost), overhead_pct_p25 / _p75, `with_min` and
// `without_min` (the fastest run of each side, ms) and pairs.
inline void ReportPairs(benchmark::State& state, const PairedTimes& t, const char* overhead,
                        const char* with_min, const char* without_min) {
  state.counters[overhead] = Quantile(t.overhead_pct, 0.5);
  state.counters["overhead_pct_p25"] = Quantile(t.overhead_pct, 0.25);
  state.counters["overhead_pct_p75"] = Quantile(t.overhead_pct, 0.75);
  state.counters[with_min] = *std::min_element(t.with_s.begin(), t.with_s.end()) * 1e3;
  state.counters[without_min] = *std::min_element(t.without_s.begin(), t.without_s.end()) * 1e3;
  state.counters["pairs"] = static_cast<double>(t.overhead_pct.size());
}

}  // namespace gilbench::bench
