// The pthread wrappers and the clock of pthread_sync.h.
#include "gil/pthread_sync.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace gilbench::gil {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

void Check(int result, const char* what) {
  if (result != 0) Fatal(what, result);
}

}  // namespace

void Fatal(const char* what, int error) {
  std::fprintf(stderr, "gilbench: fatal GIL error: %s: %s\n", what, std::strerror(error));
  std::abort();
}

void FatalMisuse(const char* what) {
  std::fprintf(stderr, "gilbench: fatal GIL misuse: %s\n", what);
  std::abort();
}

int64_t MonotonicNs() {
  timespec now;
  if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) Fatal("clock_gettime", errno);
  return static_cast<int64_t>(now.tv_sec) * kNsPerSecond + now.tv_nsec;
}

int64_t ThreadCpuNs() {
  timespec now;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) Fatal("clock_gettime", errno);
  return static_cast<int64_t>(now.tv_sec) * kNsPerSecond + now.tv_nsec;
}

PthreadMutex::PthreadMutex() { Check(pthread_mutex_init(&mutex_, nullptr), "pthread_mutex_init"); }
PthreadMutex::~PthreadMutex() { Check(pthread_mutex_destroy(&mutex_), "pthread_mutex_destroy"); }
void PthreadMutex::Lock() { Check(pthread_mutex_lock(&mutex_), "pthread_mutex_lock"); }
void PthreadMutex::Unlock() { Check(pthread_mutex_unlock(&mutex_), "pthread_mutex_unlock"); }

PthreadCond::PthreadCond() {
  pthread_condattr_t attr;
  Check(pthread_condattr_init(&attr), "pthread_condattr_init");
  Check(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), "pthread_condattr_setclock");
  Check(pthread_cond_init(&cond_, &attr), "pthread_cond_init");
  Check(pthread_condattr_destroy(&attr), "pthread_condattr_destroy");
}

PthreadCond::~PthreadCond() { Check(pthread_cond_destroy(&cond_), "pthread_cond_destroy"); }

void PthreadCond::Wait(PthreadMutex& mutex) {
  Check(pthread_cond_wait(&cond_, mutex.native()), "pthread_cond_wait");
}

int64_t DeadlineAfterUs(int64_t now_ns, int64_t timeout_us) {
  int64_t timeout_ns, deadline_ns;
  if (timeout_us <= 0) return now_ns;
  if (__builtin_mul_overflow(timeout_us, int64_t{1000}, &timeout_ns) ||
      __builtin_add_overflow(now_ns, timeout_ns, &deadline_ns)) {
    return INT64_MAX;
  }
  return deadline_ns;
}

bool PthreadCond::TimedWaitUs(PthreadMutex& mutex, int64_t timeout_us) {
  const int64_t deadline_ns = DeadlineAfterUs(MonotonicNs(), timeout_us);
  timespec deadline;
  deadline.tv_sec = static_cast<time_t>(deadline_ns / kNsPerSecond);
  deadline.tv_nsec = static_cast<long>(deadline_ns % kNsPerSecond);
  const int result = pthread_cond_timedwait(&cond_, mutex.native(), &deadline);
  if (result == ETIMEDOUT) return true;
  Check(result, "pthread_cond_timedwait");
  return false;
}

void PthreadCond::Broadcast() { Check(pthread_cond_broadcast(&cond_), "pthread_cond_broadcast"); }

void PthreadCond::Signal() { Check(pthread_cond_signal(&cond_), "pthread_cond_signal"); }

}  // namespace gilbench::gil
