// seq and threads mode: the workers are VM threads of one interpreter under the policy's GIL
// (mode_run.h). A fresh interpreter per iteration, so that its GIL statistics are this run's.
// A spawner's threads and pool rows run here too: one worker whose call starts the row's threads
// (VM threads of the same interpreter, in its statistics) or its pool (processes, whose CPU time
// counts once the pool has reaped them).
#include <sys/resource.h>

#include <algorithm>

#include "harness/mode_run.h"
#include "harness/worker_probe.h"
#include "vm/interpreter.h"
#include "vm/multiprocessing.h"
#include "vm/workers.h"

namespace gilbench::harness {
namespace {

class ThreadsRun : public ModeRun {
 public:
  ThreadsRun(const RunSpec& spec, WorkerPlan plan)
      : spec_(spec),
        calls_(std::move(plan.calls)),
        probe_(*spec.topology, spec.plan, spec.counters, spec.workers,
               MemoryBindingOf(spec.placement)) {}

  bool Prepare(std::string* error) override {
    std::unique_ptr<gil::Gil> gil = gil::MakeGil(spec_.gil_config, error);
    if (gil == nullptr) return false;
    interp_ =
        std::make_unique<vm::Interpreter>(std::move(gil), std::vector<std::string>{spec_.job.file});
    vm::TakePoolFigures();  // a failed earlier run's pools are not this run's
    return vm::LoadWorkload(*interp_, spec_.source, spec_.job.file, error);
  }

  void Run() override {
    // RUSAGE_SELF covers the workers: they are threads of this process. RUSAGE_CHILDREN the
    // processes a pool row's pool made and reaped (no other child ends while a row runs).
    usage_ = Usage::Now(RUSAGE_SELF);
    Usage children = Usage::Now(RUSAGE_CHILDREN);
    start_ns_ = gil::MonotonicNs();
    outcomes_ = vm::RunWorkers(*interp_, calls_, probe_.Hooks());
    Usage after = Usage::Now(RUSAGE_SELF);
    after -= usage_;
    usage_ = after;
    if (spec_.mode == Mode::kPool) {
      Usage children_after = Usage::Now(RUSAGE_CHILDREN);
      children_after -= children;
      usage_ += children_after;
    }
  }

  bool Finish(RunFigures* out, std::string* error) override {
    *out = RunFigures{};
    for (size_t i = 0; i < outcomes_.size(); ++i) {
      if (!outcomes_[i].ok) {
        *error = "worker " + std::to_string(i) + " failed: " + outcomes_[i].error;
        return false;
      }
      out->checksum += outcomes_[i].checksum;
    }
    if (!probe_.CheckPlacement(spec_.plan, error)) return false;
    out->gil = interp_->gil().TotalStats();  // every worker has retired: RunWorkers joined them
    out->pools = vm::TakePoolFigures();
    for (const gil::BlameLine& line : interp_->gil().BlameLines()) {
      gil::BlameEntry& entry =
          out->blame[{line.waiter, line.holder, line.stack, line.asked_holder, line.asked_stack}];
      entry.wait_ns += line.entry.wait_ns;
      entry.waits += line.entry.waits;
    }
    out->usage = usage_;
    // A row whose one call starts its own threads or pool: the probe saw only the thread that
    // started and joined them, so its PMU and scheduler figures are left out (absent), not
    // passed off as the row's.
    if (!StartsItsOwn(spec_.job, spec_.mode)) {
      out->counters = probe_.Counters();
      out->sched = probe_.Sched();
    }
    out->last_cpus = probe_.last_cpus();
    if (MemoryBindingOf(spec_.placement) != MemoryBinding::kNone && !spec_.plan.empty()) {
      out->memory_bind_tries = spec_.workers;
      out->memory_bound = probe_.MemoryBound();
    }
    // With isolated threads (subinterp) every worker has a GIL of its own, held from its start to
    // its end: a threads row's workers run side by side, as processes do, and are reported as
    // processes are (a seq row is the yardstick, with nothing to split).
    if (interp_->isolated_threads() && spec_.mode == Mode::kThreads) {
      std::vector<WorkerShare> shares;
      for (size_t i = 0; i < outcomes_.size(); ++i) {
        const int64_t wall = outcomes_[i].end_ns - start_ns_;
        shares.push_back(WorkerShare{static_cast<uint64_t>(std::max<int64_t>(0, wall)),
                                     outcomes_[i].ticks, probe_.SchedOf(static_cast<int>(i))});
      }
      SideBySide(shares, &out->slowest_worker, &out->fairness);
      return true;
    }
    std::vector<double> hold, work;
    for (const vm::WorkerOutcome& o : outcomes_) {
      if (!o.in_window) continue;
      hold.push_back(static_cast<double>(o.window_hold_ns));
      work.push_back(static_cast<double>(o.window_ticks));
    }
    const std::optional<double> fair_hold = JainIndex(hold);
    const std::optional<double> fair_work = JainIndex(work);
    if (hold.size() == outcomes_.size() && fair_hold && fair_work) {
      out->fairness = Fairness{*fair_hold, *fair_work, 0, 1, /*side_by_side=*/false};
    }
    return true;
  }

 private:
  const RunSpec& spec_;
  const std::vector<std::vector<vm::WorkerCall>> calls_;
  WorkerProbe probe_;
  std::unique_ptr<vm::Interpreter> interp_;
  std::vector<vm::WorkerOutcome> outcomes_;
  Usage usage_;
  int64_t start_ns_ = 0;  // when the workers were started (gil::MonotonicNs)
};

}  // namespace

std::unique_ptr<ModeRun> MakeThreadsRun(const RunSpec& spec, WorkerPlan plan) {
  return std::make_unique<ThreadsRun>(spec, std::move(plan));
}

}  // namespace gilbench::harness
