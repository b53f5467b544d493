// The `py2` GIL policy, after Python 2.7 (Python/ceval.c, Python/thread_pthread.h).
//
// Protocol
// --------
// The GIL is Python 2's portable lock: `{locked_, mutex_, cond_}`. Acquire = lock `mutex_`, while
// `locked_` wait on `cond_`, set `locked_`. Release = clear `locked_`, signal `cond_` (one
// waiter; the OS picks which). Nobody hands the lock to anybody, nobody sets a drop request.
//
// Check interval. CPython 2 counts down `_Py_Ticker` at every pass of the eval loop and every
// `check_interval` ticks (default 100) does `release(lock); acquire(lock);` with nothing in
// between. Our interpreter calls into the GIL only when eval_breaker() is non-zero, at backward
// jumps and calls; so this policy keeps Gil::kTickBit set in eval_breaker_ for its whole life and
// counts a tick per OnEvalBreaker call, in the calling thread's own GilThread (policy_state().
// ticks, reset at every take). A tick here is therefore an eval-breaker check point (a backward
// jump or a call), not every instruction as in CPython 2: a check interval of 100 spans more
// bytecode than CPython 2's 100.
//
// Who waits on what: every waiter sleeps on `cond_` (untimed); the releaser signals one.
// Who sets the drop request: nobody. The holder drops on its own count of ticks.
//
// Starvation is not avoided at all. On one core the signal makes the woken thread runnable and
// the OS usually switches to it at the dropper's next time slice, so turns alternate. On several
// cores the dropper is still running: it re-locks within nanoseconds, before the woken waiter has
// even been scheduled, and the waiter finds the lock taken again and goes back to sleep (a futile
// wakeup). The releasing thread wins most checks back: the "storm" of futile wakeups Beazley
// measured in 2009.
#include "gil/py2_gil.h"

#include <cstdint>

namespace gilbench::gil {

Py2Gil::Py2Gil(const GilConfig& config) : Gil(config) {
  eval_breaker_.store(kTickBit, std::memory_order_relaxed);  // every check is a tick, for ever
}

void Py2Gil::DoAcquire(GilThread* self) { Take(self, 0); }

void Py2Gil::DoRelease(GilThread* self) { Drop(self, MonotonicNs(), /*voluntary=*/true); }

void Py2Gil::OnEvalBreaker(GilThread* self) {
  int64_t& ticks = self->policy_state().ticks;
  if (++ticks < CheckInterval()) return;
  // release(lock); acquire(lock); -- "Other threads may run now".
  const int64_t dropped_ns = MonotonicNs();
  ++self->counters().eval_breaker_drops;
  Drop(self, dropped_ns, /*voluntary=*/false);
  Take(self, dropped_ns);
}

void Py2Gil::Take(GilThread* self, int64_t asked_ns) {
  bool waited = false;
  bool handoff;
  {
    MutexLock lock(mutex_);
    if (locked_ && holder_id_ == self->id()) {
      FatalMisuse("Acquire by the thread that holds the GIL");
    }
    if (locked_) {
      if (asked_ns == 0) asked_ns = MonotonicNs();
      self->NoteWaiting(asked_ns);
      waited = true;
      cond_.Wait(mutex_);
      while (locked_) {
        // Woken (or spuriously), but the lock was taken again before we got the mutex.
        self->CountFutileWakeup();
        cond_.Wait(mutex_);
      }
    }
    locked_ = true;
    handoff = holder_id_ != 0 && holder_id_ != self->id();
    holder_id_ = self->id();
  }
  self->policy_state().ticks = 0;
  // Not waited: the take was immediate, so the time we asked (if known) is when we took it.
  const int64_t now_ns = waited || asked_ns == 0 ? MonotonicNs() : asked_ns;
  self->NoteTaken(now_ns, waited ? asked_ns : 0, handoff);
}

void Py2Gil::Drop(GilThread* self, int64_t now_ns, bool voluntary) {
  {
    MutexLock lock(mutex_);
    if (!locked_ || holder_id_ != self->id()) {
      FatalMisuse("Release by a thread that does not hold the GIL");
    }
    locked_ = false;
    StampDrop(self, now_ns);
    cond_.Signal();
  }
  self->NoteDropped(now_ns, voluntary);
}

}  // namespace gilbench::gil
