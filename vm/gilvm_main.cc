// gilvm: runs a Python-subset script like `python3 script.py` would, under a chosen GIL policy.
// Exit status: the script's (0 or sys.exit's), 1 for uncaught and compile errors, 2 for usage
// and for a script that cannot be read, 120 when stdout cannot be flushed at exit (as CPython).
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "common/output_file.h"
#include "gil/gil.h"
#include "vm/compiler.h"
#include "vm/disassembler.h"
#include "vm/interpreter.h"
#include "vm/multiprocessing.h"
#include "vm/os_error.h"
#include "vm/script_file.h"
#include "vm/sync.h"

namespace {

constexpr const char* kUsage =
    "usage: gilvm [options] script.py [args...]\n"
    "Runs a script written in gilbench's Python subset (see docs/language.md).\n"
    "\n"
    "options:\n"
    "  --gil=POLICY          GIL policy: py2, py3, fifo, prio, subinterp (default py3)\n"
    "  --switch-interval=US  switch interval of py3/fifo/prio in microseconds (default 5000)\n"
    "  --check-interval=N    ticks between switches of py2 (default 100)\n"
    "  --no-forced-switch    py3 ablation: a dropper does not wait for a successor\n"
    "  --stats=FILE          write the GIL's statistics as JSON to FILE\n"
    "  --trace=FILE          write a Chrome/Perfetto trace of GIL states to FILE\n"
    "  --blame=FILE          write who made whom wait for the GIL, and where the holder was:\n"
    "                        folded stacks at its drop to FILE, when the waiter asked to\n"
    "                        FILE.asked, a JSON summary of both to FILE.json\n"
    "  --dis                 print the bytecode disassembly and exit\n"
    "  --version             print the version and exit\n"
    "  --help                print this help and exit\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gilvm: %s\n(run gilvm --help for usage)\n", message.c_str());
  return 2;
}

// CPython ignores SIGPIPE and SIGXFSZ at start-up: a write to a pipe whose reader is gone, or
// past the file-size limit, then fails with EPIPE or EFBIG (BrokenPipeError, OSError) that the
// program sees, instead of killing the process (status 141 under `gilvm prog.py | head -1`).
void IgnoreSignalsAsCPython() {
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
}

// Ends gilvm's own output (--help, --version, --dis), written through stdio: with SIGPIPE
// ignored, a failed write must not pass for success. Returns `status`, or 1 after a failure.
int FinishOwnOutput(int status) {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return status;
  std::fprintf(stderr, "gilvm: cannot write to stdout: %s\n",
               gilbench::vm::OsErrorText(errno).c_str());
  return status == 0 ? 1 : status;
}

// Parses a whole-string integer option value; false on junk or overflow.
bool ParseInt(const char* text, int64_t* out) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0') return false;
  *out = v;
  return true;
}

struct Options {
  gilbench::gil::GilConfig gil;
  bool dis = false;
  std::string stats_file, trace_file, blame_file, blame_json_file, blame_asked_file;
  std::vector<std::string> argv;  // script and its arguments
};

// Why a --stats or --trace path can never take the file (empty, a directory, a directory that
// does not exist), or "" when it can: a usage error found before the script runs, not after.
std::string ReportPathProblem(const char* flag, const std::string& path) {
  if (path.empty()) return std::string(flag) + " needs a file name";
  std::string error;
  return gilbench::common::CheckOutputPath(path, &error) ? "" : std::string(flag) + "=" + error;
}

// Returns -1 to go on, or the exit status to stop with.
int ParseOptions(int argc, char** argv, Options* opts) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* prefix) -> const char* {
      size_t n = std::strlen(prefix);
      return arg.compare(0, n, prefix) == 0 ? argv[i] + n : nullptr;
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--version") {
      std::printf("gilvm 0.1.0 (gilbench; Python 3.11 subset)\n");
      return 0;
    } else if (arg == "--dis") {
      opts->dis = true;
    } else if (arg == "--no-forced-switch") {
      opts->gil.forced_switch = false;
    } else if (const char* policy = value("--gil=")) {
      opts->gil.policy = policy;
    } else if (const char* us = value("--switch-interval=")) {
      if (!ParseInt(us, &opts->gil.switch_interval_us) || opts->gil.switch_interval_us < 1)
        return UsageError("--switch-interval needs a positive number of microseconds");
    } else if (const char* ticks = value("--check-interval=")) {
      if (!ParseInt(ticks, &opts->gil.check_interval) || opts->gil.check_interval < 1)
        return UsageError("--check-interval needs a positive number of ticks");
    } else if (const char* stats = value("--stats=")) {
      const std::string problem = ReportPathProblem("--stats", stats);
      if (!problem.empty()) return UsageError(problem);
      opts->stats_file = stats;
    } else if (const char* blame = value("--blame=")) {
      std::string problem = ReportPathProblem("--blame", blame);
      if (problem.empty()) problem = ReportPathProblem("--blame", std::string(blame) + ".json");
      if (problem.empty()) problem = ReportPathProblem("--blame", std::string(blame) + ".asked");
      if (!problem.empty()) return UsageError(problem);
      opts->blame_file = blame;
      opts->blame_json_file = std::string(blame) + ".json";
      opts->blame_asked_file = std::string(blame) + ".asked";
      opts->gil.blame = true;
    } else if (const char* trace = value("--trace=")) {
      const std::string problem = ReportPathProblem("--trace", trace);
      if (!problem.empty()) return UsageError(problem);
      opts->trace_file = trace;
      opts->gil.trace = true;
    } else if (arg == "--") {
      ++i;
      break;
    } else {
      return UsageError("unknown option " + arg);
    }
  }
  if (i >= argc) return UsageError("no script given");
  opts->argv.assign(argv + i, argv + argc);
  return -1;
}

// Writes --stats and --trace once every thread has retired, each whole or not at all
// (common/output_file.h: a regular file is replaced, a device or /dev/stdout written in place);
// turns a failure (a full disk, /dev/full) into status 1.
int WriteReports(const Options& opts, const gilbench::gil::Gil& gil, int status) {
  const std::pair<const std::string*, std::string (gilbench::gil::Gil::*)() const> reports[] = {
      {&opts.stats_file, &gilbench::gil::Gil::StatsJson},
      {&opts.trace_file, &gilbench::gil::Gil::TraceJson},
      {&opts.blame_file, &gilbench::gil::Gil::BlameFolded},
      {&opts.blame_json_file, &gilbench::gil::Gil::BlameJson},
      {&opts.blame_asked_file, &gilbench::gil::Gil::BlameFoldedAsked}};
  for (const auto& [path, render] : reports) {
    if (path->empty()) continue;
    std::string error, text = (gil.*render)();
    if (path == &opts.stats_file) gilbench::vm::AddPoolStatsJson(&text);  // pool_* figures
    if (!gilbench::common::WriteOutputFile(*path, text, &error)) {
      std::fprintf(stderr, "gilvm: cannot write %s\n", error.c_str());
      if (status == 0) status = 1;
    }
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  IgnoreSignalsAsCPython();
  Options opts;
  int status = ParseOptions(argc, argv, &opts);
  if (status >= 0) return FinishOwnOutput(status);
  gilbench::vm::ScriptFile script;
  std::string error;
  if (!gilbench::vm::ReadScript(opts.argv[0], &script, &error, &status)) {
    std::fprintf(stderr, "gilvm: %s\n", error.c_str());
    return status;
  }

  auto gil = gilbench::gil::MakeGil(opts.gil, &error);
  if (!gil) return UsageError(error);
  gilbench::vm::Interpreter interp(std::move(gil), opts.argv);
  if (!interp.Load(script.source, script.filename, &error)) {
    std::fwrite(error.data(), 1, error.size(), stderr);
    return 1;
  }
  if (opts.dis) {
    std::fputs(interp.Disassembly().c_str(), stdout);
    return FinishOwnOutput(0);
  }
  gilbench::vm::InstallSigintHandler(&interp.gil());
  int exit_status;
  try {
    exit_status = interp.RunMain();
  } catch (const std::bad_alloc&) {
    // Allocation never fails quietly: an out-of-memory on the main thread ends the run as
    // CPython's MemoryError would (the interpreter's state is abandoned, not unwound).
    interp.FlushStdout();
    std::fputs("MemoryError\n", stderr);
    return 1;
  }
  exit_status = WriteReports(opts, interp.gil(), exit_status);
  // Ended by Ctrl-C: by SIGINT, as CPython ends (no destructor runs). With daemon threads left
  // (they wait for the GIL the main thread keeps): end here too, destroying nothing.
  if (interp.exit_by_sigint() || interp.daemons_left()) {
    std::fflush(nullptr);
    if (interp.exit_by_sigint()) gilbench::vm::ExitBySigint();
    _exit(exit_status);
  }
  return exit_status;
}
