// The GIL interface that the interpreter calls, the per-thread record it passes, and the factory
// that builds a policy by name.
//
// The interpreter touches the GIL at exactly these points (docs/design.md, "Where the interpreter
// touches the GIL"):
//   - Acquire: when a thread starts, and after a blocking call (sleep, os.read, join, ...).
//   - Release: before a blocking call, and when a thread exits.
//   - the eval breaker: on backward jumps and calls the interpreter loads `eval_breaker()`
//     (one relaxed atomic load); when it is non-zero it calls OnEvalBreaker(), where the policy
//     decides whether to drop the GIL and take it back (a "forced" drop) or to do nothing.
// Each OS thread that runs bytecode owns one GilThread record (from RegisterThread), passed to
// every call; policies keep their per-thread state, counters, histograms and trace events there,
// so the hot path writes no shared cache line. When the thread ends the record goes back to the
// Gil (RetireThread), which keeps it for StatsJson() and TraceJson() at exit.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gil/blame.h"
#include "gil/holding_pmu.h"
#include "gil/pthread_sync.h"
#include "gil/run_delay.h"
#include "gil/stats.h"
#include "gil/trace.h"

namespace gilbench::gil {

// The knobs of every policy (docs/design.md, "Policies and their knobs"; gilvm's command line).
struct GilConfig {
  std::string policy = "py3";         // py2 | py3 | fifo | prio | subinterp
  int64_t switch_interval_us = 5000;  // interval-based policies (py3, fifo, prio)
  int64_t check_interval = 100;       // ticks of the py2 policy
  bool forced_switch = true;          // py3: the dropper waits until another thread took over
  bool trace = false;                 // record GIL events per thread for TraceJson()
  bool blame = false;                 // charge waits to holders' stacks (blame.h; BlameJson())
  // The accounting beyond the base counters: vm_ticks, handoff gaps, off-CPU time while holding,
  // holdings after a change of CPU, the fairness window. Off only to measure its cost.
  bool accounting = true;
  size_t trace_events_per_thread = size_t{1} << 20;  // each thread's trace buffer holds this many
};

// Per-thread state that the policies keep in the thread's record. Each field names its policy and
// what guards it.
struct GilThreadPolicyState {
  // py2: eval-breaker checks (ticks) since this thread last took the GIL. Only its thread.
  int64_t ticks = 0;
  // fifo, prio: the GIL has been handed to this waiting thread. Guarded by the policy's mutex_.
  bool granted = false;
  // prio: this thread's last drop was voluntary (I/O-bound). Guarded by the policy's mutex_.
  bool io_bound = false;
  // fifo, prio: signalled (with the policy's mutex_) when this waiter is granted the GIL or
  // becomes the next in line. Waited on only by this thread.
  PthreadCond wake;
  // subinterp: this thread's own GIL, and whether it holds it (only its thread touches either).
  PthreadMutex own_lock;
  bool own_held = false;
};

// One record per thread that uses a Gil, outliving every call the thread makes. Everything in it
// is written only by its thread, except policy_state() fields guarded by a policy's mutex.
class GilThread {
 public:
  // Gil::RegisterThread makes the records that stats and traces see. One made directly works
  // with every policy but is never traced and is in no StatsJson (unit tests make them).
  explicit GilThread(uint32_t id, std::string name = {}, size_t trace_capacity = 0);
  GilThread(const GilThread&) = delete;
  GilThread& operator=(const GilThread&) = delete;

  uint32_t id() const { return id_; }
  const std::string& name() const { return name_; }
  GilThreadCounters& counters() { return stats_.counters; }
  const GilThreadCounters& counters() const { return stats_.counters; }
  const GilThreadStats& stats() const { return stats_; }
  // The program's locks and queues (lock_stats.h): written only by this thread.
  LockThreadStats& lock_stats() { return stats_.locks; }
  const TraceBuffer* trace() const { return trace_.get(); }
  GilThreadPolicyState& policy_state() { return policy_state_; }
  const GilThreadPolicyState& policy_state() const { return policy_state_; }

  // --- Bookkeeping for policies, at the points of their protocols. None reads the clock unless
  // tracing (the policies pass the times they read anyway); with tracing off each trace record
  // costs one predictable branch.

  // Started to wait at `now_ns` (a forced drop just before ends its holding slice then).
  void NoteWaiting(int64_t now_ns);
  // Took the GIL at `now_ns`, having asked at `asked_ns` (0: it did not wait). `handoff`: the
  // previous holder was another thread.
  void NoteTaken(int64_t now_ns, int64_t asked_ns, bool handoff);
  // Dropped the GIL at `now_ns`: voluntarily (Release: blocked until the next Acquire) or in
  // OnEvalBreaker (a re-take follows; if it needs no wait the trace keeps one holding slice).
  void NoteDropped(int64_t now_ns, bool voluntary);
  // The interpreter's count of eval-breaker checks since its last flush: work done in the
  // current holding. Flushed before any point where the GIL may be dropped, so NoteDropped
  // books it to the holding that did it.
  void AddTicks(uint64_t ticks) { pending_ticks_ += ticks; }
  // This thread's holding time and ticks as of its last drop, readable from any thread while it
  // runs (relaxed: a reader sees a recent total, never a torn one): what a worker had done when
  // another finished, for the fairness of a run (vm::RunWorkers).
  uint64_t PublishedHoldNs() const { return published_hold_ns_.load(std::memory_order_relaxed); }
  uint64_t PublishedTicks() const { return published_ticks_.load(std::memory_order_relaxed); }
  // The same for the thread itself while it holds the GIL: the totals including the holding in
  // progress (since `hold_start_ns_`) and the ticks flushed to it so far. Only its own thread.
  uint64_t HoldNsSoFar(int64_t now_ns) const;
  uint64_t TicksSoFar() const { return stats_.counters.vm_ticks + pending_ticks_; }
  // Where the Gil keeps the time of the last drop by any thread, for the handoff gaps; set by
  // Gil::RegisterThread (a record made directly has none and books no gaps).
  void set_last_drop(std::atomic<int64_t>* last_drop_ns) { last_drop_ns_ = last_drop_ns; }
  // Blame (blame.h): the interpreter's view of this thread's Python stack, called on this thread
  // as it drops the GIL; and where the Gil stamps the last dropper and its stack, which NoteTaken
  // reads to charge a wait. Set by Gil::RegisterThread when blame is on.
  void set_stack_provider(std::function<std::string()> provider) {
    stack_provider_ = std::move(provider);
  }
  std::string CurrentStack() const { return stack_provider_ ? stack_provider_() : std::string(); }
  void set_blame_source(const std::atomic<uint32_t>* holder, const std::atomic<uint32_t>* stack,
                        BlameAsks* asks) {
    blame_holder_ = holder;
    blame_stack_ = stack;
    blame_asks_ = asks;
  }
  void set_accounting(bool on) { accounting_ = on; }
  const BlameCharges& blame() const { return blame_; }
  // The thread, having released the GIL, starts to block on one of the program's locks,
  // conditions or queues: the trace shows it "waiting for a lock" until its next Acquire
  // (which opens its "waiting" or "holding" slice).
  void NoteLockWait(int64_t now_ns) {
    if (trace_ != nullptr) [[unlikely]]
      trace_->SetState(now_ns, GilState::kLockWait);
  }
  void CountFutileWakeup();
  void CountDropRequest();
  // A requested drop that waits for, or hands the GIL to, another thread; `dropped_ns` is the
  // drop's time (the trace's instant sits at the end of the holding slice, in order).
  void CountForcedSwitch(int64_t dropped_ns);
  // Closes the trace's open slice (at retirement).
  void CloseTrace(int64_t now_ns);
  // Closes the descriptors of its probes (schedstat, the PMU group) at retirement: a program that
  // starts thousands of threads must not keep three descriptors per finished one.
  void CloseProbes() {
    run_delay_.Close();
    pmu_.Close();
  }

 private:
  void Trace(TraceInstant kind, int64_t now_ns = 0) {
    if (trace_ != nullptr) [[unlikely]]
      trace_->Instant(now_ns != 0 ? now_ns : MonotonicNs(), kind);
  }

  const uint32_t id_;
  const std::string name_;
  GilThreadStats stats_;
  std::unique_ptr<TraceBuffer> trace_;          // null when not tracing
  int64_t hold_start_ns_ = 0;                   // when this thread last took the GIL
  uint64_t pending_ticks_ = 0;                  // AddTicks since the last drop
  std::atomic<uint64_t> published_hold_ns_{0};  // hold_ns_total, stored at each drop
  std::atomic<uint64_t> published_ticks_{0};    // vm_ticks, stored at each drop
  int last_cpu_ = -1;   // the CPU this thread last took the GIL on (-1: never)
  bool moved_ = false;  // the current holding began on another CPU than the last
  std::atomic<int64_t>* last_drop_ns_ = nullptr;  // the Gil's; null for a record made directly
  // The current tenure (stats.h, hold_offcpu_ns): when it began, in wall and thread CPU time,
  // and this thread's last drop, where a tenure that another thread's take ended stopped.
  bool in_tenure_ = false;
  int64_t tenure_wall_start_ns_ = 0;
  int64_t tenure_cpu_start_ns_ = 0;
  int64_t last_own_drop_ns_ = 0;
  // The hardware counts where the current tenure began (empty: not read).
  HoldingPmu pmu_;
  std::optional<HoldingPmu::Sample> tenure_pmu_start_;
  void EndTenure(int64_t wall_end_ns, int64_t cpu_end_ns, std::optional<HoldingPmu::Sample> pmu);
  void AccountTake(int64_t now_ns, int64_t asked_ns, bool handoff, uint64_t waited);
  void AccountGapCpuWait(uint64_t gap);
  void AccountDrop(int64_t now_ns, uint64_t held, bool voluntary);
  bool accounting_ = true;  // Gil::RegisterThread copies GilConfig::accounting
  // The run delay when this thread began its current wait (valid: it was read), to split a
  // handoff gap into waking and waiting for a CPU.
  RunDelayReader run_delay_;
  bool wait_run_delay_valid_ = false;
  uint64_t wait_run_delay_start_ = 0;
  std::function<std::string()> stack_provider_;          // blame: the interpreter's, or empty
  const std::atomic<uint32_t>* blame_holder_ = nullptr;  // the Gil's; null when blame is off
  const std::atomic<uint32_t>* blame_stack_ = nullptr;
  BlameAsks* blame_asks_ = nullptr;  // the Gil's; null when blame is off
  uint64_t blame_ticket_ = 0;        // this thread's ask in its current wait (0: none)
  BlameCharges blame_;               // the waits this thread was made to wait, by holder and stack
  int64_t pending_drop_ns_ = 0;      // trace: a forced drop whose re-take is pending (0: none)
  GilThreadPolicyState policy_state_;
};

class Gil {
 public:
  virtual ~Gil() = default;
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;

  // Blocks until `self` holds the GIL. Requires: `self` does not hold it.
  // (Out of line: the interpreter's loop calls it, and an inlined body there would change how
  // the loop is compiled.)
  void Acquire(GilThread* self);

  // Gives the GIL up voluntarily (before a blocking call or at thread exit). Requires: `self`
  // holds it. Never waits for another thread.
  void Release(GilThread* self);

  // Called by the holder when eval_breaker() is non-zero. The policy may drop the GIL (forced
  // switch) and re-acquire it before returning. Requires and ensures: `self` holds the GIL.
  //
  // With blame on, a policy whose breaker is only set on purpose (py3, fifo, prio) first answers
  // a waiter's ask (AnswerBlameAsks); py2, whose breaker fires at every tick, answers at its
  // next drop instead (within its check interval), so its per-tick path stays as it was.
  virtual void OnEvalBreaker(GilThread* self) = 0;

  // Non-zero when the holder should call OnEvalBreaker() at its next check. The interpreter reads
  // it with a relaxed load at every backward jump and call; the policies set it.
  const std::atomic<uint32_t>& eval_breaker() const { return eval_breaker_; }

  // Bits of eval_breaker(). Policies set and clear them; the interpreter only tests for non-zero.
  static constexpr uint32_t kDropRequestBit = 1u << 0;  // a waiter asks the holder to drop
  static constexpr uint32_t kTickBit = 1u << 1;         // py2: always set, every check is a tick
  static constexpr uint32_t kBlameAskBit = 1u << 2;     // blame: a waiter asks where the holder is
  static constexpr uint32_t kSignalBit = 1u << 3;  // a signal (Ctrl-C) waits for the main thread

  // Sets kSignalBit: async-signal-safe (a lock-free atomic or), for gilvm's SIGINT handler. The
  // interpreter's breaker handler sees it and the main thread clears it (ClearSignal) as it
  // raises KeyboardInterrupt; the policies ignore the bit.
  void NoteSignal() { eval_breaker_.fetch_or(kSignalBit, std::memory_order_relaxed); }
  void ClearSignal() { eval_breaker_.fetch_and(~kSignalBit, std::memory_order_relaxed); }
  bool SignalPending() const {
    return (eval_breaker_.load(std::memory_order_relaxed) & kSignalBit) != 0;
  }

  // Knobs, also changed at run time by sys.setswitchinterval / sys.setcheckinterval (from the
  // holder, while waiters read them). Values below 1 are raised to 1.
  void SetSwitchIntervalUs(int64_t us);
  int64_t SwitchIntervalUs() const { return switch_interval_us_.load(std::memory_order_relaxed); }
  void SetCheckInterval(int64_t ticks);
  int64_t CheckInterval() const { return check_interval_.load(std::memory_order_relaxed); }

  virtual const char* PolicyName() const = 0;

  // Creates the record of a new thread (a small id 1, 2, ... in registration order, the name
  // shown in traces and stats). Thread-safe; not on the hot path.
  std::unique_ptr<GilThread> RegisterThread(std::string name);
  // Hands back a finished thread's record: its counters, histograms and trace events are
  // kept for StatsJson()/TraceJson(). Thread-safe. Requires: the thread no longer holds or waits.
  void RetireThread(std::unique_ptr<GilThread> thread);
  // The run's statistics as JSON: totals at the top level under the names of docs/design.md, plus
  // "policy", the knobs, and "threads": [per-thread objects with "id", "name" and the same keys].
  // Requires: every registered thread has been retired (the VM calls it at exit); any that is
  // not is left out and counted in "unretired_threads".
  std::string StatsJson() const;
  // The totals at StatsJson's top level as a struct (every retired thread's stats merged), for
  // callers that want numbers rather than JSON (gilbench's user counters). Same requirement.
  GilThreadStats TotalStats() const;
  // The Chrome/Perfetto trace JSON of every retired thread. Empty "traceEvents" when tracing
  // was off.
  std::string TraceJson() const;
  // Blame (blame.h) over every retired thread: the charges, heaviest first, in folded-stack form
  // and as a JSON summary. Empty when blame was off. Same requirement as StatsJson.
  std::vector<BlameLine> BlameLines() const;
  std::string BlameFolded() const;
  // The folded stacks by where the holder was when each waiter asked (BlameAsks).
  std::string BlameFoldedAsked() const;
  std::string BlameJson() const;
  bool blame_enabled() const { return blame_stacks_ != nullptr; }
  bool accounting() const { return accounting_; }

 protected:
  explicit Gil(const GilConfig& config);

  // The policy's Acquire and Release (the contracts above). The public ones wrap them to keep
  // the GIL's idle time: from the moment no thread holds or wants it until one asks again.
  virtual void DoAcquire(GilThread* self) = 0;
  virtual void DoRelease(GilThread* self) = 0;
  // Blame (BlameAsks): if a waiter asked where the holder is, reply with `self`'s stack now.
  void AnswerBlameAsks(GilThread* self) {
    if (blame_asks_ != nullptr) [[unlikely]]
      AnswerBlameAsksNow(self);
  }

  // Set and cleared by the policies (see each policy's protocol); read by the interpreter.
  std::atomic<uint32_t> eval_breaker_{0};

  // Every policy calls this while it frees the GIL, inside the critical section that a taker
  // must pass through next (see last_drop_ns_): the time, and with blame on who dropped it and
  // at which stack.
  void StampDrop(GilThread* self, int64_t now_ns) {
    last_drop_ns_.store(now_ns, std::memory_order_relaxed);
    if (blame_stacks_ != nullptr) [[unlikely]]
      StampBlame(self);
  }

 private:
  // The retired records in id order. Requires: registry_mutex_ held.
  std::vector<const GilThread*> RetiredById() const REQUIRES(registry_mutex_);

  // Relaxed atomics: a knob publishes nothing else, and a waiter may read a stale value once.
  std::atomic<int64_t> switch_interval_us_;
  std::atomic<int64_t> check_interval_;
  const bool forced_switch_;     // as configured; only py3 uses it (reported in the stats)
  const bool trace_;             // RegisterThread gives records a trace buffer
  const bool accounting_;        // GilConfig::accounting, copied to every record
  const size_t trace_capacity_;  // events per thread's buffer
  const int64_t origin_ns_;      // trace timestamps count from the Gil's creation
  // When a thread last dropped this GIL (MonotonicNs), for the handoff gaps of the next taker.
  // Written by StampDrop inside the policy's critical section that frees the GIL, read by the
  // taker after its own critical section: the mutex orders the two, so a taker never sees the
  // drop before last (which would book its whole wait as a gap).
  std::atomic<int64_t> last_drop_ns_{0};
  // Blame: null when off; else the droppers' stacks, and the last dropper and its stack's id,
  // stamped like last_drop_ns_.
  void StampBlame(GilThread* self);
  std::unique_ptr<BlameStacks> blame_stacks_;
  std::unique_ptr<BlameAsks> blame_asks_;  // null when blame is off
  void AnswerBlameAsksNow(GilThread* self);
  std::atomic<uint32_t> last_drop_holder_{0};
  std::atomic<uint32_t> last_drop_stack_{0};

  // Idle time (GilThreadCounters::idle_ns): threads between Acquire and Release -- holding the
  // GIL or waiting for it -- and since when none has been. Only Acquire and Release touch them
  // (thread start and end, blocking calls), never the eval breaker's path.
  void NoteActive(GilThread* self);
  void NoteInactive();
  PthreadMutex activity_mutex_;
  size_t active_threads_ GUARDED_BY(activity_mutex_) = 0;
  int64_t idle_since_ns_ GUARDED_BY(activity_mutex_) = 0;  // 0: not idle, or never active yet

  mutable PthreadMutex registry_mutex_;  // guards the three fields below
  uint32_t next_id_ GUARDED_BY(registry_mutex_) = 1;
  size_t live_threads_ GUARDED_BY(registry_mutex_) = 0;  // registered and not yet retired
  std::vector<std::unique_ptr<GilThread>> retired_ GUARDED_BY(registry_mutex_);
};

// Builds the policy `config.policy`. Returns null and sets `error` (one line, for the user) when
// the policy is unknown or a knob is out of range.
std::unique_ptr<Gil> MakeGil(const GilConfig& config, std::string* error);

}  // namespace gilbench::gil
