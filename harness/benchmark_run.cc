// The benchmark body (benchmark_run.h).
#include "harness/benchmark_run.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "common/output_file.h"
#include "harness/guarded.h"
#include "harness/interrupt.h"
#include "harness/mode_run.h"
#include "harness/native_side.h"

namespace gilbench::harness {
namespace {

using benchmark::Counter;

std::unique_ptr<ModeRun> MakeRun(const RunSpec& spec, WorkerPlan plan) {
  return spec.mode == Mode::kProcesses ? MakeProcessesRun(spec, std::move(plan))
                                       : MakeThreadsRun(spec, std::move(plan));
}

// The workers' calls for this iteration, with the native side's pipe fds (if any) in front.
WorkerPlan PlanWorkers(const RunSpec& spec, const NativeSide* native) {
  WorkerPlan plan;
  std::vector<std::vector<int64_t>> fds;
  if (native != nullptr) {
    fds = native->FdArgs();
    plan.native_fds = native->NativeFds();
  }
  plan.calls = PlanCalls(spec.job, spec.mode, spec.n, spec.workers, fds);
  return plan;
}

// One iteration; false with *error when it failed. Leaves the timer running, as the loop needs.
// The VM workers' errors come first: when they failed, the native side's complaint (no answer)
// is only the consequence.
bool Iterate(benchmark::State& state, const RunSpec& spec, RunFigures* figures,
             std::string* error) {
  state.PauseTiming();
  std::unique_ptr<NativeSide> native = MakeNativeSide(spec.job, spec.workers);
  if (native != nullptr && !native->Prepare(error)) return false;
  std::unique_ptr<ModeRun> run = MakeRun(spec, PlanWorkers(spec, native.get()));
  if (!run->Prepare(error)) return false;  // the destructor reaps any child already forked
  state.ResumeTiming();
  if (native != nullptr) native->Start();
  run->Run();
  if (native != nullptr) native->Stop();
  state.PauseTiming();
  bool ok = run->Finish(figures, error);
  int64_t expected = spec.job.expected_checksum;
  if (ok && native != nullptr) ok = native->Finish(&figures->io, &expected, error);
  if (ok && figures->checksum != expected) {
    *error = "wrong result: checksum " + std::to_string(figures->checksum) + ", expected " +
             std::to_string(expected);
    ok = false;
  }
  run.reset();  // reaping and tearing the interpreter down are not part of the job
  if (ok) state.ResumeTiming();
  return ok;
}

// A count summed over the iterations, reported per iteration.
template <typename T>
Counter PerIteration(T v) {
  return Counter(static_cast<double>(v), Counter::kAvgIterations);
}

// Counts summed over the iterations are reported per iteration (kAvgIterations); percentiles
// come from the histograms merged over all iterations, so they are reported as they are.
void ReportGil(benchmark::State& state, const gil::GilThreadStats& gil) {
  const auto plain = [](uint64_t v) { return Counter(static_cast<double>(v)); };
  const gil::GilThreadCounters& c = gil.counters;
  state.counters["gil_acquisitions"] = PerIteration(c.acquisitions);
  state.counters["gil_handoffs"] = PerIteration(c.handoffs);
  state.counters["gil_futile_wakeups"] = PerIteration(c.futile_wakeups);
  state.counters["gil_drop_requests"] = PerIteration(c.drop_requests);
  state.counters["gil_forced_switches"] = PerIteration(c.forced_switches);
  state.counters["gil_wait_ns_total"] = PerIteration(c.wait_ns_total);
  state.counters["gil_wait_ns_p50"] = plain(gil.wait_ns.Percentile(0.50));
  state.counters["gil_wait_ns_p99"] = plain(gil.wait_ns.Percentile(0.99));
  state.counters["gil_wait_ns_max"] = plain(gil.wait_ns.max());
  state.counters["gil_hold_ns_p50"] = plain(gil.hold_ns.Percentile(0.50));
  state.counters["gil_hold_ns_p99"] = plain(gil.hold_ns.Percentile(0.99));
  state.counters["gil_hold_ns_total"] = PerIteration(c.hold_ns_total);
  state.counters["gil_gap_ns_total"] = PerIteration(c.gap_ns_total);
  state.counters["gil_hold_offcpu_ns"] = PerIteration(c.hold_offcpu_ns);
  // Of the gaps, the next holder's wait for a CPU: absent (not short) if a gap went unread.
  if (c.gap_cpu_wait_unread == 0)
    state.counters["gil_gap_cpu_wait_ns"] = PerIteration(c.gap_cpu_wait_ns);
  state.counters["gil_idle_ns"] = PerIteration(c.idle_ns);
  // With a PMU, the holder's effective frequency and IPC over its tenures (absent otherwise).
  if (c.HoldPmuComplete()) {
    state.counters["gil_hold_cycles_per_us"] =
        Counter(static_cast<double>(c.hold_cycles) * 1e3 / static_cast<double>(c.hold_pmu_cpu_ns));
    if (c.hold_cycles > 0) {
      state.counters["gil_hold_ipc"] =
          Counter(static_cast<double>(c.hold_instructions) / static_cast<double>(c.hold_cycles));
    }
  }
  // The VM's own work counter and its rate while holding: against the seq row's rate it shows
  // whether the same work went slower inside the holdings (docs/design.md, "The VM as its own
  // performance counter"). The rate after a change of core only where there was one.
  state.counters["vm_ticks"] = PerIteration(c.vm_ticks);
  if (c.hold_ns_total > 0) {
    state.counters["vm_ticks_per_us_held"] =
        Counter(static_cast<double>(c.vm_ticks) * 1e3 / static_cast<double>(c.hold_ns_total));
  }
  state.counters["gil_holdings_after_move"] = PerIteration(c.holdings_after_move);
  if (c.hold_ns_after_move > 0) {
    state.counters["vm_ticks_per_us_held_after_move"] =
        Counter(static_cast<double>(c.vm_ticks_after_move) * 1e3 /
                static_cast<double>(c.hold_ns_after_move));
  }
}

// The program's own locks and queues (gil/lock_stats.h), on rows whose program used them: absent
// (not 0) on the others, as a row of countdown has no lock to count.
void ReportLocks(benchmark::State& state, const gil::LockThreadStats& locks) {
  const gil::LockThreadCounters& c = locks.counters;
  if (c.acquisitions > 0) {  // every contended acquisition is an acquisition
    state.counters["lock_acquisitions"] = PerIteration(c.acquisitions);
    state.counters["lock_contended"] = PerIteration(c.contended);
    state.counters["lock_handoffs"] = PerIteration(c.handoffs);
    state.counters["lock_wait_ns_total"] = PerIteration(c.wait_ns_total);
    state.counters["lock_wait_ns_p50"] =
        Counter(static_cast<double>(locks.wait_ns.Percentile(0.50)));
    state.counters["lock_wait_ns_p99"] =
        Counter(static_cast<double>(locks.wait_ns.Percentile(0.99)));
    state.counters["lock_wait_ns_max"] = Counter(static_cast<double>(locks.wait_ns.max()));
  }
  if (c.queue_items_put > 0 || c.queue_items_got > 0) {
    state.counters["queue_items_put"] = PerIteration(c.queue_items_put);
    state.counters["queue_items_got"] = PerIteration(c.queue_items_got);
    state.counters["queue_wait_ns_total"] = PerIteration(c.queue_wait_ns_total);
    state.counters["queue_get_blocked_ns_total"] = PerIteration(c.queue_get_blocked_ns_total);
    state.counters["queue_put_blocked_ns_total"] = PerIteration(c.queue_put_blocked_ns_total);
  }
}

// The program's own process pools (pool rows), per iteration: where a pool's time went.
void ReportPools(benchmark::State& state, const vm::PoolFigures& pools) {
  if (pools.pools == 0) return;
  for (const auto& [name, v] : pools.Named()) {
    state.counters[name] = PerIteration(v);
  }
}

// processes rows and subinterp threads rows: the slowest worker per run, averaged over the runs
// (its scheduler figures only where they were counted).
void ReportSlowestWorker(benchmark::State& state, const SlowestWorker& slowest) {
  if (slowest.runs == 0) return;
  const auto per_run = [&](uint64_t v) { return Counter(static_cast<double>(v) / slowest.runs); };
  state.counters["slowest_worker_wall_ns"] = per_run(slowest.wall_ns);
  state.counters["slowest_worker_vm_ticks"] = per_run(slowest.vm_ticks);
  if (std::optional<uint64_t> v = slowest.sched.Value(SchedMetric::kTaskClockNs)) {
    state.counters["slowest_worker_task_clock_ns"] = per_run(*v);
  }
  if (std::optional<uint64_t> v = slowest.sched.Value(SchedMetric::kRunDelayNs)) {
    state.counters["slowest_worker_run_delay_ns"] = per_run(*v);
  }
}

void ReportFigures(benchmark::State& state, const RunSpec& spec, const RunFigures& total) {
  ReportGil(state, total.gil);
  ReportLocks(state, total.gil.locks);
  ReportPools(state, total.pools);
  state.counters["cpu_user_s"] = PerIteration(total.usage.user_s);
  state.counters["cpu_sys_s"] = PerIteration(total.usage.sys_s);
  state.counters["ctx_voluntary"] = PerIteration(total.usage.voluntary);
  state.counters["ctx_involuntary"] = PerIteration(total.usage.involuntary);
  state.counters["result"] = PerIteration(total.checksum);
  // PMU counters only when really read: absent (not zero) otherwise, the context says why.
  if (total.counters.present()) {
    for (size_t i = 0; i < total.counters.count; ++i) {
      state.counters[std::string(total.counters.name(i))] = PerIteration(total.counters.values[i]);
    }
  }
  // Scheduler figures likewise: a metric no source could count is left out (the context's
  // sched_counters says which source each metric has here, and why one is missing).
  for (size_t i = 0; i < kSchedMetrics; ++i) {
    if (std::optional<uint64_t> v = total.sched.Value(static_cast<SchedMetric>(i))) {
      state.counters[std::string(kSchedMetricNames[i])] = PerIteration(*v);
    }
  }
  // numa rows: the share of workers whose memory was bound to their node (1: all of them).
  if (total.memory_bind_tries > 0) {
    state.counters["memory_bound_local"] =
        Counter(static_cast<double>(total.memory_bound) / total.memory_bind_tries);
  }
  // Fairness only where it was measured (rows of two workers or more), averaged.
  const Fairness& fair = total.fairness;
  if (fair.runs > 0) {
    state.counters[fair.side_by_side ? "fairness_cpu" : "fairness_hold"] =
        Counter((fair.side_by_side ? fair.cpu_sum : fair.hold_sum) / fair.runs);
    state.counters["fairness_work"] = Counter(fair.work_sum / fair.runs);
  }
  ReportSlowestWorker(state, total.slowest_worker);
  if (total.io.has_latency()) {
    state.counters["io_latency_us_p50"] = Counter(total.io.LatencyPercentile(0.50));
    state.counters["io_latency_us_p99"] = Counter(total.io.LatencyPercentile(0.99));
  }
  if (total.io.has_ops()) state.counters["io_ops_per_s"] = Counter(total.io.ops_per_s());
  if (spec.sweep) {
    state.counters["switch_interval_us"] =
        Counter(static_cast<double>(spec.gil_config.switch_interval_us));
  }
  if (spec.job.work_items > 0) {
    state.SetItemsProcessed(state.iterations() * spec.job.work_items);
  }
  // Where the workers ran (last iteration), so a reader can see the placement held.
  std::string label = "ran_on=";
  for (size_t i = 0; i < total.last_cpus.size(); ++i) {
    label += (i == 0 ? "" : ",") + std::to_string(total.last_cpus[i]);
  }
  state.SetLabel(label);
}

// --blame: the row's charges, summed over its iterations, as DIR/ROW.folded (the holder's stack
// at its drop), DIR/ROW.asked.folded (when the waiter asked) and DIR/ROW.json
// (ROW: the name with '/' as '_'). A file that cannot be written costs a line on stderr, not the
// run.
void WriteBlame(const RunSpec& spec, const RunFigures& total) {
  std::vector<gil::BlameLine> lines;
  for (const auto& [key, entry] : total.blame) {
    lines.push_back(gil::BlameLine{std::get<0>(key), std::get<1>(key), std::get<2>(key), entry,
                                   std::get<3>(key), std::get<4>(key)});
  }
  lines = gil::SortedBlame(std::move(lines));
  std::string base = spec.name;
  std::replace(base.begin(), base.end(), '/', '_');
  base = spec.blame_dir + "/" + base;
  const std::pair<std::string, std::string> files[] = {
      {base + ".folded", gil::FoldedBlame(lines)},
      {base + ".asked.folded", gil::FoldedBlameAsked(lines)},
      {base + ".json", gil::BlameSummaryJson(lines)}};
  for (const auto& [path, text] : files) {
    std::string error;
    if (!common::WriteOutputFile(path, text, &error)) {
      std::fprintf(stderr, "gilbench: --blame: cannot write %s\n", error.c_str());
    }
  }
}

}  // namespace

void RunBenchmark(benchmark::State& state, const RunSpec& spec, Progress* progress) {
  ExitIfInterrupted();  // between rows
  progress->Started(spec.name);
  if (!spec.source_error.empty()) {
    state.SkipWithError(spec.source_error.c_str());  // before the loop: it never runs
    return;
  }
  RunFigures total;
  for (auto _ : state) {
    RunFigures figures;
    std::string error;
    // An exception (out of memory while loading the workload...) fails this row only.
    const bool ok = RunGuarded([&] { return Iterate(state, spec, &figures, &error); }, &error);
    ExitIfInterrupted();  // the iteration has let go of its threads and children
    if (!ok) {
      state.SkipWithError(error.c_str());
      return;
    }
    total += figures;
  }
  ReportFigures(state, spec, total);
  if (!spec.blame_dir.empty() && spec.mode == Mode::kThreads) WriteBlame(spec, total);
}

}  // namespace gilbench::harness
