// The `py3` GIL policy: CPython 3.2-3.12's interval-based GIL with drop requests and forced
// switching. The locking protocol is described at the top of py3_gil.cc; each field below says
// what guards it.
//
// Also here: thin RAII wrappers over pthread mutexes and condition variables that make every
// failed call fatal. They live beside their first user; move them to their own file when a second
// policy needs them.
#pragma once

#include <pthread.h>

#include <atomic>
#include <cstdint>

#include "gil/gil.h"

namespace gilbench::gil {

// A pthread mutex whose failures abort the process (a GIL that cannot lock cannot go on).
class PthreadMutex {
 public:
  PthreadMutex();
  ~PthreadMutex();
  PthreadMutex(const PthreadMutex&) = delete;
  PthreadMutex& operator=(const PthreadMutex&) = delete;

  void Lock();
  void Unlock();
  pthread_mutex_t* native() { return &mutex_; }

 private:
  pthread_mutex_t mutex_;
};

// Holds a PthreadMutex for the lifetime of the scope.
class MutexLock {
 public:
  explicit MutexLock(PthreadMutex& mutex) : mutex_(mutex) { mutex_.Lock(); }
  ~MutexLock() { mutex_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  PthreadMutex& mutex_;
};

// A pthread condition variable on CLOCK_MONOTONIC (so a wall-clock step cannot stretch or cut a
// timed wait). Callers wait in a loop that re-checks their condition: wakeups may be spurious.
class PthreadCond {
 public:
  PthreadCond();
  ~PthreadCond();
  PthreadCond(const PthreadCond&) = delete;
  PthreadCond& operator=(const PthreadCond&) = delete;

  // Requires: `mutex` is held by the caller.
  void Wait(PthreadMutex& mutex);
  // Waits at most `timeout_us` microseconds. Returns true if the wait timed out, false if it was
  // woken (by a signal or spuriously). Requires: `mutex` is held by the caller.
  bool TimedWaitUs(PthreadMutex& mutex, int64_t timeout_us);
  void Signal();

 private:
  pthread_cond_t cond_;
};

class Py3Gil final : public Gil {
 public:
  explicit Py3Gil(const GilConfig& config);

  void Acquire(GilThread* self) override;
  void Release(GilThread* self) override;
  void OnEvalBreaker(GilThread* self) override;

  void SetSwitchIntervalUs(int64_t us) override;
  int64_t SwitchIntervalUs() const override;
  void SetCheckInterval(int64_t ticks) override;
  int64_t CheckInterval() const override;

  const char* PolicyName() const override { return "py3"; }

 private:
  // Takes the GIL for `self`, blocking while another thread holds it. `asked_ns` is when `self`
  // started wanting the GIL (0: now, measured only if it has to wait).
  void Take(GilThread* self, int64_t asked_ns);
  // The waiting half of Take. Requires: mutex_ held.
  void WaitUntilFree(GilThreadCounters& counters);
  // Marks `self` as the holder. Requires: mutex_ held and the GIL free.
  void MarkTaken(GilThread* self);
  // Clears `locked_` and wakes one waiter. Requires: `self` holds the GIL.
  void Drop(GilThread* self);
  // Forced switching: after a requested drop, blocks until another thread has taken the GIL.
  void WaitForSuccessor(GilThread* self);

  // Guards locked_'s writes, last_holder_id_, switch_number_; cond_ waits on it.
  PthreadMutex mutex_;
  // Signalled when the GIL is dropped; waiters in Take sleep on it (timed, `interval_us_`).
  PthreadCond cond_;
  // Guards last_holder_id_ and switch_number_ too (they change only with both mutexes held, so
  // holding either one is enough to read them); switch_cond_ waits on it.
  PthreadMutex switch_mutex_;
  // Signalled when a different thread takes the GIL; a forced dropper sleeps on it.
  PthreadCond switch_cond_;

  // Whether some thread holds the GIL. Written only with mutex_ held; atomic so that a reader
  // outside the lock (a debugger, a future stats sampler) sees a whole value, as in CPython.
  std::atomic<bool> locked_{false};
  // Id of the thread holding or having last held the GIL (0: none yet). Lets a forced dropper
  // tell whether anyone took over, and Take tell a handoff from a re-take.
  uint32_t last_holder_id_ = 0;
  // Times the holder changed. A waiter whose timed wait expired compares it with the value before
  // the wait: if it moved, someone else got a turn, so the holder is not hogging the GIL.
  uint64_t switch_number_ = 0;
  // The drop request is Gil::kDropRequestBit of the inherited eval_breaker_: set by a waiter and
  // cleared by a taker, both with mutex_ held, but read by the holder with no lock at every
  // eval-breaker check; hence atomic. Relaxed: the mutexes order everything else.

  // Knobs. Atomic because sys.setswitchinterval runs in the holder while waiters read the
  // interval for their next timed wait; relaxed is enough, nothing else is published with them.
  std::atomic<int64_t> interval_us_;
  std::atomic<int64_t> check_interval_;  // stored for sys.getcheckinterval; py3 ignores it
  const bool forced_switch_;             // fixed at construction
};

}  // namespace gilbench::gil
