// The `py2` GIL policy: Python 2.7's lock and check interval. The protocol is at the top of
// py2_gil.cc; each field below says what guards it.
#pragma once

#include <cstdint>

#include "gil/gil.h"
#include "gil/pthread_sync.h"

namespace gilbench::gil {

class Py2Gil final : public Gil {
 public:
  explicit Py2Gil(const GilConfig& config);

  void DoAcquire(GilThread* self) override;
  void DoRelease(GilThread* self) override;
  void OnEvalBreaker(GilThread* self) override;

  const char* PolicyName() const override { return "py2"; }

 private:
  // Takes the lock for `self`: waits while it is locked. `asked_ns` is when `self` started
  // wanting it (0: now, read only if it has to wait).
  void Take(GilThread* self, int64_t asked_ns) EXCLUDES(mutex_);
  // Clears the lock and signals one waiter. Requires: `self` holds the GIL.
  void Drop(GilThread* self, int64_t now_ns, bool voluntary) EXCLUDES(mutex_);

  PthreadMutex mutex_;                      // cond_ waits on it
  PthreadCond cond_;                        // signalled at every drop; waiters in Take sleep on it
  bool locked_ GUARDED_BY(mutex_) = false;  // the lock itself
  // Id of the thread holding or having last held it (0: none yet).
  uint32_t holder_id_ GUARDED_BY(mutex_) = 0;
};

}  // namespace gilbench::gil
