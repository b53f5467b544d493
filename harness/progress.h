// Progress on stderr for long runs: first how many runs are coming and about how long they should
// take, then "[k/N] name, about T left" as each benchmark run starts. N is the number of
// registered benchmarks that the --benchmark_filter selects, times the repetitions when they are
// interleaved (then each repetition is a run of its own, in random order).
#pragma once

#include <chrono>
#include <string>

namespace gilbench::harness {

class Progress {
 public:
  // `total`: the runs to come, i.e. the benchmarks the filter selects (filter.h) times how many
  // separate runs each gets (1, or the repetitions when the library interleaves them).
  // `seconds_each`: what one run should take (EstimatedRunSeconds); prints the opening line.
  void Begin(int total, double seconds_each, const std::string& basis);
  // Called at the start of every run of a benchmark function; prints the line once per
  // benchmark (its repeated calls, to size iterations or for repetitions, come in a row).
  void Started(const std::string& name);

 private:
  int total_ = 0;
  int started_ = 0;
  double seconds_each_ = 0;
  std::chrono::steady_clock::time_point begun_;
  std::string last_;  // only the benchmark thread touches these: one runs at a time
};

// What one run of a benchmark (all its repetitions when they are not interleaved) takes at a
// --size, on this project's 2-core VM: the reproduction's round times over its rows (quick 0.4 s,
// full 1.85 s, long 0.9 s; tiny 0.05 s), times the repetitions in a row. A first estimate only:
// the progress lines replace it with the mean time of the runs done so far.
double EstimatedRunSeconds(const std::string& size, int repetitions_in_a_row);

// "0.05 s", "45 s", "3 min 05 s", "1 h 02 min".
std::string Duration(double seconds);

}  // namespace gilbench::harness
