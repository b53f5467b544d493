// The blocking-wait core (sync.h) and threading's primitives on it: Lock, RLock, Condition,
// Event, Semaphore, BoundedSemaphore, Barrier (with BrokenBarrierError), as built-in classes
// whose instances carry their native state (a SyncObj). CPython 3.11's behaviour and messages
// (Modules/_threadmodule.c for Lock and RLock, Lib/threading.py for the rest).
#include "vm/sync.h"

#include <algorithm>
#include <cmath>
#include <list>

#include "gil/lock_stats.h"
#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/dict.h"
#include "vm/exceptions.h"
#include "vm/runtime.h"

namespace gilbench::vm {

// --- the wait core -------------------------------------------------------------------------------

namespace {

// The main thread waits in slices this long, so that Ctrl-C ends its wait soon after it comes.
constexpr int64_t kMainThreadSliceNs = 20'000'000;

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum;
  return __builtin_add_overflow(a, b, &sum) ? INT64_MAX : sum;
}

gil::LockThreadStats& StatsOf(ThreadState& ts) { return ts.gil->lock_stats(); }

}  // namespace

int64_t DeadlineAfter(int64_t timeout_ns) {
  if (timeout_ns < 0) return INT64_MAX;
  return SaturatingAdd(gil::MonotonicNs(), timeout_ns);
}

WaitStatus WaitCore::WaitOnce(const ThreadState& ts, int64_t deadline_ns, bool interruptible) {
  if (interruptible && InterruptPendingFor(ts)) return WaitStatus::kInterrupted;
  const int64_t now = gil::MonotonicNs();
  if (now >= deadline_ns) return WaitStatus::kTimedOut;
  int64_t wait_ns = deadline_ns - now;
  if (interruptible && ts.thread == ts.interp->main_thread()) {
    wait_ns = std::min(wait_ns, kMainThreadSliceNs);
  }
  // Round up to whole microseconds: a wait never ends before its deadline.
  cond_.TimedWaitUs(mutex, std::max<int64_t>(1, (wait_ns + 999) / 1000));
  return interruptible && InterruptPendingFor(ts) ? WaitStatus::kInterrupted : WaitStatus::kDone;
}

GilReleased::GilReleased(ThreadState& ts) : ts_(ts) {
  ts_.interp->ReleaseGil(ts_);
  ts_.gil->NoteLockWait(gil::MonotonicNs());
}

GilReleased::~GilReleased() { ts_.interp->AcquireGil(ts_); }

void CountLockAcquire(ThreadState& ts, int64_t waited_ns, bool handoff) {
  gil::LockThreadStats& stats = StatsOf(ts);
  ++stats.counters.acquisitions;
  if (waited_ns < 0) return;
  ++stats.counters.contended;
  if (handoff) ++stats.counters.handoffs;
  stats.counters.wait_ns_total += static_cast<uint64_t>(waited_ns);
  stats.wait_ns.Record(static_cast<uint64_t>(waited_ns));
}

void CountLockWaitFailed(ThreadState& ts, int64_t waited_ns) {
  gil::LockThreadStats& stats = StatsOf(ts);
  stats.counters.wait_ns_total += static_cast<uint64_t>(waited_ns);
  stats.wait_ns.Record(static_cast<uint64_t>(waited_ns));
}

WaitStatus LockCore::Acquire(ThreadState& ts, int64_t timeout_ns, bool interruptible) {
  {
    gil::MutexLock lock(core_.mutex);
    if (permits_ > 0) {
      --permits_;
      handoff_pending_ = false;  // taken by a thread that did not wait: no handoff
      CountLockAcquire(ts, -1, false);
      return WaitStatus::kDone;
    }
  }
  if (timeout_ns == 0) return WaitStatus::kTimedOut;
  const int64_t start = gil::MonotonicNs();
  const int64_t deadline = timeout_ns < 0 ? INT64_MAX : SaturatingAdd(start, timeout_ns);
  WaitStatus status = WaitStatus::kDone;
  bool handoff = false;
  {
    GilReleased released(ts);
    gil::MutexLock lock(core_.mutex);
    ++waiters_;
    while (permits_ == 0) {
      status = core_.WaitOnce(ts, deadline, interruptible);
      if (status != WaitStatus::kDone) break;
    }
    if (permits_ > 0 && status == WaitStatus::kDone) {
      --permits_;
      handoff = handoff_pending_;
      handoff_pending_ = false;
    }
    --waiters_;
  }
  const int64_t waited = gil::MonotonicNs() - start;
  if (status == WaitStatus::kDone) {
    CountLockAcquire(ts, waited, handoff);
  } else {
    CountLockWaitFailed(ts, waited);
  }
  return status;
}

bool LockCore::Release(int64_t n, int64_t max) {
  {
    gil::MutexLock lock(core_.mutex);
    if (permits_ > max - n) return false;
    permits_ += n;
    if (waiters_ == 0) return true;
    handoff_pending_ = true;
  }
  core_.WakeAll();
  return true;
}

int64_t LockCore::permits() {
  gil::MutexLock lock(core_.mutex);
  return permits_;
}

uint64_t ChangeSignal::Snapshot() {
  gil::MutexLock lock(core_.mutex);
  return generation_;
}

void ChangeSignal::Notify() {
  {
    gil::MutexLock lock(core_.mutex);
    ++generation_;
  }
  core_.WakeAll();
}

WaitStatus ChangeSignal::WaitPast(const ThreadState& ts, uint64_t seen, int64_t deadline_ns) {
  gil::MutexLock lock(core_.mutex);
  while (generation_ == seen) {
    WaitStatus status = core_.WaitOnce(ts, deadline_ns);
    if (status != WaitStatus::kDone) return status;
  }
  return WaitStatus::kDone;
}

// --- shared helpers of the classes ---------------------------------------------------------------

SyncObj* SyncOf(Value v, SyncKind kind) {
  if (!IsInstanceObj(v)) return nullptr;
  Obj* native = AsInstance(v)->native();
  if (native == nullptr || native->type != ObjType::kSync) return nullptr;
  auto* sync = static_cast<SyncObj*>(native);
  return sync->kind == kind ? sync : nullptr;
}

Value SplitReceiver(const CallArgs& call, const Value** args, int* nargs) {
  *args = call.args;
  *nargs = call.nargs;
  if (!call.self.is_undefined() || call.npositional() == 0) return call.self;
  ++*args;
  --*nargs;
  return call.args[0];
}

bool SyncSelf(ThreadState& ts, const CallArgs& call, SyncKind kind, const char* type_name,
              const char* method, InstanceObj** self, const Value** args, int* nargs) {
  const Value v = SplitReceiver(call, args, nargs);
  if (SyncOf(v, kind) == nullptr) {
    return ts.Raise("TypeError", std::string("descriptor '") + method + "' requires a '" +
                                     type_name + "' object but received '" + TypeName(v) + "'");
  }
  *self = AsInstance(v);
  return true;
}

bool BindMethodArgs(ThreadState& ts, const CallArgs& call, const Value* args, int nargs,
                    const char* fname, std::initializer_list<const char*> names, int required,
                    Value* out) {
  const int nparams = static_cast<int>(names.size());
  std::vector<Value*> slots(names.size());
  for (int i = 0; i < nparams; ++i) {
    out[i] = Value::Undefined();
    slots[i] = &out[i];
  }
  return BindParams(ts, args, nargs, call.kwnames, fname, names, required, nparams, slots.data());
}

bool ParseTimeoutArg(ThreadState& ts, Value v, int64_t* ns) {
  if (v.is_undefined() || v.is_none()) {
    *ns = kNoTimeout;
    return true;
  }
  double seconds;
  if (!SecondsArg(ts, v, &seconds)) return false;
  if (std::isnan(seconds)) return ts.Raise("ValueError", "Invalid value NaN (not a number)");
  if (seconds < 0) {
    *ns = kNegativeTimeout;
    return true;
  }
  const double d = std::ceil(seconds * 1e9);
  *ns = d >= 9.2e18 ? INT64_MAX : static_cast<int64_t>(d);
  return true;
}

bool WaitTimeoutArg(ThreadState& ts, Value v, int64_t* ns) {
  if (!ParseTimeoutArg(ts, v, ns)) return false;
  if (*ns == kNegativeTimeout) *ns = 0;
  return true;
}

ClassObj* NewSyncClass(const char* name,
                       std::initializer_list<std::pair<const char*, NativeFn>> methods) {
  auto* cls = new ClassObj();
  cls->name = name;
  cls->base = ObjectClass();
  cls->native = NativeBase::kSync;
  cls->builtin = true;
  cls->version_tag = NewClassVersionTag();
  cls->refcount = kImmortalRefcount;
  for (const auto& [method, fn] : methods) {
    cls->attrs.emplace_back(method, Value::Object(MakeImmortalNative(method, fn, true)));
  }
  return cls;
}

ClassObj* NewExceptionClass(const char* name, const char* base) {
  auto* cls = new ClassObj();
  cls->name = name;
  cls->base = ExceptionClass(base);
  cls->native = NativeBase::kException;
  cls->builtin = true;
  cls->version_tag = NewClassVersionTag();
  cls->refcount = kImmortalRefcount;
  return cls;
}

bool RaiseNewException(ThreadState& ts, ClassObj* cls, const std::string& message) {
  Value arg = message.empty() ? Value::Undefined() : MakeStr(message);
  Value inst;
  bool ok = ts.interp->Call(ts, Value::Object(cls), &arg, message.empty() ? 0 : 1, nullptr, &inst);
  if (!message.empty()) Decref(arg);
  if (!ok) return false;
  RaiseException(ts, inst);
  Decref(inst);
  return false;
}

Value NewNativeProperty(const char* name, NativeFn fn) {
  auto* getter = MakeImmortalNative(name, fn, true);
  auto* prop = new WrapperObj(ObjType::kProperty, Value::Object(getter));
  prop->refcount = kImmortalRefcount;
  return Value::Object(prop);
}

std::string AddressText(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%p", p);
  return buf;
}

Value NewSyncInstance(ClassObj* cls, SyncObj* state) {
  auto* inst = new InstanceObj(cls);
  IncrefObj(cls);
  inst->SetNative(state);
  return Value::Object(inst);
}

namespace {

// A receiver check and the arguments after it, in one line per method.
#define SYNC_SELF(KIND, TYPE, METHOD, STATE_T)                                          \
  InstanceObj* self_inst;                                                               \
  const Value* args;                                                                    \
  int nargs;                                                                            \
  if (!SyncSelf(ts, call, KIND, TYPE, METHOD, &self_inst, &args, &nargs)) return false; \
  auto* self = static_cast<STATE_T*>(self_inst->native());

// --- Lock and RLock ------------------------------------------------------------------------------

struct LockObj : SyncObj {
  LockCore core{1};
  LockObj() : SyncObj(SyncKind::kLock) {}
};

struct RLockObj : SyncObj {
  LockCore core{1};
  // Guarded by the GIL (set after the core is taken, read by threads holding the GIL).
  uint64_t owner = 0;  // the ident of the holding thread, or 0
  int64_t count = 0;
  RLockObj() : SyncObj(SyncKind::kRLock) {}
};

// acquire(blocking=True, timeout=-1) of Lock and RLock, parsed as _threadmodule.c does: the
// timeout in ns (kNoTimeout: none; 0: try once).
bool ParseLockAcquire(ThreadState& ts, const CallArgs& call, const Value* args, int nargs,
                      int64_t* timeout_ns) {
  const int nkw = call.kwnames ? static_cast<int>(call.kwnames->size()) : 0;
  if (nargs > 2) {
    return ts.Raise("TypeError",
                    "acquire() takes at most 2 arguments (" + std::to_string(nargs) + " given)");
  }
  Value params[2] = {Value::Undefined(), Value::Undefined()};
  for (int i = 0; i < nargs - nkw; ++i) params[i] = args[i];
  for (int k = 0; k < nkw; ++k) {
    std::string_view given = (*call.kwnames)[k];
    int i = given == "blocking" ? 0 : given == "timeout" ? 1 : -1;
    if (i < 0) {
      return ts.Raise("TypeError",
                      "'" + std::string(given) + "' is an invalid keyword argument for acquire()");
    }
    if (!params[i].is_undefined()) {
      return ts.Raise("TypeError", std::string("argument for acquire() given by name ('") +
                                       std::string(given) + "') and position (" +
                                       std::to_string(i + 1) + ")");
    }
    params[i] = args[nargs - nkw + k];
  }
  int64_t blocking = 1;
  if (!params[0].is_undefined() && !IndexArg(ts, params[0], &blocking)) return false;
  int64_t timeout = kNoTimeout;
  const bool timeout_given = !params[1].is_undefined() &&
                             !(params[1].is_intlike() && params[1].i == -1) &&
                             !(params[1].is_float() && params[1].f == -1.0);
  if (timeout_given) {
    if (!ParseTimeoutArg(ts, params[1], &timeout)) return false;
    if (params[1].is_none()) {
      return ts.Raise("TypeError", "'NoneType' object cannot be interpreted as an integer");
    }
  }
  if (!blocking && timeout_given) {
    return ts.Raise("ValueError", "can't specify a timeout for a non-blocking call");
  }
  if (timeout == kNegativeTimeout) return ts.Raise("ValueError", "timeout value must be positive");
  *timeout_ns = blocking ? timeout : 0;
  return true;
}

bool LockInit(ThreadState& ts, const CallArgs& call, Value* result);

bool LockAcquire(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kLock, "lock", "acquire", LockObj);
  int64_t timeout;
  if (!ParseLockAcquire(ts, call, args, nargs, &timeout)) return false;
  WaitStatus status = self->core.Acquire(ts, timeout);
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  *result = Value::Bool(status == WaitStatus::kDone);
  return true;
}

bool LockEnter(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kLock, "lock", "__enter__", LockObj);
  (void)args;
  (void)nargs;
  if (self->core.Acquire(ts, kNoTimeout) == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  *result = Value::Bool(true);
  return true;
}

bool LockRelease(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kLock, "lock", "release", LockObj);
  (void)args;
  if (nargs != 0) {
    return ts.Raise("TypeError",
                    "lock.release() takes no arguments (" + std::to_string(nargs) + " given)");
  }
  if (!self->core.Release(1, 1)) return ts.Raise("RuntimeError", "release unlocked lock");
  *result = Value::None();
  return true;
}

bool LockExit(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kLock, "lock", "__exit__", LockObj);
  (void)args;
  (void)nargs;
  if (!self->core.Release(1, 1)) return ts.Raise("RuntimeError", "release unlocked lock");
  *result = Value::None();
  return true;
}

bool LockLocked(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kLock, "lock", "locked", LockObj);
  (void)args;
  (void)nargs;
  *result = Value::Bool(self->core.permits() == 0);
  return true;
}

bool LockRepr(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kLock, "lock", "__repr__", LockObj);
  (void)args;
  (void)nargs;
  *result = MakeStr(std::string("<") + (self->core.permits() == 0 ? "locked" : "unlocked") +
                    " _thread.lock object at " + AddressText(self_inst) + ">");
  return true;
}

// RLock: the owner re-enters without waiting; others take the core.
uint64_t Ident(const ThreadState& ts) { return ts.thread->ident; }

bool RLockAcquireFor(ThreadState& ts, RLockObj* self, int64_t timeout, Value* result) {
  if (self->count > 0 && self->owner == Ident(ts)) {
    ++self->count;
    CountLockAcquire(ts, -1, false);
    *result = Value::Bool(true);
    return true;
  }
  WaitStatus status = self->core.Acquire(ts, timeout);
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  if (status == WaitStatus::kDone) {
    self->owner = Ident(ts);
    self->count = 1;
  }
  *result = Value::Bool(status == WaitStatus::kDone);
  return true;
}

bool RLockAcquire(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kRLock, "_thread.RLock", "acquire", RLockObj);
  int64_t timeout;
  if (!ParseLockAcquire(ts, call, args, nargs, &timeout)) return false;
  return RLockAcquireFor(ts, self, timeout, result);
}

bool RLockEnter(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kRLock, "_thread.RLock", "__enter__", RLockObj);
  (void)args;
  (void)nargs;
  return RLockAcquireFor(ts, self, kNoTimeout, result);
}

bool RLockReleaseOnce(ThreadState& ts, RLockObj* self) {
  if (self->count == 0 || self->owner != Ident(ts)) {
    return ts.Raise("RuntimeError", "cannot release un-acquired lock");
  }
  if (--self->count == 0) {
    self->owner = 0;
    self->core.Release(1, 1);
  }
  return true;
}

bool RLockRelease(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kRLock, "_thread.RLock", "release", RLockObj);
  (void)args;
  (void)nargs;
  if (!RLockReleaseOnce(ts, self)) return false;
  *result = Value::None();
  return true;
}

bool RLockExit(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kRLock, "_thread.RLock", "__exit__", RLockObj);
  (void)args;
  (void)nargs;
  if (!RLockReleaseOnce(ts, self)) return false;
  *result = Value::None();
  return true;
}

bool RLockRepr(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kRLock, "_thread.RLock", "__repr__", RLockObj);
  (void)args;
  (void)nargs;
  *result = MakeStr(std::string("<") + (self->count > 0 ? "locked" : "unlocked") +
                    " _thread.RLock object owner=" + std::to_string(self->owner) + " count=" +
                    std::to_string(self->count) + " at " + AddressText(self_inst) + ">");
  return true;
}

// --- Condition -----------------------------------------------------------------------------------

// One thread's wait on a Condition (lives on its stack while it waits).
struct CondWaiter {
  bool notified = false;  // guarded by the GIL
};

struct CondObj : SyncObj {
  Value lock;                      // owned: the Lock or RLock instance
  std::list<CondWaiter*> waiters;  // guarded by the GIL; FIFO, as CPython's deque
  ChangeSignal changed;            // bumped by notify
  CondObj() : SyncObj(SyncKind::kCondition) {}
  ~CondObj() override { Decref(lock); }
};

// Whether the calling thread holds the condition's lock: an RLock knows its owner; a Lock held
// by anyone counts (CPython's _is_owned tries it without blocking).
bool CondOwned(ThreadState& ts, CondObj* cond) {
  if (auto* r = static_cast<RLockObj*>(SyncOf(cond->lock, SyncKind::kRLock))) {
    return r->count > 0 && r->owner == Ident(ts);
  }
  return static_cast<LockObj*>(SyncOf(cond->lock, SyncKind::kLock))->core.permits() == 0;
}

// Releases the condition's lock completely, returning what restoring it needs (an RLock's count).
int64_t CondReleaseSave(CondObj* cond) {
  if (auto* r = static_cast<RLockObj*>(SyncOf(cond->lock, SyncKind::kRLock))) {
    int64_t count = r->count;
    r->count = 0;
    r->owner = 0;
    r->core.Release(1, 1);
    return count;
  }
  static_cast<LockObj*>(SyncOf(cond->lock, SyncKind::kLock))->core.Release(1, 1);
  return 1;
}

// Takes the lock back after a wait (blocking, uninterruptible as CPython's _acquire_restore).
void CondAcquireRestore(ThreadState& ts, CondObj* cond, int64_t saved) {
  // A Ctrl-C that ended the wait stays pending, for the caller to raise once the lock is back:
  // an interruptible retry would spin on it.
  if (auto* r = static_cast<RLockObj*>(SyncOf(cond->lock, SyncKind::kRLock))) {
    r->core.Acquire(ts, kNoTimeout, /*interruptible=*/false);
    r->owner = Ident(ts);
    r->count = saved;
    return;
  }
  static_cast<LockObj*>(SyncOf(cond->lock, SyncKind::kLock))
      ->core.Acquire(ts, kNoTimeout, /*interruptible=*/false);
}

// wait(timeout) of a condition the caller owns: releases the lock, blocks until notified or the
// timeout, takes the lock back. *notified: whether it was notified.
bool CondWait(ThreadState& ts, CondObj* cond, int64_t timeout, bool* notified) {
  CondWaiter waiter;
  cond->waiters.push_back(&waiter);
  const int64_t saved = CondReleaseSave(cond);
  const WaitStatus status =
      cond->changed.WaitUntil(ts, DeadlineAfter(timeout), [&waiter] { return waiter.notified; });
  if (!waiter.notified) cond->waiters.remove(&waiter);
  *notified = waiter.notified;
  CondAcquireRestore(ts, cond, saved);
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  return true;
}

bool ConditionInit(ThreadState& ts, const CallArgs& call, Value* result);

bool CondLockCall(ThreadState& ts, CondObj* self, const char* method, const Value* args, int nargs,
                  const std::vector<std::string_view>* kwnames, Value* result) {
  Value fn;
  if (!GetAttr(ts, self->lock, method, &fn)) return false;
  bool ok = ts.interp->Call(ts, fn, args, nargs, kwnames, result);
  Decref(fn);
  return ok;
}

bool ConditionAcquire(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "acquire", CondObj);
  return CondLockCall(ts, self, "acquire", args, nargs, call.kwnames, result);
}

bool ConditionEnter(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "__enter__", CondObj);
  return CondLockCall(ts, self, "__enter__", args, 0, nullptr, result);
}

bool ConditionRelease(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "release", CondObj);
  return CondLockCall(ts, self, "release", args, nargs, call.kwnames, result);
}

bool ConditionExit(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "__exit__", CondObj);
  return CondLockCall(ts, self, "__exit__", args, nargs, nullptr, result);
}

bool ConditionWaitMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "wait", CondObj);
  Value params[1];
  if (!BindMethodArgs(ts, call, args, nargs, "wait", {"timeout"}, 0, params)) return false;
  if (!CondOwned(ts, self)) return ts.Raise("RuntimeError", "cannot wait on un-acquired lock");
  int64_t timeout;
  if (!WaitTimeoutArg(ts, params[0], &timeout)) return false;
  bool notified;
  if (!CondWait(ts, self, timeout, &notified)) return false;
  *result = Value::Bool(notified);
  return true;
}

// wait_for(predicate, timeout=None): waits until predicate() is true or the timeout passes,
// returning the predicate's last value.
bool ConditionWaitFor(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "wait_for", CondObj);
  Value params[2];
  if (!BindMethodArgs(ts, call, args, nargs, "wait_for", {"predicate", "timeout"}, 1, params)) {
    return false;
  }
  int64_t timeout;
  if (!WaitTimeoutArg(ts, params[1], &timeout)) return false;
  const int64_t deadline = DeadlineAfter(timeout);
  Value value;
  if (!ts.interp->Call(ts, params[0], nullptr, 0, nullptr, &value)) return false;
  while (!IsTruthy(value)) {
    int64_t wait_ns = kNoTimeout;
    if (timeout != kNoTimeout) {
      wait_ns = deadline - gil::MonotonicNs();
      if (wait_ns <= 0) break;
    }
    if (!CondOwned(ts, self)) {
      Decref(value);
      return ts.Raise("RuntimeError", "cannot wait on un-acquired lock");
    }
    bool notified;
    Decref(value);
    if (!CondWait(ts, self, wait_ns, &notified)) return false;
    if (!ts.interp->Call(ts, params[0], nullptr, 0, nullptr, &value)) return false;
  }
  *result = value;
  return true;
}

bool CondNotify(ThreadState& ts, CondObj* self, int64_t n) {
  if (!CondOwned(ts, self)) return ts.Raise("RuntimeError", "cannot notify on un-acquired lock");
  bool any = false;
  while (n-- > 0 && !self->waiters.empty()) {
    self->waiters.front()->notified = true;
    self->waiters.pop_front();
    any = true;
  }
  if (any) self->changed.Notify();
  return true;
}

bool ConditionNotify(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "notify", CondObj);
  Value params[1];
  if (!BindMethodArgs(ts, call, args, nargs, "notify", {"n"}, 0, params)) return false;
  int64_t n = 1;
  if (!params[0].is_undefined() && !IndexArg(ts, params[0], &n)) return false;
  if (!CondNotify(ts, self, n)) return false;
  *result = Value::None();
  return true;
}

bool ConditionNotifyAll(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "notify_all", CondObj);
  Value params[1];
  if (!BindMethodArgs(ts, call, args, nargs, "notify_all", {}, 0, params)) return false;
  if (!CondNotify(ts, self, INT64_MAX)) return false;
  *result = Value::None();
  return true;
}

bool ConditionRepr(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kCondition, "Condition", "__repr__", CondObj);
  (void)args;
  (void)nargs;
  std::string lock;
  if (!ReprOf(ts, self->lock, &lock)) return false;
  *result = MakeStr("<Condition(" + lock + ", " + std::to_string(self->waiters.size()) + ")>");
  return true;
}

// --- Event ---------------------------------------------------------------------------------------

struct EventObj : SyncObj {
  bool flag = false;  // guarded by the GIL
  ChangeSignal changed;
  EventObj() : SyncObj(SyncKind::kEvent) {}
};

bool NoArgs(ThreadState& ts, const CallArgs& call, const Value* args, int nargs,
            const char* fname) {
  Value none[1];
  return BindMethodArgs(ts, call, args, nargs, fname, {}, 0, none);
}

bool EventIsSet(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kEvent, "Event", "is_set", EventObj);
  if (!NoArgs(ts, call, args, nargs, "is_set")) return false;
  *result = Value::Bool(self->flag);
  return true;
}

bool EventSet(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kEvent, "Event", "set", EventObj);
  if (!NoArgs(ts, call, args, nargs, "set")) return false;
  self->flag = true;
  self->changed.Notify();
  *result = Value::None();
  return true;
}

bool EventClear(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kEvent, "Event", "clear", EventObj);
  if (!NoArgs(ts, call, args, nargs, "clear")) return false;
  self->flag = false;
  *result = Value::None();
  return true;
}

}  // namespace

// Waits for an Event's flag (Timer's run uses it too): *set is the flag at the end.
bool EventWaitFor(ThreadState& ts, Value event, int64_t timeout, bool* set) {
  auto* self = static_cast<EventObj*>(SyncOf(event, SyncKind::kEvent));
  const WaitStatus status =
      self->changed.WaitUntil(ts, DeadlineAfter(timeout), [self] { return self->flag; });
  *set = self->flag;
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  return true;
}

void EventSetFlag(Value event) {
  auto* self = static_cast<EventObj*>(SyncOf(event, SyncKind::kEvent));
  self->flag = true;
  self->changed.Notify();
}

namespace {

bool EventWait(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kEvent, "Event", "wait", EventObj);
  (void)self;
  Value params[1];
  if (!BindMethodArgs(ts, call, args, nargs, "wait", {"timeout"}, 0, params)) return false;
  int64_t timeout;
  if (!WaitTimeoutArg(ts, params[0], &timeout)) return false;
  bool set;
  if (!EventWaitFor(ts, Value::Object(self_inst), timeout, &set)) return false;
  *result = Value::Bool(set);
  return true;
}

bool EventRepr(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kEvent, "Event", "__repr__", EventObj);
  (void)args;
  (void)nargs;
  *result = MakeStr("<threading.Event at " + AddressText(self_inst) + ": " +
                    (self->flag ? "set" : "unset") + ">");
  return true;
}

// --- Semaphore and BoundedSemaphore --------------------------------------------------------------

struct SemObj : SyncObj {
  LockCore core;
  int64_t bound;  // BoundedSemaphore: the initial value; Semaphore: INT64_MAX
  SemObj(int64_t value, int64_t b) : SyncObj(SyncKind::kSemaphore), core(value), bound(b) {}
};

bool SemAcquireFor(ThreadState& ts, SemObj* self, int64_t timeout, Value* result) {
  WaitStatus status = self->core.Acquire(ts, timeout);
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  *result = Value::Bool(status == WaitStatus::kDone);
  return true;
}

bool SemaphoreAcquire(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kSemaphore, "Semaphore", "acquire", SemObj);
  Value params[2];
  if (!BindMethodArgs(ts, call, args, nargs, "acquire", {"blocking", "timeout"}, 0, params)) {
    return false;
  }
  const bool blocking = params[0].is_undefined() || IsTruthy(params[0]);
  const bool has_timeout = !params[1].is_undefined() && !params[1].is_none();
  if (!blocking && has_timeout) {
    return ts.Raise("ValueError", "can't specify timeout for non-blocking acquire");
  }
  int64_t timeout;
  if (!WaitTimeoutArg(ts, params[1], &timeout)) return false;
  return SemAcquireFor(ts, self, blocking ? timeout : 0, result);
}

bool SemaphoreEnter(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kSemaphore, "Semaphore", "__enter__", SemObj);
  (void)args;
  (void)nargs;
  return SemAcquireFor(ts, self, kNoTimeout, result);
}

bool SemReleaseN(ThreadState& ts, SemObj* self, int64_t n) {
  if (n < 1) return ts.Raise("ValueError", "n must be one or more");
  if (!self->core.Release(n, self->bound)) {
    return ts.Raise("ValueError", "Semaphore released too many times");
  }
  return true;
}

bool SemaphoreRelease(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kSemaphore, "Semaphore", "release", SemObj);
  Value params[1];
  if (!BindMethodArgs(ts, call, args, nargs, "release", {"n"}, 0, params)) return false;
  int64_t n = 1;
  if (!params[0].is_undefined() && !IndexArg(ts, params[0], &n)) return false;
  if (!SemReleaseN(ts, self, n)) return false;
  *result = Value::None();
  return true;
}

bool SemaphoreExit(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kSemaphore, "Semaphore", "__exit__", SemObj);
  (void)args;
  (void)nargs;
  if (!SemReleaseN(ts, self, 1)) return false;
  *result = Value::None();
  return true;
}

bool SemaphoreRepr(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kSemaphore, "Semaphore", "__repr__", SemObj);
  (void)args;
  (void)nargs;
  const bool bounded = self->bound != INT64_MAX;
  std::string text = std::string("<threading.") + (bounded ? "BoundedSemaphore" : "Semaphore") +
                     " at " + AddressText(self_inst) +
                     ": value=" + std::to_string(self->core.permits());
  if (bounded) text += "/" + std::to_string(self->bound);
  *result = MakeStr(text + ">");
  return true;
}

// --- Barrier -------------------------------------------------------------------------------------

// CPython's states: filling, draining, resetting, broken; plus kActing while the last thread
// runs the action without the GIL-free section (others keep waiting).
enum class BarrierState : int8_t {
  kFilling = 0,
  kDraining = 1,
  kResetting = -1,
  kBroken = -2,
  kActing = 2
};

struct BarrierObj : SyncObj {
  int64_t parties;
  Value action;     // owned: None or a callable
  int64_t timeout;  // the default, ns (kNoTimeout: none)
  // Guarded by the GIL.
  BarrierState state = BarrierState::kFilling;
  int64_t count = 0;
  ChangeSignal changed;
  BarrierObj(int64_t p, Value a, int64_t t)
      : SyncObj(SyncKind::kBarrier), parties(p), action(a), timeout(t) {}
  ~BarrierObj() override { Decref(action); }
};

ClassObj* BrokenBarrierErrorClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewExceptionClass("BrokenBarrierError", "RuntimeError");
    cls->module = "threading";
    return cls;
  }();
  return kClass;
}

void BarrierNotify(BarrierObj* b) { b->changed.Notify(); }

void BarrierBreak(BarrierObj* b) {
  b->state = BarrierState::kBroken;
  BarrierNotify(b);
}

// The end of a wait (CPython's _exit): the last thread out lets a reset or the next round go on.
void BarrierExit(BarrierObj* b) {
  if (b->count == 0 &&
      (b->state == BarrierState::kResetting || b->state == BarrierState::kDraining)) {
    b->state = BarrierState::kFilling;
    BarrierNotify(b);
  }
}

bool BarrierWait(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kBarrier, "Barrier", "wait", BarrierObj);
  Value params[1];
  if (!BindMethodArgs(ts, call, args, nargs, "wait", {"timeout"}, 0, params)) return false;
  int64_t timeout = self->timeout;
  if (!params[0].is_undefined() && !params[0].is_none()) {
    if (!WaitTimeoutArg(ts, params[0], &timeout)) return false;
  }
  const int64_t deadline = DeadlineAfter(timeout);
  Incref(Value::Object(self_inst));  // the state outlives a del of the barrier meanwhile
  struct Keep {
    InstanceObj* inst;
    ~Keep() { DecrefObj(inst); }
  } keep{self_inst};
  // _enter: wait while the barrier drains or resets.
  auto settled = [self] {
    return self->state != BarrierState::kDraining && self->state != BarrierState::kResetting &&
           self->state != BarrierState::kActing;
  };
  WaitStatus status = self->changed.WaitUntil(ts, INT64_MAX, settled);
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  if (self->state == BarrierState::kBroken) return RaiseNewException(ts, BrokenBarrierErrorClass());
  const int64_t index = self->count++;
  bool ok = true;
  if (index + 1 == self->parties) {
    // _release: the last to arrive runs the action, then lets everyone go.
    self->state = BarrierState::kActing;
    if (!self->action.is_none()) {
      Value out;
      if (ts.interp->Call(ts, self->action, nullptr, 0, nullptr, &out)) {
        Decref(out);
      } else {
        ok = false;
      }
    }
    if (ok) {
      self->state = BarrierState::kDraining;
      BarrierNotify(self);
    } else {
      BarrierBreak(self);
    }
  } else {
    auto released = [self] {
      return self->state != BarrierState::kFilling && self->state != BarrierState::kActing;
    };
    status = self->changed.WaitUntil(ts, deadline, released);
    if (status != WaitStatus::kDone) {
      BarrierBreak(self);
      ok = status == WaitStatus::kInterrupted ? RaiseInterrupt(ts)
                                              : RaiseNewException(ts, BrokenBarrierErrorClass());
    } else if (self->state == BarrierState::kBroken || self->state == BarrierState::kResetting) {
      ok = RaiseNewException(ts, BrokenBarrierErrorClass());
    }
  }
  --self->count;
  BarrierExit(self);
  if (!ok) return false;
  *result = Value::Int(index);
  return true;
}

bool BarrierReset(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kBarrier, "Barrier", "reset", BarrierObj);
  if (!NoArgs(ts, call, args, nargs, "reset")) return false;
  if (self->count > 0) {
    if (self->state == BarrierState::kFilling || self->state == BarrierState::kBroken) {
      self->state = BarrierState::kResetting;
    }
  } else {
    self->state = BarrierState::kFilling;
  }
  BarrierNotify(self);
  *result = Value::None();
  return true;
}

bool BarrierAbort(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kBarrier, "Barrier", "abort", BarrierObj);
  if (!NoArgs(ts, call, args, nargs, "abort")) return false;
  BarrierBreak(self);
  *result = Value::None();
  return true;
}

bool BarrierRepr(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kBarrier, "Barrier", "__repr__", BarrierObj);
  (void)args;
  (void)nargs;
  if (self->state == BarrierState::kBroken) {
    *result = MakeStr("<threading.Barrier at " + AddressText(self_inst) + ": broken>");
  } else {
    *result = MakeStr("<threading.Barrier at " + AddressText(self_inst) + ": waiters=" +
                      std::to_string(self->count) + "/" + std::to_string(self->parties) + ">");
  }
  return true;
}

// --- constructors --------------------------------------------------------------------------------

bool InitWith(ThreadState& ts, const CallArgs& call, SyncKind kind, const char* name,
              InstanceObj** self, const Value** args, int* nargs) {
  const Value v = SplitReceiver(call, args, nargs);
  if (!IsInstanceObj(v) || AsInstance(v)->cls != SyncClass(kind)) {
    return ts.Raise("TypeError", std::string("descriptor '__init__' requires a '") + name +
                                     "' object but received '" + TypeName(v) + "'");
  }
  *self = AsInstance(v);
  return true;
}

bool LockInit(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!InitWith(ts, call, SyncKind::kLock, "lock", &self, &args, &nargs)) return false;
  (void)args;
  if (nargs != 0) return ts.Raise("TypeError", "lock() takes no arguments");
  self->SetNative(new LockObj());
  *result = Value::None();
  return true;
}

bool RLockInit(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!InitWith(ts, call, SyncKind::kRLock, "RLock", &self, &args, &nargs)) return false;
  (void)args;
  if (nargs != 0) return ts.Raise("TypeError", "RLock() takes no arguments");
  self->SetNative(new RLockObj());
  *result = Value::None();
  return true;
}

bool ConditionInit(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!InitWith(ts, call, SyncKind::kCondition, "Condition", &self, &args, &nargs)) return false;
  Value params[1];
  if (!BindMethodArgs(ts, call, args, nargs, "__init__", {"lock"}, 0, params)) return false;
  Value lock = params[0];
  if (lock.is_undefined() || lock.is_none()) {
    if (!ts.interp->Call(ts, Value::Object(SyncClass(SyncKind::kRLock)), nullptr, 0, nullptr,
                         &lock)) {
      return false;
    }
  } else if (SyncOf(lock, SyncKind::kLock) != nullptr ||
             SyncOf(lock, SyncKind::kRLock) != nullptr) {
    Incref(lock);
  } else {
    return ts.Raise("TypeError",
                    "Condition() in gilvm takes a threading.Lock or RLock (or None), not '" +
                        std::string(TypeName(lock)) + "'");
  }
  auto* cond = new CondObj();
  cond->lock = lock;
  self->SetNative(cond);
  *result = Value::None();
  return true;
}

bool EventInit(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!InitWith(ts, call, SyncKind::kEvent, "Event", &self, &args, &nargs)) return false;
  if (!NoArgs(ts, call, args, nargs, "__init__")) return false;
  self->SetNative(new EventObj());
  *result = Value::None();
  return true;
}

bool SemInit(ThreadState& ts, const CallArgs& call, Value* result, bool bounded) {
  const Value* args;
  int nargs;
  const Value v = SplitReceiver(call, &args, &nargs);
  if (!IsInstanceObj(v) || AsInstance(v)->cls->native != NativeBase::kSync) {
    return ts.Raise("TypeError", "descriptor '__init__' requires a 'Semaphore' object");
  }
  InstanceObj* self = AsInstance(v);
  Value params[1];
  if (!BindMethodArgs(ts, call, args, nargs, "__init__", {"value"}, 0, params)) return false;
  int64_t value = 1;
  if (!params[0].is_undefined() && !IndexArg(ts, params[0], &value)) return false;
  if (value < 0) return ts.Raise("ValueError", "semaphore initial value must be >= 0");
  self->SetNative(new SemObj(value, bounded ? value : INT64_MAX));
  *result = Value::None();
  return true;
}

bool SemaphoreInit(ThreadState& ts, const CallArgs& call, Value* result) {
  return SemInit(ts, call, result, false);
}

bool BoundedSemaphoreInit(ThreadState& ts, const CallArgs& call, Value* result) {
  return SemInit(ts, call, result, true);
}

bool BarrierInit(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!InitWith(ts, call, SyncKind::kBarrier, "Barrier", &self, &args, &nargs)) return false;
  Value params[3];
  if (!BindMethodArgs(ts, call, args, nargs, "__init__", {"parties", "action", "timeout"}, 1,
                      params)) {
    return false;
  }
  int64_t parties;
  if (!IndexArg(ts, params[0], &parties)) return false;
  int64_t timeout;
  if (!WaitTimeoutArg(ts, params[2], &timeout)) return false;
  Value action = params[1].is_undefined() ? Value::None() : params[1];
  Incref(action);
  self->SetNative(new BarrierObj(parties, action, timeout));
  *result = Value::None();
  return true;
}

// Barrier's read-only properties, as methods called by the attribute hook below.
bool BarrierParties(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kBarrier, "Barrier", "parties", BarrierObj);
  (void)args;
  (void)nargs;
  *result = Value::Int(self->parties);
  return true;
}

bool BarrierNWaiting(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kBarrier, "Barrier", "n_waiting", BarrierObj);
  (void)args;
  (void)nargs;
  *result = Value::Int(self->state == BarrierState::kFilling ? self->count : 0);
  return true;
}

bool BarrierBroken(ThreadState& ts, const CallArgs& call, Value* result) {
  SYNC_SELF(SyncKind::kBarrier, "Barrier", "broken", BarrierObj);
  (void)args;
  (void)nargs;
  *result = Value::Bool(self->state == BarrierState::kBroken);
  return true;
}

}  // namespace

ClassObj* LocalClass();  // below, with the rest of threading.local

ClassObj* SyncClass(SyncKind kind) {
  static ClassObj* const kLock = NewSyncClass("lock", {{"__init__", LockInit},
                                                       {"acquire", LockAcquire},
                                                       {"acquire_lock", LockAcquire},
                                                       {"release", LockRelease},
                                                       {"release_lock", LockRelease},
                                                       {"locked", LockLocked},
                                                       {"__enter__", LockEnter},
                                                       {"__exit__", LockExit},
                                                       {"__repr__", LockRepr}});
  static ClassObj* const kRLock = NewSyncClass("RLock", {{"__init__", RLockInit},
                                                         {"acquire", RLockAcquire},
                                                         {"release", RLockRelease},
                                                         {"__enter__", RLockEnter},
                                                         {"__exit__", RLockExit},
                                                         {"__repr__", RLockRepr}});
  static ClassObj* const kCondition = NewSyncClass("Condition", {{"__init__", ConditionInit},
                                                                 {"acquire", ConditionAcquire},
                                                                 {"release", ConditionRelease},
                                                                 {"__enter__", ConditionEnter},
                                                                 {"__exit__", ConditionExit},
                                                                 {"wait", ConditionWaitMethod},
                                                                 {"wait_for", ConditionWaitFor},
                                                                 {"notify", ConditionNotify},
                                                                 {"notify_all", ConditionNotifyAll},
                                                                 {"notifyAll", ConditionNotifyAll},
                                                                 {"__repr__", ConditionRepr}});
  static ClassObj* const kEvent = NewSyncClass("Event", {{"__init__", EventInit},
                                                         {"is_set", EventIsSet},
                                                         {"isSet", EventIsSet},
                                                         {"set", EventSet},
                                                         {"clear", EventClear},
                                                         {"wait", EventWait},
                                                         {"__repr__", EventRepr}});
  static ClassObj* const kSemaphore = NewSyncClass("Semaphore", {{"__init__", SemaphoreInit},
                                                                 {"acquire", SemaphoreAcquire},
                                                                 {"release", SemaphoreRelease},
                                                                 {"__enter__", SemaphoreEnter},
                                                                 {"__exit__", SemaphoreExit},
                                                                 {"__repr__", SemaphoreRepr}});
  static ClassObj* const kBarrier = [] {
    ClassObj* cls = NewSyncClass("Barrier", {{"__init__", BarrierInit},
                                             {"wait", BarrierWait},
                                             {"reset", BarrierReset},
                                             {"abort", BarrierAbort},
                                             {"__repr__", BarrierRepr}});
    cls->attrs.emplace_back("parties", NewNativeProperty("parties", BarrierParties));
    cls->attrs.emplace_back("n_waiting", NewNativeProperty("n_waiting", BarrierNWaiting));
    cls->attrs.emplace_back("broken", NewNativeProperty("broken", BarrierBroken));
    return cls;
  }();
  switch (kind) {
    case SyncKind::kLock:
      return kLock;
    case SyncKind::kRLock:
      return kRLock;
    case SyncKind::kCondition:
      return kCondition;
    case SyncKind::kEvent:
      return kEvent;
    case SyncKind::kSemaphore:
      return kSemaphore;
    case SyncKind::kBarrier:
      return kBarrier;
    case SyncKind::kLocal:
      return LocalClass();
    default:
      return nullptr;
  }
}

namespace {

ClassObj* BoundedSemaphoreClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewSyncClass("BoundedSemaphore", {{"__init__", BoundedSemaphoreInit}});
    cls->base = SyncClass(SyncKind::kSemaphore);
    cls->base->subclasses.push_back(cls);
    return cls;
  }();
  return kClass;
}

}  // namespace

void AddThreadingSync(ModuleObj* m) {
  for (SyncKind kind : {SyncKind::kLock, SyncKind::kRLock, SyncKind::kCondition, SyncKind::kEvent,
                        SyncKind::kSemaphore, SyncKind::kBarrier}) {
    ClassObj* cls = SyncClass(kind);
    m->attrs.emplace_back(kind == SyncKind::kLock ? "Lock" : cls->name, Value::Object(cls));
  }
  m->attrs.emplace_back("BoundedSemaphore", Value::Object(BoundedSemaphoreClass()));
  m->attrs.emplace_back("BrokenBarrierError", Value::Object(BrokenBarrierErrorClass()));
  m->attrs.emplace_back("Timer", Value::Object(TimerClass()));
  m->attrs.emplace_back("local", Value::Object(LocalClass()));
}

}  // namespace gilbench::vm

// --- threading.local -----------------------------------------------------------------------------
// Attributes per thread: each thread that touches the object gets its own dict, keyed by its
// Thread object (the interpreter keeps every Thread object until it ends, so a key is never
// reused). Guarded by the GIL. The instance hooks in class.cc route get, set and del here.

namespace gilbench::vm {
namespace {

struct LocalObj : SyncObj {
  std::vector<std::pair<const ThreadObj*, DictObj*>> dicts;  // owned dicts
  LocalObj() : SyncObj(SyncKind::kLocal) {}
  ~LocalObj() override {
    for (auto& [thread, dict] : dicts) DecrefObj(dict);
  }
  // The calling thread's dict, made on first use.
  DictObj* Mine(const ThreadState& ts) {
    for (auto& [thread, dict] : dicts) {
      if (thread == ts.thread) return dict;
    }
    dicts.emplace_back(ts.thread, NewDict());
    return dicts.back().second;
  }
};

bool LocalInit(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!InitWith(ts, call, SyncKind::kLocal, "_thread._local", &self, &args, &nargs)) return false;
  (void)args;
  if (nargs != 0) return ts.Raise("TypeError", "Initialization arguments are not supported");
  self->SetNative(new LocalObj());
  *result = Value::None();
  return true;
}

bool LocalNoAttribute(ThreadState& ts, std::string_view name) {
  return ts.Raise("AttributeError",
                  "'_thread._local' object has no attribute '" + std::string(name) + "'");
}

}  // namespace

ClassObj* LocalClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewSyncClass("_local", {{"__init__", LocalInit}});
    cls->module = "_thread";
    return cls;
  }();
  return kClass;
}

bool IsLocal(Value v) { return SyncOf(v, SyncKind::kLocal) != nullptr; }

bool LocalGetAttr(ThreadState& ts, Value obj, std::string_view name, bool* handled, Value* out) {
  auto* local = static_cast<LocalObj*>(SyncOf(obj, SyncKind::kLocal));
  *handled = false;
  if (local == nullptr) return false;
  Value key = MakeStr(std::string(name));
  Value v;
  const bool ok = DictGet(ts, local->Mine(ts), key, &v);
  Decref(key);
  if (!ok) {
    *handled = true;
    return false;
  }
  if (v.is_undefined()) {
    // Not the thread's own: the class's (a method, __class__), or missing.
    if (!AsInstance(obj)->cls->Lookup(name).is_undefined() || name == "__class__") return false;
    *handled = true;
    return LocalNoAttribute(ts, name);
  }
  *handled = true;
  Incref(v);
  *out = v;
  return true;
}

bool LocalSetAttr(ThreadState& ts, Value obj, std::string_view name, Value v) {
  auto* local = static_cast<LocalObj*>(SyncOf(obj, SyncKind::kLocal));
  Value key = MakeStr(std::string(name));
  bool ok;
  if (v.is_undefined()) {  // del
    Value old;
    ok = DictPop(ts, local->Mine(ts), key, &old);
    if (ok && old.is_undefined()) ok = LocalNoAttribute(ts, name);
    Decref(old);
  } else {
    ok = DictSet(ts, local->Mine(ts), key, v);
  }
  Decref(key);
  return ok;
}

}  // namespace gilbench::vm
