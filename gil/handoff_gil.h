// The mechanism the `fifo` and `prio` policies share: waiters queue, and the holder hands the GIL
// straight to the next in line instead of letting waiters race for it. The protocol is at the top
// of handoff_gil.cc; fifo_gil.cc and prio_gil.cc say how each one orders the line. Each field
// below says what guards it.
#pragma once

#include <cstdint>
#include <deque>

#include "gil/gil.h"
#include "gil/pthread_sync.h"

namespace gilbench::gil {

class HandoffGil : public Gil {
 public:
  void DoAcquire(GilThread* self) override;
  void DoRelease(GilThread* self) override;
  void OnEvalBreaker(GilThread* self) override;

 protected:
  // The two lines of waiters: kUrgent is served first, then kNormal. fifo uses only kNormal.
  static constexpr int kUrgent = 0;
  static constexpr int kNormal = 1;

  explicit HandoffGil(const GilConfig& config);

  // Policy hooks, all called with mutex_ held.
  // The line `self` joins when it must wait.
  virtual int LineOf(const GilThread* self) const REQUIRES(mutex_) = 0;
  // Whether `self`, just queued, asks the holder (`holder`, never null) to drop at once instead
  // of after an interval.
  virtual bool AsksAtOnce(const GilThread* self, const GilThread* holder) const
      REQUIRES(mutex_) = 0;
  // `self` is dropping the GIL, voluntarily (Release) or on request (OnEvalBreaker).
  virtual void OnDrop(GilThread* self, bool voluntary) REQUIRES(mutex_) = 0;

 private:
  // Takes the GIL for `self`, queueing if it is held. `asked_ns`: when `self` started wanting it
  // (0: now, read only if it has to wait).
  void Take(GilThread* self, int64_t asked_ns) EXCLUDES(mutex_);
  // Sleeps until `self` is granted the GIL; the next in line sets drop requests. Requires:
  // mutex_ held, `self` queued.
  void WaitForGrant(GilThread* self) REQUIRES(mutex_);
  // Gives up the GIL: to the next in line if any (returns true), else frees it. Requires: `self`
  // holds it.
  bool Drop(GilThread* self, int64_t now_ns, bool voluntary) EXCLUDES(mutex_);
  // Makes `next` (the head of its line) the holder and wakes it. Requires: mutex_ held.
  void Grant(GilThread* next) REQUIRES(mutex_);
  // The waiter that the next drop will be handed to (null: none). Requires: mutex_ held.
  GilThread* NextInLine() const REQUIRES(mutex_);
  // Sets the drop request for `self`, counting it only if it was not already set.
  void RequestDrop(GilThread* self) REQUIRES(mutex_);

  PthreadMutex mutex_;  // guards every field below; each waiter's policy_state().wake waits on it
  // Whether the GIL is held, by `holder_`. Invariant: a line is non-empty only while locked_ (a
  // drop hands the GIL to the next in line), so a newcomer never takes it past a waiter.
  bool locked_ GUARDED_BY(mutex_) = false;
  GilThread* holder_ GUARDED_BY(mutex_) = nullptr;
  uint32_t last_holder_id_ GUARDED_BY(mutex_) = 0;  // the holder or the last one (0: none yet)
  // Times the holder changed: the next in line restarts its interval when it moved.
  uint64_t switch_number_ GUARDED_BY(mutex_) = 0;
  std::deque<GilThread*> lines_[2] GUARDED_BY(mutex_);  // waiters in arrival order, per line
  // The drop request is Gil::kDropRequestBit of eval_breaker_: set by the next in line (or an
  // urgent arrival) and cleared by Grant, both under mutex_; read by the holder without a lock.
};

}  // namespace gilbench::gil
