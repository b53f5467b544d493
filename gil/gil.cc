// The policy-independent half of the GIL: the per-thread record's bookkeeping, the registry of
// threads with the stats and trace exports, and MakeGil, which builds a policy by the name the
// user gave (gilvm --gil=..., gilbench --policies=...).
#include "gil/gil.h"

#include <sched.h>

#include <algorithm>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gil/fifo_gil.h"
#include "gil/json_writer.h"
#include "gil/prio_gil.h"
#include "gil/py2_gil.h"
#include "gil/py3_gil.h"
#include "gil/subinterp_gil.h"

namespace gilbench::gil {

// --- GilThread ---------------------------------------------------------------------------------

GilThread::GilThread(uint32_t id, std::string name, size_t trace_capacity)
    : id_(id),
      name_(std::move(name)),
      trace_(trace_capacity == 0 ? nullptr : std::make_unique<TraceBuffer>(trace_capacity)) {}

// Some policies call this inside their critical section: the schedstat read (~1 us) then delays a
// dropper that needs the same mutex by as much, only when a thread begins to wait.
void GilThread::NoteWaiting(int64_t now_ns) {
  if (blame_asks_ != nullptr) [[unlikely]]
    blame_ticket_ = blame_asks_->Ask();
  if (accounting_) {
    const std::optional<uint64_t> run_delay = run_delay_.Read();
    wait_run_delay_valid_ = run_delay.has_value();
    wait_run_delay_start_ = run_delay.value_or(0);
  }
  if (trace_ == nullptr) [[likely]]
    return;
  if (pending_drop_ns_ != 0) trace_->SetState(pending_drop_ns_, GilState::kNone);
  pending_drop_ns_ = 0;
  trace_->SetState(now_ns, GilState::kWaiting);
}

void GilThread::NoteTaken(int64_t now_ns, int64_t asked_ns, bool handoff) {
  GilThreadCounters& counters = stats_.counters;
  ++counters.acquisitions;
  ++(handoff ? counters.handoffs : counters.reacquisitions);
  const uint64_t waited = asked_ns == 0 ? 0 : static_cast<uint64_t>(now_ns - asked_ns);
  counters.wait_ns_total += waited;
  stats_.wait_ns.Record(waited);
  if (handoff && waited > 0 && blame_holder_ != nullptr) [[unlikely]] {
    // Read after our take, which followed the dropper's stamp through the policy's mutex.
    const BlameAsks::Reply asked = blame_asks_->ReplyTo(blame_ticket_);
    BlameEntry& entry =
        blame_[BlameKey{blame_holder_->load(std::memory_order_relaxed),
                        blame_stack_->load(std::memory_order_relaxed), asked.holder, asked.stack}];
    entry.wait_ns += waited;
    ++entry.waits;
  }
  blame_ticket_ = 0;
  hold_start_ns_ = now_ns;
  if (accounting_) AccountTake(now_ns, asked_ns, handoff, waited);
  if (trace_ == nullptr) [[likely]]
    return;
  // A forced drop re-taken without a wait continues the holding slice it interrupted.
  pending_drop_ns_ = 0;
  trace_->SetState(now_ns, GilState::kHolding);
}

void GilThread::NoteDropped(int64_t now_ns, bool voluntary) {
  const uint64_t held = static_cast<uint64_t>(std::max<int64_t>(0, now_ns - hold_start_ns_));
  GilThreadCounters& counters = stats_.counters;
  counters.hold_ns_total += held;
  stats_.hold_ns.Record(held);
  if (accounting_) AccountDrop(now_ns, held, voluntary);
  if (trace_ == nullptr) [[likely]]
    return;
  if (voluntary) {
    trace_->SetState(now_ns, GilState::kBlocked);
  } else {
    pending_drop_ns_ = now_ns;
  }
}

// The accounting beyond the base counters (GilConfig::accounting): handoff gaps, tenures and
// off-CPU time, the CPU of each take. On unless a benchmark measures what it costs.
void GilThread::AccountTake(int64_t now_ns, int64_t asked_ns, bool handoff, uint64_t waited) {
  GilThreadCounters& counters = stats_.counters;
  if (handoff && waited > 0 && last_drop_ns_ != nullptr) {
    // Free since the later of the last drop and our asking: before we asked it was no gap of
    // ours. A drop stamped after our take (a race between the two clock reads) counts nothing.
    const int64_t free_since = std::max(asked_ns, last_drop_ns_->load(std::memory_order_relaxed));
    const uint64_t gap = now_ns > free_since ? static_cast<uint64_t>(now_ns - free_since) : 0;
    counters.gap_ns_total += gap;
    AccountGapCpuWait(gap);
  }
  wait_run_delay_valid_ = false;
  // Tenures: a take after another thread's holding (handoff) ends the tenure that our last drop
  // left open -- at that drop in wall time; its CPU time is read now, so the little CPU spent
  // waiting counts as running (off-CPU time is never overstated). A take of our own GIL back
  // continues the tenure.
  if (!in_tenure_ || handoff) {
    const int64_t cpu_ns = ThreadCpuNs();
    const std::optional<HoldingPmu::Sample> pmu = pmu_.Read();
    if (in_tenure_) EndTenure(last_own_drop_ns_, cpu_ns, pmu);
    in_tenure_ = true;
    tenure_wall_start_ns_ = now_ns;
    tenure_cpu_start_ns_ = cpu_ns;
    tenure_pmu_start_ = pmu;
  }
  // sched_getcpu is a vDSO read (a few ns): cheap enough for every take.
  const int cpu = sched_getcpu();
  moved_ = last_cpu_ >= 0 && cpu >= 0 && cpu != last_cpu_;
  if (cpu >= 0) last_cpu_ = cpu;
}

// Of a handoff's gap, the time this thread was runnable without a CPU: its run delay since it
// began to wait, at most the gap (the wait also held py3's timed wake-ups, whose delay is no part
// of the gap). Unread when either end could not be read.
void GilThread::AccountGapCpuWait(uint64_t gap) {
  GilThreadCounters& counters = stats_.counters;
  const std::optional<uint64_t> now = wait_run_delay_valid_ ? run_delay_.Read() : std::nullopt;
  if (!now) {
    ++counters.gap_cpu_wait_unread;
    return;
  }
  const uint64_t delay = *now > wait_run_delay_start_ ? *now - wait_run_delay_start_ : 0;
  counters.gap_cpu_wait_ns += std::min(delay, gap);
}

// The rest of the accounting at a drop: the ticks the interpreter flushed, the holding's share
// after a change of CPU, the totals published for the fairness window, the end of a tenure.
void GilThread::AccountDrop(int64_t now_ns, uint64_t held, bool voluntary) {
  GilThreadCounters& counters = stats_.counters;
  counters.vm_ticks += pending_ticks_;
  if (moved_) {
    ++counters.holdings_after_move;
    counters.vm_ticks_after_move += pending_ticks_;
    counters.hold_ns_after_move += held;
  }
  pending_ticks_ = 0;
  published_hold_ns_.store(counters.hold_ns_total, std::memory_order_relaxed);
  published_ticks_.store(counters.vm_ticks, std::memory_order_relaxed);
  last_own_drop_ns_ = now_ns;
  // A voluntary drop (before blocking) ends the tenure here; a forced one may be followed by
  // our own re-take, which continues it (NoteTaken decides).
  if (voluntary && in_tenure_) {
    EndTenure(now_ns, ThreadCpuNs(), pmu_.Read());
    in_tenure_ = false;
  }
}

uint64_t GilThread::HoldNsSoFar(int64_t now_ns) const {
  return stats_.counters.hold_ns_total +
         static_cast<uint64_t>(std::max<int64_t>(0, now_ns - hold_start_ns_));
}

void GilThread::EndTenure(int64_t wall_end_ns, int64_t cpu_end_ns,
                          std::optional<HoldingPmu::Sample> pmu) {
  GilThreadCounters& counters = stats_.counters;
  const int64_t wall = wall_end_ns - tenure_wall_start_ns_;
  const int64_t cpu = cpu_end_ns - tenure_cpu_start_ns_;
  ++counters.tenures;
  if (wall > cpu) counters.hold_offcpu_ns += static_cast<uint64_t>(wall - cpu);
  // Hardware counts over the same span as the CPU time: both ends read, or the tenure is unread.
  if (pmu && tenure_pmu_start_ && cpu > 0) {
    counters.hold_cycles += (*pmu)[0] - (*tenure_pmu_start_)[0];
    counters.hold_instructions += (*pmu)[1] - (*tenure_pmu_start_)[1];
    counters.hold_pmu_cpu_ns += static_cast<uint64_t>(cpu);
  } else {
    ++counters.hold_pmu_unread;
  }
}

void GilThread::CountFutileWakeup() {
  ++stats_.counters.futile_wakeups;
  Trace(TraceInstant::kFutileWakeup);
}

void GilThread::CountDropRequest() {
  ++stats_.counters.drop_requests;
  Trace(TraceInstant::kDropRequest);
}

void GilThread::CountForcedSwitch(int64_t dropped_ns) {
  ++stats_.counters.forced_switches;
  Trace(TraceInstant::kForcedSwitch, dropped_ns);
}

void GilThread::CloseTrace(int64_t now_ns) {
  if (trace_ == nullptr) return;
  if (pending_drop_ns_ != 0) now_ns = pending_drop_ns_;
  pending_drop_ns_ = 0;
  trace_->SetState(now_ns, GilState::kNone);
}

// --- Gil: knobs, registry, exports -------------------------------------------------------------

void Gil::Acquire(GilThread* self) {
  if (accounting_) NoteActive(self);
  DoAcquire(self);
}

void Gil::Release(GilThread* self) {
  DoRelease(self);
  if (accounting_) NoteInactive();
}

void Gil::NoteActive(GilThread* self) {
  MutexLock lock(activity_mutex_);
  if (active_threads_++ == 0 && idle_since_ns_ != 0) {
    const int64_t now_ns = MonotonicNs();
    if (now_ns > idle_since_ns_) {
      self->counters().idle_ns += static_cast<uint64_t>(now_ns - idle_since_ns_);
    }
    idle_since_ns_ = 0;
  }
}

void Gil::NoteInactive() {
  MutexLock lock(activity_mutex_);
  if (--active_threads_ == 0) idle_since_ns_ = MonotonicNs();
}

Gil::Gil(const GilConfig& config)
    : switch_interval_us_(std::max<int64_t>(1, config.switch_interval_us)),
      check_interval_(std::max<int64_t>(1, config.check_interval)),
      forced_switch_(config.forced_switch),
      trace_(config.trace),
      accounting_(config.accounting),
      trace_capacity_(std::max(config.trace_events_per_thread, TraceBuffer::kMinCapacity)),
      origin_ns_(MonotonicNs()),
      blame_stacks_(config.blame ? std::make_unique<BlameStacks>() : nullptr),
      blame_asks_(config.blame ? std::make_unique<BlameAsks>(&eval_breaker_, kBlameAskBit)
                               : nullptr) {}

void Gil::SetSwitchIntervalUs(int64_t us) {
  // A zero interval would make waiters spin on timeouts; CPython clamps to 1 µs the same way.
  switch_interval_us_.store(std::max<int64_t>(1, us), std::memory_order_relaxed);
}

void Gil::SetCheckInterval(int64_t ticks) {
  check_interval_.store(std::max<int64_t>(1, ticks), std::memory_order_relaxed);
}

std::unique_ptr<GilThread> Gil::RegisterThread(std::string name) {
  MutexLock lock(registry_mutex_);
  ++live_threads_;
  auto thread =
      std::make_unique<GilThread>(next_id_++, std::move(name), trace_ ? trace_capacity_ : 0);
  thread->set_last_drop(&last_drop_ns_);
  thread->set_accounting(accounting_);
  if (blame_stacks_ != nullptr) {
    thread->set_blame_source(&last_drop_holder_, &last_drop_stack_, blame_asks_.get());
  }
  return thread;
}

void Gil::RetireThread(std::unique_ptr<GilThread> thread) {
  if (thread == nullptr) return;
  thread->CloseTrace(MonotonicNs());
  thread->CloseProbes();
  MutexLock lock(registry_mutex_);
  --live_threads_;
  retired_.push_back(std::move(thread));
}

void Gil::StampBlame(GilThread* self) {
  // The dropper's own stack, on its own thread; a failure to build it charges "(no frame)".
  std::string stack;
  try {
    stack = self->CurrentStack();
  } catch (const std::bad_alloc&) {
    stack.clear();
  }
  const uint32_t stack_id = blame_stacks_->Intern(stack);
  last_drop_stack_.store(stack_id, std::memory_order_relaxed);
  last_drop_holder_.store(self->id(), std::memory_order_relaxed);
  // A waiter that asked since this holder's last check gets the drop's stack: the holder passed
  // no check in between, so that is where it was.
  blame_asks_->Answer(self->id(), stack_id);
}

// At a check of the eval breaker: if a waiter asked, reply with where this holder is now.
void Gil::AnswerBlameAsksNow(GilThread* self) {
  if ((eval_breaker_.load(std::memory_order_relaxed) & kBlameAskBit) == 0) return;
  eval_breaker_.fetch_and(~kBlameAskBit, std::memory_order_relaxed);
  std::string stack;
  try {
    stack = self->CurrentStack();
  } catch (const std::bad_alloc&) {
    stack.clear();
  }
  blame_asks_->Answer(self->id(), blame_stacks_->Intern(stack));
}

std::vector<BlameLine> Gil::BlameLines() const {
  if (blame_stacks_ == nullptr) return {};
  MutexLock lock(registry_mutex_);
  const std::vector<const GilThread*> threads = RetiredById();
  std::map<uint32_t, std::string> names;
  for (const GilThread* t : threads) names[t->id()] = t->name();
  const auto name_of = [&](uint32_t id) {
    auto it = names.find(id);
    return it != names.end() ? it->second : "thread " + std::to_string(id);
  };
  std::vector<BlameLine> lines;
  for (const GilThread* t : threads) {
    for (const auto& [key, entry] : t->blame()) {
      lines.push_back(BlameLine{t->name(), name_of(key.holder), blame_stacks_->Stack(key.stack),
                                entry,
                                key.asked_holder == 0 ? "(not known)" : name_of(key.asked_holder),
                                blame_stacks_->Stack(key.asked_stack)});
    }
  }
  return SortedBlame(std::move(lines));
}

std::string Gil::BlameFolded() const { return FoldedBlame(BlameLines()); }

std::string Gil::BlameFoldedAsked() const { return FoldedBlameAsked(BlameLines()); }

std::string Gil::BlameJson() const { return BlameSummaryJson(BlameLines()); }

std::vector<const GilThread*> Gil::RetiredById() const {
  std::vector<const GilThread*> threads;
  for (const std::unique_ptr<GilThread>& thread : retired_) threads.push_back(thread.get());
  std::sort(threads.begin(), threads.end(),
            [](const GilThread* a, const GilThread* b) { return a->id() < b->id(); });
  return threads;
}

std::string Gil::StatsJson() const {
  MutexLock lock(registry_mutex_);
  const std::vector<const GilThread*> threads = RetiredById();
  GilThreadStats total;
  for (const GilThread* thread : threads) total += thread->stats();
  std::string out = "{";
  AppendJsonKey(&out, "policy");
  AppendJsonString(&out, PolicyName());
  out.append(",\"switch_interval_us\":" + std::to_string(SwitchIntervalUs()) +
             ",\"check_interval\":" + std::to_string(CheckInterval()) +
             ",\"forced_switch\":" + (forced_switch_ ? "true" : "false") +
             ",\"unretired_threads\":" + std::to_string(live_threads_) + ",");
  AppendStatsFields(&out, total);
  out.append("\"threads\":[");
  for (const GilThread* thread : threads) {
    out.append(thread == threads.front() ? "\n{" : ",\n{");
    out.append("\"id\":" + std::to_string(thread->id()) + ",");
    AppendJsonKey(&out, "name");
    AppendJsonString(&out, thread->name());
    out.push_back(',');
    AppendStatsFields(&out, thread->stats());
    out.back() = '}';  // the last field's comma
  }
  out.append("]}\n");
  return out;
}

GilThreadStats Gil::TotalStats() const {
  MutexLock lock(registry_mutex_);
  GilThreadStats total;
  for (const std::unique_ptr<GilThread>& thread : retired_) total += thread->stats();
  return total;
}

std::string Gil::TraceJson() const {
  MutexLock lock(registry_mutex_);
  const std::vector<const GilThread*> threads = RetiredById();
  std::vector<TraceTrack> tracks;
  // The knob a reader of the timeline needs to read it (the report's caption states it).
  std::string other = "\"policy\":\"" + std::string(PolicyName()) +
                      "\",\"switch_interval_us\":" + std::to_string(SwitchIntervalUs());
  uint64_t dropped_total = 0;
  for (const GilThread* thread : threads) {
    tracks.push_back(TraceTrack{thread->id(), thread->name(), thread->trace()});
    const uint64_t dropped = thread->trace() == nullptr ? 0 : thread->trace()->dropped();
    dropped_total += dropped;
    other.append(",\"dropped_events_tid_" + std::to_string(thread->id()) +
                 "\":" + std::to_string(dropped));
  }
  other.append(",\"dropped_events_total\":" + std::to_string(dropped_total) +
               ",\"events_per_thread_limit\":" + std::to_string(trace_ ? trace_capacity_ : 0));
  return ExportTraceJson(tracks, origin_ns_, std::string("gilbench GIL (") + PolicyName() + ")",
                         other);
}

// --- MakeGil -----------------------------------------------------------------------------------

namespace {

std::unique_ptr<Gil> Fail(std::string message, std::string* error) {
  if (error != nullptr) *error = std::move(message);
  return nullptr;
}

std::unique_ptr<Gil> Build(const GilConfig& config) {
  if (config.policy == "py2") return std::make_unique<Py2Gil>(config);
  if (config.policy == "py3") return std::make_unique<Py3Gil>(config);
  if (config.policy == "fifo") return std::make_unique<FifoGil>(config);
  if (config.policy == "prio") return std::make_unique<PrioGil>(config);
  if (config.policy == "subinterp") return std::make_unique<SubinterpGil>(config);
  return nullptr;
}

}  // namespace

std::unique_ptr<Gil> MakeGil(const GilConfig& config, std::string* error) {
  if (config.switch_interval_us < 1) {
    return Fail(
        "switch interval must be at least 1 us, got " + std::to_string(config.switch_interval_us),
        error);
  }
  if (config.check_interval < 1) {
    return Fail("check interval must be at least 1, got " + std::to_string(config.check_interval),
                error);
  }
  std::unique_ptr<Gil> gil = Build(config);
  if (gil == nullptr) {
    return Fail(
        "unknown GIL policy '" + config.policy + "' (choose py2, py3, fifo, prio, subinterp)",
        error);
  }
  if (error != nullptr) error->clear();
  return gil;
}

}  // namespace gilbench::gil
