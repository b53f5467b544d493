// seq and threads mode: the workers are VM threads of one interpreter under the policy's GIL
// (mode_run.h). A fresh interpreter per iteration, so that its GIL statistics are this run's.
#include <sys/resource.h>

#include "harness/mode_run.h"
#include "harness/worker_probe.h"
#include "vm/interpreter.h"
#include "vm/workers.h"

namespace gilbench::harness {
namespace {

class ThreadsRun : public ModeRun {
 public:
  ThreadsRun(const RunSpec& spec, WorkerPlan plan)
      : spec_(spec),
        calls_(std::move(plan.calls)),
        probe_(*spec.topology, spec.plan, spec.counters, spec.workers) {}

  bool Prepare(std::string* error) override {
    std::unique_ptr<gil::Gil> gil = gil::MakeGil(spec_.gil_config, error);
    if (gil == nullptr) return false;
    interp_ =
        std::make_unique<vm::Interpreter>(std::move(gil), std::vector<std::string>{spec_.job.file});
    return vm::LoadWorkload(*interp_, spec_.source, spec_.job.file, error);
  }

  void Run() override {
    // RUSAGE_SELF covers the workers: they are threads of this process.
    usage_ = Usage::Now(RUSAGE_SELF);
    outcomes_ = vm::RunWorkers(*interp_, calls_, probe_.Hooks());
    Usage after = Usage::Now(RUSAGE_SELF);
    after -= usage_;
    usage_ = after;
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
    for (const gil::BlameLine& line : interp_->gil().BlameLines()) {
      gil::BlameEntry& entry =
          out->blame[{line.waiter, line.holder, line.stack, line.asked_holder, line.asked_stack}];
      entry.wait_ns += line.entry.wait_ns;
      entry.waits += line.entry.waits;
    }
    out->usage = usage_;
    out->counters = probe_.Counters();
    out->sched = probe_.Sched();
    out->last_cpus = probe_.last_cpus();
    std::vector<double> hold, work;
    for (const vm::WorkerOutcome& o : outcomes_) {
      if (!o.in_window) continue;
      hold.push_back(static_cast<double>(o.window_hold_ns));
      work.push_back(static_cast<double>(o.window_ticks));
    }
    const std::optional<double> fair_hold = JainIndex(hold);
    const std::optional<double> fair_work = JainIndex(work);
    // With isolated threads (subinterp) every worker has a GIL of its own, held from its start to
    // its end: there is nothing shared to be fair about.
    const bool shared_gil = !interp_->isolated_threads();
    if (shared_gil && hold.size() == outcomes_.size() && fair_hold && fair_work) {
      out->fairness = Fairness{*fair_hold, *fair_work, 0, 1, /*of_processes=*/false};
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
};

}  // namespace

std::unique_ptr<ModeRun> MakeThreadsRun(const RunSpec& spec, WorkerPlan plan) {
  return std::make_unique<ThreadsRun>(spec, std::move(plan));
}

}  // namespace gilbench::harness
