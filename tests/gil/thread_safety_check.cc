// Proof that the thread-safety rules are enforced, not just written down: ctest compiles this file
// (syntax only, never linked) once as it is, which must pass, and once per VIOLATION, each of which
// -Werror=thread-safety must reject (tests/gil/CMakeLists.txt). If an annotation in
// gil/pthread_sync.h stopped working, a violation would compile and its test would fail.
#include "gil/pthread_sync.h"

namespace {

class Account {
 public:
  void Deposit(int amount) {
#if VIOLATION == 1  // a guarded field written without its mutex
    balance_ += amount;
#elif VIOLATION == 2  // a function that requires the mutex called without it
    AddLocked(amount);
#else
    gilbench::gil::MutexLock lock(mutex_);
    AddLocked(amount);
#endif
  }

  void WaitForMoney() {
#if VIOLATION == 3  // a condition variable waited on without its mutex held
    ready_.Wait(mutex_);
#else
    gilbench::gil::MutexLock lock(mutex_);
    while (balance_ == 0) ready_.Wait(mutex_);
#endif
  }

 private:
  void AddLocked(int amount) REQUIRES(mutex_) {
    balance_ += amount;
    ready_.Signal();
  }

  gilbench::gil::PthreadMutex mutex_;
  gilbench::gil::PthreadCond ready_;
  int balance_ GUARDED_BY(mutex_) = 0;
};

}  // namespace

void UseAccount() {
  Account account;
  account.Deposit(1);
  account.WaitForMoney();
}
