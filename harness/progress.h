// Progress on stderr for long runs: "[k/N] name" as each benchmark run starts, N being the number
// of registered benchmarks that the --benchmark_filter selects, times the repetitions when they
// are interleaved (then each repetition is a run of its own, in random order).
#pragma once

#include <string>

namespace gilbench::harness {

class Progress {
 public:
  // `total`: the runs to come, i.e. the benchmarks the filter selects (filter.h) times how many
  // separate runs each gets (1, or the repetitions when the library interleaves them).
  void SetTotal(int total) { total_ = total; }
  // Called at the start of every run of a benchmark function; prints the line once per
  // benchmark (its repeated calls, to size iterations or for repetitions, come in a row).
  void Started(const std::string& name);

 private:
  int total_ = 0;
  int started_ = 0;
  std::string last_;  // only the benchmark thread touches these: one runs at a time
};

}  // namespace gilbench::harness
