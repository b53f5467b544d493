// threading's synchronisation primitives and the queue module share one blocking-wait core,
// defined here: a mutex and a condition variable on CLOCK_MONOTONIC (WaitCore), waited on with
// the GIL released (GilReleased), in slices short enough for the main thread to notice Ctrl-C.
//
// Two shapes of state sit on it:
//   - LockCore: a counting lock (Lock, RLock, Semaphore, BoundedSemaphore) whose count lives
//     under the core's mutex, so a waiter takes it without the GIL, as CPython's OS locks do:
//     try without blocking first, only then release the GIL and block.
//   - ChangeSignal: a generation number for objects whose state the GIL guards (Event,
//     Condition, Barrier, the queues): a waiter notes the generation while it holds the GIL and
//     checks its condition, then blocks until the generation moves (or the deadline passes),
//     takes the GIL back and checks again. A change made under the GIL bumps it after the
//     waiter's check, so no wake-up is lost.
// Every acquire and wait is counted in the thread's LockThreadStats (gil/lock_stats.h).
#pragma once

#include <cstdint>
#include <string>

#include "gil/pthread_sync.h"
#include "vm/class.h"
#include "vm/interpreter.h"
#include "vm/object.h"

namespace gilbench::vm {

// A timeout in nanoseconds: this one means none (block until done).
constexpr int64_t kNoTimeout = -1;

// The deadline (CLOCK_MONOTONIC ns) of a timeout that starts now; INT64_MAX for kNoTimeout.
int64_t DeadlineAfter(int64_t timeout_ns);

// How a blocking wait ended.
enum class WaitStatus : uint8_t { kDone, kTimedOut, kInterrupted };

// Ctrl-C: SIGINT sets a flag (signals.cc); a blocking wait of the main thread wakes within a
// slice and ends kInterrupted, and the caller raises KeyboardInterrupt (RaiseInterrupt).
bool InterruptPendingFor(const ThreadState& ts);
bool RaiseInterrupt(ThreadState& ts);
// Installs gilvm's SIGINT handler (gilvm_main.cc), which also sets `gil`'s signal bit.
void InstallSigintHandler(gil::Gil* gil);
// Whether a SIGINT has come and not yet been raised as KeyboardInterrupt.
bool SigintPending();
// The eval breaker's part (out of line): on the main thread, a pending SIGINT becomes
// KeyboardInterrupt (false, the error raised); elsewhere nothing (true).
bool HandlePendingSignal(ThreadState& ts);
// Ends the process as CPython does after an uncaught KeyboardInterrupt: killed by SIGINT.
[[noreturn]] void ExitBySigint();

// The mutex and condition variable every primitive waits on.
class WaitCore {
 public:
  gil::PthreadMutex mutex;
  // One wait: until woken (maybe spuriously), the deadline, or -- on the main thread -- the end
  // of a polling slice. kTimedOut once the deadline has passed (without waiting), kInterrupted
  // when Ctrl-C is pending for this thread, else kDone (re-check the condition). Not
  // `interruptible`: Ctrl-C is left pending for later, and the wait has no slices.
  WaitStatus WaitOnce(const ThreadState& ts, int64_t deadline_ns, bool interruptible = true)
      REQUIRES(mutex);
  void WakeAll() { cond_.Broadcast(); }

 private:
  gil::PthreadCond cond_;
};

// While alive, the thread has released the GIL to block on a lock or a wait (the trace shows
// "waiting for a lock"). Made and destroyed on the same thread, with no WaitCore mutex held.
class GilReleased {
 public:
  explicit GilReleased(ThreadState& ts);
  ~GilReleased();
  GilReleased(const GilReleased&) = delete;
  GilReleased& operator=(const GilReleased&) = delete;

 private:
  ThreadState& ts_;
};

// A counting lock: `permits` free units, taken one at a time and given back by Release.
class LockCore {
 public:
  explicit LockCore(int64_t permits) : permits_(permits) {}
  // Takes one permit: without blocking first; then, unless `timeout_ns` is 0, with the GIL
  // released until one is free or the timeout passes (or Ctrl-C, when `interruptible`).
  // Counted in ts's lock statistics.
  WaitStatus Acquire(ThreadState& ts, int64_t timeout_ns, bool interruptible = true);
  // Gives back `n` permits unless that would make more than `max` free (then false, nothing
  // changed: an unlocked Lock, a BoundedSemaphore released too often).
  bool Release(int64_t n, int64_t max);
  int64_t permits();

 private:
  WaitCore core_;
  int64_t permits_ GUARDED_BY(core_.mutex);
  int waiters_ GUARDED_BY(core_.mutex) = 0;  // threads blocked in Acquire
  // Released while a thread was blocked and not taken since: the next blocked taker gets it
  // handed off (lock_handoffs); a non-blocked taker clears it.
  bool handoff_pending_ GUARDED_BY(core_.mutex) = false;
};

// The generation number of GIL-guarded state (see the top of the file).
class ChangeSignal {
 public:
  // The current generation; call with the GIL held, before checking the condition.
  uint64_t Snapshot();
  // Bumps the generation and wakes every waiter; call with the GIL held, after the change.
  void Notify();
  // Blocks (GIL released by the caller's GilReleased) until the generation differs from `seen`,
  // the deadline passes or Ctrl-C; kDone when it moved.
  WaitStatus WaitPast(const ThreadState& ts, uint64_t seen, int64_t deadline_ns);
  // The wait every GIL-guarded object blocks in: until `ready()` (called with the GIL held)
  // holds, the deadline passes or Ctrl-C, with the GIL released while blocked. kDone when ready()
  // holds at the end, else how the wait ended.
  template <typename Ready>
  WaitStatus WaitUntil(ThreadState& ts, int64_t deadline_ns, Ready ready);
  // The same, counted in ts's lock statistics as one acquire (timed-out and interrupted waits as
  // failed ones); *blocked_ns, when given, is the time it blocked (0 when ready() held at once).
  template <typename Ready>
  WaitStatus CountedWaitUntil(ThreadState& ts, int64_t deadline_ns, Ready ready,
                              int64_t* blocked_ns = nullptr);

 private:
  WaitCore core_;
  uint64_t generation_ GUARDED_BY(core_.mutex) = 0;
};

// Records one acquisition of a lock-like object in ts's statistics; `waited_ns` < 0 when it did
// not block.
void CountLockAcquire(ThreadState& ts, int64_t waited_ns, bool handoff);
// Records a blocked wait that ended without the lock (timed out or interrupted).
void CountLockWaitFailed(ThreadState& ts, int64_t waited_ns);

template <typename Ready>
WaitStatus ChangeSignal::WaitUntil(ThreadState& ts, int64_t deadline_ns, Ready ready) {
  while (!ready()) {
    // Noted with the GIL held, after the check: a change made since bumps it (top of the file).
    const uint64_t seen = Snapshot();
    WaitStatus status;
    {
      GilReleased released(ts);
      status = WaitPast(ts, seen, deadline_ns);
    }
    if (status != WaitStatus::kDone && !ready()) return status;
  }
  return WaitStatus::kDone;
}

template <typename Ready>
WaitStatus ChangeSignal::CountedWaitUntil(ThreadState& ts, int64_t deadline_ns, Ready ready,
                                          int64_t* blocked_ns) {
  if (blocked_ns != nullptr) *blocked_ns = 0;
  if (ready()) {
    CountLockAcquire(ts, -1, false);
    return WaitStatus::kDone;
  }
  const int64_t start = gil::MonotonicNs();
  const WaitStatus status = WaitUntil(ts, deadline_ns, ready);
  const int64_t blocked = gil::MonotonicNs() - start;
  if (status == WaitStatus::kDone) {
    CountLockAcquire(ts, blocked, false);
  } else {
    CountLockWaitFailed(ts, blocked);
  }
  if (blocked_ns != nullptr) *blocked_ns = blocked;
  return status;
}

// The native state of the instances of the classes below (InstanceObj::native()).
enum class SyncKind : uint8_t {
  kLock,
  kRLock,
  kCondition,
  kEvent,
  kSemaphore,
  kBarrier,
  kQueue,
  kLocal,
  kFuture,  // concurrent.futures (futures.cc)
  kExecutor,
  kFuturesIter,
  kDoneTuple,
};

struct SyncObj : Obj {
  const SyncKind kind;
  explicit SyncObj(SyncKind k) : Obj(ObjType::kSync), kind(k) {}
};

// The SyncObj of kind `kind` an instance carries, or null.
SyncObj* SyncOf(Value v, SyncKind kind);

// Parses a timeout argument as CPython's threading does: None or undefined -> kNoTimeout, else
// seconds (int or float) -> ns; negative values are returned as kNegativeTimeout so that callers
// word their own errors.
constexpr int64_t kNegativeTimeout = -2;
bool ParseTimeoutArg(ThreadState& ts, Value v, int64_t* ns);
// The same for the waits to which a negative timeout means "do not wait" (Event.wait,
// Condition.wait, Thread.join, Future.result, ...): it becomes 0.
bool WaitTimeoutArg(ThreadState& ts, Value v, int64_t* ns);

// Binds a native method's arguments (after self) to `names`: positional first, then keywords,
// with CPython's TypeErrors for Python-level methods ("wait() takes from 1 to 2 positional
// arguments but 3 were given", "got an unexpected keyword argument"). out[i] is borrowed, or
// undefined when not given.
bool BindMethodArgs(ThreadState& ts, const CallArgs& call, const Value* args, int nargs,
                    const char* fname, std::initializer_list<const char*> names, int required,
                    Value* out);

// The receiver of a native method: call.self when bound, else the first positional argument (a
// call through the class, Lock.acquire(l)), which *args and *nargs then step past. Undefined
// when there is none.
Value SplitReceiver(const CallArgs& call, const Value** args, int* nargs);

// The receiver of a native method of a sync class: the bound instance or the first argument.
bool SyncSelf(ThreadState& ts, const CallArgs& call, SyncKind kind, const char* type_name,
              const char* method, InstanceObj** self, const Value** args, int* nargs);

// The classes (immortal), for the modules and the cross-interpreter refusal.
ClassObj* SyncClass(SyncKind kind);
// threading's names added by sync.cc (Lock, RLock, Condition, ...) and queue's module.
void AddThreadingSync(ModuleObj* m);
Value CreateQueueModule();
// concurrent.futures (futures.cc): the module, its `process` submodule, the `concurrent` package
// holding it, and the
// shutdown of an interpreter's pools at its exit (before its threads are joined).
Value CreateFuturesModule(Interpreter* interp);
Value CreateFuturesProcessModule();
Value CreateConcurrentModule(Interpreter* interp);
void FuturesAtExit(Interpreter* interp);
// A new built-in class of threading/queue whose instances carry a SyncObj; `methods` immortal.
ClassObj* NewSyncClass(const char* name,
                       std::initializer_list<std::pair<const char*, NativeFn>> methods);
// A new exception class `name` deriving from the built-in `base` (immortal).
ClassObj* NewExceptionClass(const char* name, const char* base);
// Raises a new instance of the exception class `cls` (Empty, BrokenBarrierError, CancelledError,
// ...) with `message` as its one argument, none when empty. Returns false.
bool RaiseNewException(ThreadState& ts, ClassObj* cls, const std::string& message = "");
// A read-only property of a built-in class whose getter is the native `fn` (immortal).
Value NewNativeProperty(const char* name, NativeFn fn);
// An object's address as the reprs show it ("0x7f...").
std::string AddressText(const void* p);
// An Event's flag, for Timer: wait for it (GIL released; false with KeyboardInterrupt raised),
// and set it.
bool EventWaitFor(ThreadState& ts, Value event, int64_t timeout_ns, bool* set);
void EventSetFlag(Value event);
// threading.local: whether `v` is one; its attributes for the calling thread. LocalGetAttr sets
// *handled when it found the attribute or failed (a missing one falls through to the class);
// LocalSetAttr with an undefined `v` deletes (AttributeError when absent).
bool IsLocal(Value v);
bool LocalGetAttr(ThreadState& ts, Value obj, std::string_view name, bool* handled, Value* out);
bool LocalSetAttr(ThreadState& ts, Value obj, std::string_view name, Value v);
// threading.Timer (thread_class.cc).
ClassObj* TimerClass();
// Makes an instance of `cls` carrying `state` (owned).
Value NewSyncInstance(ClassObj* cls, SyncObj* state);

}  // namespace gilbench::vm
