// The `py3` GIL policy, after CPython 3.2-3.12 (Python/ceval_gil.c).
//
// Protocol
// --------
// The GIL is the flag `locked_`. It changes only with `mutex_` held, and every drop signals
// `cond_`, on which threads that want the GIL sleep. `mutex_` is held only for a few instructions,
// never while bytecode runs, so it is nearly always uncontended.
//
// Taking (Acquire, and the second half of a requested drop). Under `mutex_`, while `locked_`:
//   remember `switch_number_`, then sleep on `cond_` for at most the switch interval. If the sleep
//   timed out, the GIL is still held and `switch_number_` has not moved, the holder has had the
//   GIL for a whole interval while we waited: the waiter sets the drop request (a bit in
//   eval_breaker_). If `switch_number_` moved, some other thread got a turn, so the waiter just
//   waits again, and its interval starts again from zero.
//   Once `locked_` is clear the waiter sets it, and if it is not the last holder it records
//   itself, bumps `switch_number_` and signals `switch_cond_` (all under `switch_mutex_` too).
//   Finally it clears any drop request: that request was aimed at the previous holder and is
//   answered. A drop request is therefore set only while the GIL is held and some waiter (the one
//   that set it) is still in Take; it is cleared by the next take.
//
// Who sets the drop request: only a waiter, and only after a full interval without a switch.
// Who reads it: the holder, with one relaxed load of eval_breaker() at backward jumps and calls;
// when it is set the holder calls OnEvalBreaker, which drops the GIL and takes it back.
//
// Releasing (Release: a blocking call or thread exit) clears `locked_` and signals one waiter on
// `cond_` (the OS picks which) and returns at once. It does not wait for anyone.
//
// Forced switching. After a *requested* drop, the dropper would normally loop straight back into
// Take. On a multicore machine it is already running while the woken waiter still has to be
// scheduled, so it usually wins the race and the waiter, having made a pointless trip, sleeps a
// whole interval again: the thread that asked may starve. So with `forced_switch_` on the dropper
// first sleeps on `switch_cond_` until `last_holder_id_` names another thread, i.e. until someone
// else has actually taken the GIL, and only then queues up again. It checks first, under
// `switch_mutex_`, so it does not wait if a successor already took over. The wait always ends:
// the request's author stays in Take until it takes the GIL, and the dropper cannot take it.
//
// Starvation is not avoided, only made unlikely. Forced switching guarantees that someone else
// gets the GIL after a requested drop, not who: the OS picks which waiter wakes, so with several
// waiters one of them may wait indefinitely. A thread that releases voluntarily (I/O) and wants
// the GIL back must wait a full interval before it may ask, while a CPU-bound thread holds the
// GIL for an interval each turn: the convoy effect. Without forced switching the dropper usually
// re-takes the GIL at once and waiters keep losing (counted as futile wakeups).
//
// Without forced switching (GilConfig::forced_switch = false, gilvm --no-forced-switch) a
// requested drop is followed at once by a re-take: the ablation that shows why forced switching
// exists (futile wakeups, and drop requests that do not change the holder).
//
// Counters, histograms and trace events go to the calling thread's GilThread, never to a shared
// field, so the hot path writes no cache line another thread reads. The clock is read once per
// take and once per drop (for hold and wait times), outside the mutexes where it can be.
#include "gil/py3_gil.h"

#include <cstdint>

namespace gilbench::gil {

Py3Gil::Py3Gil(const GilConfig& config) : Gil(config), forced_switch_(config.forced_switch) {}

void Py3Gil::DoAcquire(GilThread* self) { Take(self, 0, /*waited=*/false); }

void Py3Gil::DoRelease(GilThread* self) { Drop(self, MonotonicNs(), /*voluntary=*/true); }

void Py3Gil::OnEvalBreaker(GilThread* self) {
  AnswerBlameAsks(self);
  // Only a taker clears the request and we hold the GIL, so it cannot vanish before the drop.
  if ((eval_breaker_.load(std::memory_order_relaxed) & kDropRequestBit) == 0) return;
  const int64_t asked_ns = MonotonicNs();  // from here on this thread wants the GIL back
  ++self->counters().eval_breaker_drops;
  Drop(self, asked_ns, /*voluntary=*/false);
  const bool waited = forced_switch_ && WaitForSuccessor(self, asked_ns);
  Take(self, asked_ns, waited);
}

void Py3Gil::Take(GilThread* self, int64_t asked_ns, bool waited) {
  bool handoff;
  {
    MutexLock lock(mutex_);
    if (locked_.load(std::memory_order_relaxed)) {
      // Re-taking while holding would wait for ourselves forever.
      if (last_holder_id_ == self->id()) FatalMisuse("Acquire by the thread that holds the GIL");
      if (asked_ns == 0) asked_ns = MonotonicNs();  // clock read only when contended
      if (!waited) self->NoteWaiting(asked_ns);
      WaitUntilFree(self);
      waited = true;
    }
    handoff = MarkTaken(self);
  }
  // Not waited: the take was immediate, so the time we asked (if known) is when we took it.
  const int64_t now_ns = waited || asked_ns == 0 ? MonotonicNs() : asked_ns;
  self->NoteTaken(now_ns, waited ? asked_ns : 0, handoff);
}

void Py3Gil::WaitUntilFree(GilThread* self) {
  while (locked_.load(std::memory_order_relaxed)) {
    const uint64_t switches_before = switch_number_;
    const bool timed_out = cond_.TimedWaitUs(mutex_, SwitchIntervalUs());
    if (!locked_.load(std::memory_order_relaxed)) return;
    if (!timed_out) {
      // Woken by a drop, but another thread (often the dropper itself) took the GIL first.
      self->CountFutileWakeup();
      continue;
    }
    if (switch_number_ != switches_before) continue;  // someone else had a turn: not hogging
    // A whole interval with one holder: ask it to drop. Count only the request that flips the
    // bit, so several waiters timing out together count as one request.
    const uint32_t before = eval_breaker_.fetch_or(kDropRequestBit, std::memory_order_relaxed);
    if ((before & kDropRequestBit) == 0) self->CountDropRequest();
  }
}

bool Py3Gil::MarkTaken(GilThread* self) {
  locked_.store(true, std::memory_order_relaxed);
  const uint32_t previous = last_holder_id_;
  if (previous != self->id()) {
    // A forced dropper may be waiting for exactly this change. When the holder does not change
    // no dropper can be waiting (it would be the last holder), so the re-take path skips this.
    MutexLock switch_lock(switch_mutex_);
    last_holder_id_ = self->id();
    ++switch_number_;
    switch_cond_.Signal();
  }
  // Any pending request was aimed at the previous holder and is now answered. Test first so the
  // common path does not write the eval breaker's cache line.
  if ((eval_breaker_.load(std::memory_order_relaxed) & kDropRequestBit) != 0) {
    eval_breaker_.fetch_and(~kDropRequestBit, std::memory_order_relaxed);
  }
  return previous != 0 && previous != self->id();
}

void Py3Gil::Drop(GilThread* self, int64_t now_ns, bool voluntary) {
  {
    MutexLock lock(mutex_);
    if (!locked_.load(std::memory_order_relaxed) || last_holder_id_ != self->id()) {
      FatalMisuse("Release by a thread that does not hold the GIL");
    }
    locked_.store(false, std::memory_order_relaxed);
    StampDrop(self, now_ns);
    cond_.Signal();
  }
  self->NoteDropped(now_ns, voluntary);
}

bool Py3Gil::WaitForSuccessor(GilThread* self, int64_t dropped_ns) {
  MutexLock switch_lock(switch_mutex_);
  // Someone may already have taken over between our drop and this lock: then there is nothing to
  // wait for. Otherwise the request's author is still in Take and will take the GIL, changing
  // last_holder_id_ under switch_mutex_, so this loop ends.
  if (last_holder_id_ != self->id()) return false;
  self->CountForcedSwitch(dropped_ns);
  self->NoteWaiting(dropped_ns);
  while (last_holder_id_ == self->id()) switch_cond_.Wait(switch_mutex_);
  return true;
}

}  // namespace gilbench::gil
