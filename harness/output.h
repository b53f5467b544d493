// Where a run's output goes: where any Google Benchmark binary puts it, stdout, plus the file the
// user names with --benchmark_out. gilbench never invents a destination (an unasked results
// folder surprises CI jobs and dirties working copies); the one file it adds is topology.xml
// (hwloc) beside the user's file, because a result is only comparable with the machine it was
// measured on. The --benchmark_out a run honours is the library's (main reads it with
// LibraryFlag, options.h), so BENCHMARK_OUT in the environment counts too.
#pragma once

#include <string>

#include "harness/placement.h"

namespace gilbench::harness {

// The CPU model, sanitized, and the PU count ("intel-xeon-processor-2pu"; the hostname when
// /proc/cpuinfo has no model): a folder name under which scripts file the runs of one kind of
// hardware together, whatever the host is called (--print_machine_name).
std::string MachineName(const Topology& topology);

// Writes topology.xml in the directory of `out_file` (the --benchmark_out path).
bool WriteTopologyBeside(const std::string& out_file, const Topology& topology, std::string* error);

}  // namespace gilbench::harness
