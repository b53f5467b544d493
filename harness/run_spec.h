// One cell of the matrix, fixed at registration: everything a benchmark needs to run its
// workload in its mode, under its policy, on its placement.
#pragma once

#include <string>
#include <vector>

#include "gil/gil.h"
#include "harness/options.h"
#include "harness/perf_counters.h"
#include "harness/placement.h"
#include "harness/workloads.h"

namespace gilbench::harness {

struct RunSpec {
  std::string name;  // workload/policy/mode/n/placement (policy@<us>us in the sweep)
  WorkloadJob job;
  std::string source;  // the workload file's text
  // Why the workload file could not be read ("cannot read workload w/x.py: Is a directory");
  // non-empty: the row is an error row with this message, and nothing runs.
  std::string source_error;
  gil::GilConfig gil_config;
  std::string blame_dir;  // --blame: where this row's blame files go ("" when off)
  Mode mode = Mode::kSeq;
  int n = 1;        // the n of the name
  int workers = 1;  // the workers gilbench starts (WorkersFor): n, n + 1 for the I/O trio, 1 for a
                    // spawner's threads and pool rows
  bool sweep = false;  // a cell of the --switch-intervals sweep
  Placement placement = Placement::kOs;
  // Worker i's PUs (empty for `os`: no binding). Planned once, at registration.
  std::vector<CpuSet> plan;
  // Why the placement cannot be given here ("smt: no core has 2 PUs"); non-empty: the cell is
  // not registered, only reported (matrix.h).
  std::string unavailable;
  const Topology* topology = nullptr;  // outlives every benchmark
  std::vector<CounterSpec> counters;   // empty: open no counters
  double child_timeout_s = 120;        // processes: a child that does not report by then fails
};

}  // namespace gilbench::harness
