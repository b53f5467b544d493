// Where a run's output goes: where any Google Benchmark binary puts it, stdout, plus the file the
// user names with --benchmark_out. gilbench never invents a destination (an unasked results
// folder surprises CI jobs and dirties working copies); the one file it adds is topology.xml
// (hwloc) beside the user's file, because a result is only comparable with the machine it was
// measured on. The --benchmark_out a run honours is the library's (main reads it with
// LibraryFlag, options.h), so BENCHMARK_OUT in the environment counts too.
//
// The results file is written whole or not at all (common/output_file.h): the library writes a
// temporary beside it, renamed into place once the run is over and every write succeeded. A
// device, a FIFO or /dev/stdout is written in place, and gets no topology.xml beside it.
#pragma once

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "common/output_file.h"
#include "harness/placement.h"

namespace gilbench::harness {

// The CPU model, sanitized, and the PU count ("intel-xeon-processor-2pu"; the hostname when
// /proc/cpuinfo has no model): a folder name under which scripts file the runs of one kind of
// hardware together, whatever the host is called (--print_machine_name).
std::string MachineName(const Topology& topology);

// The --benchmark_out file of one run.
class ResultsFile {
 public:
  // Opens `path` (--benchmark_out's value; "" for none) for results in `format`
  // (--benchmark_out_format's, already checked; "" for the library's default, json): for a
  // regular file, creates the temporary the library will write. False with a one-line *error
  // when `path` cannot take a file (a directory, a missing or unwritable directory): a usage
  // error, found before anything runs.
  bool Open(const std::string& path, const std::string& format, std::string* error);

  // The file the library must write (the temporary, or the path itself when written in place),
  // to pass as --benchmark_out; "" without a results file.
  const std::string& library_path() const { return file_.write_path(); }
  // The file the results end up in (for messages).
  const std::string& final_path() const { return file_.final_path(); }
  // The library's file reporter for RunSpecifiedBenchmarks, in the format asked for; it notes
  // every failed write. nullptr without a results file.
  benchmark::BenchmarkReporter* reporter() const { return reporter_.get(); }

  // After the run: fails if a write failed (a full disk, /dev/full), else writes topology.xml
  // beside a regular file (with_topology: not for a mere listing) and renames the results into
  // place. False with a one-line *error; the temporary is removed then.
  bool Finish(const Topology& topology, bool with_topology, std::string* error);

 private:
  common::OutputFile file_;
  std::unique_ptr<benchmark::BenchmarkReporter> reporter_;
  std::string write_error_;  // the first failed write's reason, set by the reporter
};

}  // namespace gilbench::harness
