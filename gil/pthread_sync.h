// Thin RAII wrappers over pthread mutexes and condition variables, shared by every GIL policy, and
// the monotonic clock the policies time waits and holdings with. Every failed pthread call is
// fatal: a GIL whose lock state is unknown cannot go on.
#pragma once

#include <pthread.h>

#include <cstdint>

#include "gil/thread_annotations.h"

namespace gilbench::gil {

// A pthread call failed: prints `what` and the error, then aborts.
[[noreturn]] void Fatal(const char* what, int error);
// The GIL was misused (a release by a non-holder, a re-acquire by the holder): prints and aborts.
[[noreturn]] void FatalMisuse(const char* what);

// Nanoseconds on CLOCK_MONOTONIC (through the vDSO: tens of nanoseconds, no system call).
int64_t MonotonicNs();
// Nanoseconds of CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID: a system call, about
// half a microsecond on a VM -- read rarely).
int64_t ThreadCpuNs();

// The CLOCK_MONOTONIC time `timeout_us` microseconds after `now_ns`, saturated at the largest
// time there is: a huge switch interval (any --switch-interval above 292 years) must wait
// forever, not overflow into the past and never wait at all.
int64_t DeadlineAfterUs(int64_t now_ns, int64_t timeout_us);

// A pthread mutex whose failures abort the process. A capability for -Wthread-safety: fields
// annotated GUARDED_BY(a PthreadMutex) are checked to be touched only with it held.
class CAPABILITY("mutex") PthreadMutex {
 public:
  PthreadMutex();
  ~PthreadMutex();
  PthreadMutex(const PthreadMutex&) = delete;
  PthreadMutex& operator=(const PthreadMutex&) = delete;

  void Lock() ACQUIRE();
  void Unlock() RELEASE();
  pthread_mutex_t* native() { return &mutex_; }

 private:
  pthread_mutex_t mutex_;
};

// Holds a PthreadMutex for the lifetime of the scope.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(PthreadMutex& mutex) ACQUIRE(mutex) : mutex_(mutex) { mutex_.Lock(); }
  ~MutexLock() RELEASE() { mutex_.Unlock(); }
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
  void Wait(PthreadMutex& mutex) REQUIRES(mutex);
  // Waits at most `timeout_us` microseconds. Returns true if the wait timed out, false if it was
  // woken (by a signal or spuriously). Requires: `mutex` is held by the caller.
  bool TimedWaitUs(PthreadMutex& mutex, int64_t timeout_us) REQUIRES(mutex);
  void Signal();
  void Broadcast();

 private:
  pthread_cond_t cond_;
};

}  // namespace gilbench::gil
