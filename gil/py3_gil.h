// The `py3` GIL policy: CPython 3.2-3.12's interval-based GIL with drop requests and forced
// switching (which GilConfig::forced_switch = false turns off: the --no-forced-switch ablation).
// The locking protocol is described at the top of py3_gil.cc; each field below says what guards
// it.
#pragma once

#include <atomic>
#include <cstdint>

#include "gil/gil.h"
#include "gil/pthread_sync.h"

namespace gilbench::gil {

class Py3Gil final : public Gil {
 public:
  explicit Py3Gil(const GilConfig& config);

  void DoAcquire(GilThread* self) override;
  void DoRelease(GilThread* self) override;
  void OnEvalBreaker(GilThread* self) override;

  const char* PolicyName() const override { return "py3"; }

 private:
  // Takes the GIL for `self`, blocking while another thread holds it. `asked_ns` is when `self`
  // started wanting the GIL (0: now, read only if it has to wait); `waited`: it already waited
  // since then (for a successor), so the time it took counts as waiting.
  void Take(GilThread* self, int64_t asked_ns, bool waited) EXCLUDES(mutex_);
  // The waiting half of Take. Requires: mutex_ held.
  void WaitUntilFree(GilThread* self) REQUIRES(mutex_);
  // Marks `self` as the holder; returns whether that is a handoff. Requires: mutex_ held and the
  // GIL free.
  bool MarkTaken(GilThread* self) REQUIRES(mutex_);
  // Clears `locked_` and wakes one waiter. Requires: `self` holds the GIL.
  void Drop(GilThread* self, int64_t now_ns, bool voluntary) EXCLUDES(mutex_);
  // Forced switching: after a requested drop, blocks until another thread has taken the GIL.
  // Returns whether it had to wait.
  bool WaitForSuccessor(GilThread* self, int64_t dropped_ns) EXCLUDES(mutex_, switch_mutex_);

  // Guards locked_'s writes, last_holder_id_, switch_number_; cond_ waits on it.
  PthreadMutex mutex_;
  // Signalled when the GIL is dropped; waiters in Take sleep on it (timed, the switch interval).
  PthreadCond cond_;
  // Guards last_holder_id_ and switch_number_ too (they change only with both mutexes held, so
  // holding either one is enough to read them); switch_cond_ waits on it.
  PthreadMutex switch_mutex_;
  // Signalled when a different thread takes the GIL; a forced dropper sleeps on it.
  PthreadCond switch_cond_;

  // Whether some thread holds the GIL. Written only with mutex_ held; atomic so that a reader
  // outside the lock (a debugger, a future stats sampler) sees a whole value, as in CPython.
  std::atomic<bool> locked_{false};
  // last_holder_id_ and switch_number_ carry no GUARDED_BY: they are written with both mutexes
  // held and read with either, a rule -Wthread-safety cannot express (it would accept writes
  // under one of them).
  // Id of the thread holding or having last held the GIL (0: none yet). Lets a forced dropper
  // tell whether anyone took over, and Take tell a handoff from a re-take.
  uint32_t last_holder_id_ = 0;
  // Times the holder changed. A waiter whose timed wait expired compares it with the value before
  // the wait: if it moved, someone else got a turn, so the holder is not hogging the GIL.
  uint64_t switch_number_ = 0;
  // The drop request is Gil::kDropRequestBit of the inherited eval_breaker_: set by a waiter and
  // cleared by a taker, both with mutex_ held, but read by the holder with no lock at every
  // eval-breaker check; hence atomic. Relaxed: the mutexes order everything else.

  const bool forced_switch_;  // fixed at construction
};

}  // namespace gilbench::gil
