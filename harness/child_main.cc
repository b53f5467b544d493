// A `processes` child (child_main.h).
#include "harness/child_main.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "harness/child_report.h"
#include "harness/guarded.h"
#include "harness/worker_probe.h"
#include "vm/interpreter.h"
#include "vm/workers.h"

namespace gilbench::harness {
namespace {

bool TestHook(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && std::string(value) == "1";
}

void WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent gave up on us; nothing left to tell
    p += n;
    size -= static_cast<size_t>(n);
  }
}

[[noreturn]] void Report(int fd, const ChildReport& report, int status) {
  WriteAll(fd, &report, sizeof report);
  _exit(status);
}

// The interpreter with the workload loaded, and the process bound to its PUs.
// With a placement that binds memory (numa), *memory_bound says whether that binding took.
std::unique_ptr<vm::Interpreter> SetUp(const RunSpec& spec, int index, std::string* error,
                                       bool* memory_bound) {
  std::unique_ptr<gil::Gil> gil = gil::MakeGil(spec.gil_config, error);
  if (gil == nullptr) return nullptr;
  auto interp =
      std::make_unique<vm::Interpreter>(std::move(gil), std::vector<std::string>{spec.job.file});
  if (!vm::LoadWorkload(*interp, spec.source, spec.job.file, error)) return nullptr;
  std::string memory_note;
  if (!spec.plan.empty() &&
      !spec.topology->Bind(spec.plan[static_cast<size_t>(index)], /*for_process=*/true, error,
                           MemoryBindingOf(spec.placement), &memory_note)) {
    *error = "binding failed: " + *error;
    return nullptr;
  }
  *memory_bound = !spec.plan.empty() && MemoryBindingOf(spec.placement) != MemoryBinding::kNone &&
                  memory_note.empty();
  return interp;
}

// The test hooks, between the work and the report.
void MaybeMisbehave(int index) {
  if (index != 0) return;
  if (TestHook("GILBENCH_TEST_CRASH_CHILD")) {
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);  // a test crash need not write a core file
    std::abort();
  }
  while (TestHook("GILBENCH_TEST_HANG_CHILD")) pause();
}

}  // namespace

void ChildMain(const RunSpec& spec, const std::vector<vm::WorkerCall>& calls, int index, int go_fd,
               int report_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a parent that died without reaping us
  auto report = std::make_unique<ChildReport>();
  std::string error;
  std::unique_ptr<vm::Interpreter> interp;
  // Out of memory while loading the workload is the row's error, not an abort.
  bool memory_bound = false;
  RunGuarded([&] { return (interp = SetUp(spec, index, &error, &memory_bound)) != nullptr; },
             &error);
  if (interp == nullptr) {
    report->SetError(error);
    Report(report_fd, *report, 1);
  }
  // The process is bound as a whole already: the probe only counts and notes the PU.
  const std::vector<CpuSet> no_plan;
  WorkerProbe probe(*spec.topology, no_plan, spec.counters, 1);
  char go = 0;
  if (read(go_fd, &go, 1) != 1) _exit(3);  // the parent abandoned the run
  Usage usage = Usage::Now(RUSAGE_SELF);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<vm::WorkerOutcome> outcomes = vm::RunWorkers(*interp, {calls}, probe.Hooks());
  const auto wall = std::chrono::steady_clock::now() - start;
  Usage after = Usage::Now(RUSAGE_SELF);
  after -= usage;
  MaybeMisbehave(index);
  report->ok = outcomes[0].ok ? 1 : 0;
  report->SetError(outcomes[0].error);
  report->checksum = outcomes[0].checksum;
  report->wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count();
  report->usage = after;
  report->last_cpu = probe.last_cpus()[0];
  report->memory_bound = memory_bound ? 1 : 0;
  report->counters = probe.Counters();
  report->sched = probe.Sched();
  report->gil = interp->gil().TotalStats();
  Report(report_fd, *report, 0);
}

}  // namespace gilbench::harness
