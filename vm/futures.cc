// The concurrent.futures module: Future, ThreadPoolExecutor, as_completed and wait, as CPython
// 3.11's Lib/concurrent/futures/_base.py and thread.py behave. A future's state is guarded by
// the GIL; every blocking wait (result, exception, as_completed, wait) waits on one ChangeSignal
// (sync.h) that is bumped whenever any future finishes or is cancelled, with the GIL released,
// counted in the lock statistics, and interruptible by Ctrl-C in the main thread. The pool's
// workers are real VM threads (as threading.Thread's), started lazily up to max_workers, which
// take work items from the executor's queue.
#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "gil/lock_stats.h"
#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/dict.h"
#include "vm/exceptions.h"
#include "vm/multiprocessing.h"
#include "vm/runtime.h"
#include "vm/set.h"
#include "vm/sync.h"

namespace gilbench::vm {
namespace {

// --- exception classes --------------------------------------------------------------------------

ClassObj* ErrorClass() {
  static ClassObj* const kClass =
      NewLibraryExceptionClass("concurrent.futures._base", "Error", ExceptionClass("Exception"));
  return kClass;
}
ClassObj* CancelledErrorClass() {
  static ClassObj* const kClass =
      NewLibraryExceptionClass("concurrent.futures._base", "CancelledError", ErrorClass());
  return kClass;
}
ClassObj* InvalidStateErrorClass() {
  static ClassObj* const kClass =
      NewLibraryExceptionClass("concurrent.futures._base", "InvalidStateError", ErrorClass());
  return kClass;
}
ClassObj* BrokenExecutorClass() {
  static ClassObj* const kClass = NewLibraryExceptionClass(
      "concurrent.futures._base", "BrokenExecutor", ExceptionClass("RuntimeError"));
  return kClass;
}

ClassObj* BrokenProcessPoolClass() {
  static ClassObj* const kClass = NewLibraryExceptionClass(
      "concurrent.futures.process", "BrokenProcessPool", BrokenExecutorClass());
  return kClass;
}

ClassObj* RemoteTracebackClass() {
  static ClassObj* const kClass = NewLibraryExceptionClass(
      "concurrent.futures.process", "_RemoteTraceback", ExceptionClass("Exception"));
  return kClass;
}

constexpr char kWorkerDied[] =
    "A process in the process pool was terminated abruptly while the future was running or "
    "pending.";
constexpr char kPoolBroken[] =
    "A child process terminated abruptly, the process pool is not usable anymore";

// A new instance of `cls` with `message` as its one argument (null with the error raised).
bool NewError(ThreadState& ts, ClassObj* cls, const std::string& message, Value* out) {
  Value arg = MakeStr(message);
  bool ok = ts.interp->Call(ts, Value::Object(cls), &arg, 1, nullptr, out);
  Decref(arg);
  return ok;
}

// --- Future -------------------------------------------------------------------------------------

enum class FutureState : uint8_t { kPending, kRunning, kCancelled, kCancelledNotified, kFinished };

const char* StateName(FutureState s) {
  switch (s) {
    case FutureState::kPending:
      return "PENDING";
    case FutureState::kRunning:
      return "RUNNING";
    case FutureState::kCancelled:
      return "CANCELLED";
    case FutureState::kCancelledNotified:
      return "CANCELLED_AND_NOTIFIED";
    case FutureState::kFinished:
      return "FINISHED";
  }
  return "";
}

const char* StateDescription(FutureState s) {
  switch (s) {
    case FutureState::kPending:
      return "pending";
    case FutureState::kRunning:
      return "running";
    case FutureState::kCancelled:
    case FutureState::kCancelledNotified:
      return "cancelled";
    case FutureState::kFinished:
      return "finished";
  }
  return "";
}

struct FutureObj : SyncObj {
  // Guarded by the GIL.
  FutureState state = FutureState::kPending;
  Value result = Value::None();     // owned
  Value exception = Value::None();  // owned: an exception instance, or None
  std::vector<Value> callbacks;     // owned
  uint64_t finished_seq = 0;        // the order futures finished in (as_completed)
  FutureObj() : SyncObj(SyncKind::kFuture) {}
  ~FutureObj() override {
    Decref(result);
    Decref(exception);
    for (Value v : callbacks) Decref(v);
  }
  // done(): cancelled or finished.
  bool Done() const { return Cancelled() || state == FutureState::kFinished; }
  // Done as wait() and as_completed() see it: a cancellation counts once the executor noticed.
  bool Settled() const {
    return state == FutureState::kFinished || state == FutureState::kCancelledNotified;
  }
  bool Cancelled() const {
    return state == FutureState::kCancelled || state == FutureState::kCancelledNotified;
  }
};

// Bumped whenever any future finishes or is cancelled; every blocking wait of the module waits
// on it (a spurious wake-up only costs a re-check).
ChangeSignal& FuturesChanged() {
  static ChangeSignal* const kSignal = new ChangeSignal();
  return *kSignal;
}

std::atomic<uint64_t> g_finished_seq{0};

ClassObj* FutureClass();

FutureObj* FutureOf(Value v) { return static_cast<FutureObj*>(SyncOf(v, SyncKind::kFuture)); }

bool FutureSelf(ThreadState& ts, const CallArgs& call, const char* method, Value* self_value,
                FutureObj** self, const Value** args, int* nargs) {
  InstanceObj* inst;
  if (!SyncSelf(ts, call, SyncKind::kFuture, "Future", method, &inst, args, nargs)) return false;
  *self_value = Value::Object(inst);
  *self = static_cast<FutureObj*>(inst->native());
  return true;
}

std::string FutureRepr(Value self_value, FutureObj* f) {
  std::string text = "<" + AsInstance(self_value)->cls->name + " at " + AddressText(self_value.o) +
                     " state=" + StateDescription(f->state);
  if (f->state == FutureState::kFinished) {
    if (!f->exception.is_none()) {
      text += std::string(" raised ") + TypeName(f->exception);
    } else {
      text += std::string(" returned ") + TypeName(f->result);
    }
  }
  return text + ">";
}

// Calls the done callbacks (CPython's _invoke_callbacks): an error in one is logged to stderr
// and the next still runs.
void InvokeCallbacks(ThreadState& ts, Value self_value, FutureObj* f) {
  std::vector<Value> callbacks = std::move(f->callbacks);
  f->callbacks.clear();
  for (Value cb : callbacks) {
    Value ignored;
    if (ts.interp->Call(ts, cb, &self_value, 1, nullptr, &ignored)) {
      Decref(ignored);
    } else {
      ts.interp->PrintError(ts,
                            "exception calling callback for " + FutureRepr(self_value, f) + "\n");
      ts.ClearError();
    }
    Decref(cb);
  }
}

void MarkChanged(FutureObj* f) {
  f->finished_seq = ++g_finished_seq;
  FuturesChanged().Notify();
}

// cancel(): false when running or finished.
bool CancelFuture(ThreadState& ts, Value self_value, FutureObj* f) {
  if (f->state == FutureState::kRunning || f->state == FutureState::kFinished) return false;
  if (f->Cancelled()) return true;
  f->state = FutureState::kCancelled;
  MarkChanged(f);
  InvokeCallbacks(ts, self_value, f);
  return true;
}

// set_running_or_notify_cancel().
bool SetRunningOrNotifyCancel(ThreadState& ts, FutureObj* f, bool* running) {
  if (f->state == FutureState::kCancelled) {
    f->state = FutureState::kCancelledNotified;
    MarkChanged(f);
    *running = false;
    return true;
  }
  if (f->state == FutureState::kPending) {
    f->state = FutureState::kRunning;
    *running = true;
    return true;
  }
  return ts.Raise("RuntimeError", "Future in unexpected state");
}

// set_result / set_exception: `value` borrowed.
bool SetOutcome(ThreadState& ts, Value self_value, FutureObj* f, Value value, bool is_exception) {
  if (f->Done()) {
    return RaiseNewException(ts, InvalidStateErrorClass(),
                             std::string(StateName(f->state)) + ": " + FutureRepr(self_value, f));
  }
  Incref(value);
  if (is_exception) {
    Decref(f->exception);
    f->exception = value;
  } else {
    Decref(f->result);
    f->result = value;
  }
  f->state = FutureState::kFinished;
  MarkChanged(f);
  InvokeCallbacks(ts, self_value, f);
  return true;
}

// Waits (GIL released) until `ready()` or the deadline; kDone when ready. Counted in the lock
// statistics as CPython's wait on the future's condition would be.
template <typename Ready>
WaitStatus WaitFor(ThreadState& ts, int64_t deadline, Ready ready) {
  return FuturesChanged().CountedWaitUntil(ts, deadline, ready);
}

// result() and exception(): waits up to `timeout_arg`, then CancelledError, TimeoutError or
// the outcome.
bool WaitOutcome(ThreadState& ts, FutureObj* f, Value timeout_arg) {
  int64_t timeout;
  if (!WaitTimeoutArg(ts, timeout_arg, &timeout)) return false;
  WaitStatus status = WaitFor(ts, DeadlineAfter(timeout), [f] { return f->Done(); });
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  if (f->Cancelled()) return RaiseNewException(ts, CancelledErrorClass());
  if (f->state != FutureState::kFinished) return ts.Raise("TimeoutError", "");
  return true;
}

bool FutureInit(ThreadState& ts, const CallArgs& call, Value* result) {
  const Value* args;
  int nargs;
  const Value v = SplitReceiver(call, &args, &nargs);
  if (!IsInstanceObj(v) || AsInstance(v)->cls->native != NativeBase::kSync) {
    return ts.Raise("TypeError", "descriptor '__init__' requires a 'Future' object");
  }
  if (nargs != 0) {
    return ts.Raise("TypeError", "Future.__init__() takes 1 positional argument but " +
                                     std::to_string(nargs + 1) + " were given");
  }
  AsInstance(v)->SetNative(new FutureObj());
  *result = Value::None();
  return true;
}

#define FUTURE_SELF(METHOD) \
  Value self_value;         \
  FutureObj* f;             \
  const Value* args;        \
  int nargs;                \
  if (!FutureSelf(ts, call, METHOD, &self_value, &f, &args, &nargs)) return false;

bool FutureResult(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("result");
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "result", {"timeout"}, 0, p)) return false;
  if (!WaitOutcome(ts, f, p[0])) return false;
  if (!f->exception.is_none()) return ReraiseException(ts, f->exception);
  *result = f->result;
  Incref(*result);
  return true;
}

bool FutureException(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("exception");
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "exception", {"timeout"}, 0, p)) return false;
  if (!WaitOutcome(ts, f, p[0])) return false;
  *result = f->exception;
  Incref(*result);
  return true;
}

bool FutureDone(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("done");
  if (!BindMethodArgs(ts, call, args, nargs, "done", {}, 0, nullptr)) return false;
  *result = Value::Bool(f->Done());
  return true;
}

bool FutureRunning(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("running");
  if (!BindMethodArgs(ts, call, args, nargs, "running", {}, 0, nullptr)) return false;
  *result = Value::Bool(f->state == FutureState::kRunning);
  return true;
}

bool FutureCancelled(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("cancelled");
  if (!BindMethodArgs(ts, call, args, nargs, "cancelled", {}, 0, nullptr)) return false;
  *result = Value::Bool(f->Cancelled());
  return true;
}

bool FutureCancel(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("cancel");
  if (!BindMethodArgs(ts, call, args, nargs, "cancel", {}, 0, nullptr)) return false;
  *result = Value::Bool(CancelFuture(ts, self_value, f));
  return true;
}

bool FutureAddDoneCallback(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("add_done_callback");
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "add_done_callback", {"fn"}, 1, p)) return false;
  *result = Value::None();
  if (!f->Cancelled() && f->state != FutureState::kFinished) {
    Incref(p[0]);
    f->callbacks.push_back(p[0]);
    return true;
  }
  Value ignored;
  if (ts.interp->Call(ts, p[0], &self_value, 1, nullptr, &ignored)) {
    Decref(ignored);
  } else {
    ts.interp->PrintError(ts, "exception calling callback for " + FutureRepr(self_value, f) + "\n");
    ts.ClearError();
  }
  return true;
}

bool FutureSetRunningOrNotifyCancel(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("set_running_or_notify_cancel");
  if (!BindMethodArgs(ts, call, args, nargs, "set_running_or_notify_cancel", {}, 0, nullptr)) {
    return false;
  }
  bool running;
  if (!SetRunningOrNotifyCancel(ts, f, &running)) return false;
  *result = Value::Bool(running);
  return true;
}

bool FutureSetResult(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("set_result");
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "set_result", {"result"}, 1, p)) return false;
  if (!SetOutcome(ts, self_value, f, p[0], false)) return false;
  *result = Value::None();
  return true;
}

bool FutureSetException(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("set_exception");
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "set_exception", {"exception"}, 1, p)) return false;
  if (!SetOutcome(ts, self_value, f, p[0], true)) return false;
  *result = Value::None();
  return true;
}

// The callbacks a ProcessPoolExecutor hands its multiprocessing Pool (bound to the future): the
// outcome of the call; a worker's death (the Pool's ProcessError) becomes BrokenProcessPool, as
// CPython's executor reports it. A future already settled (its pool broke) is left alone.
bool PoolOutcome(ThreadState& ts, const CallArgs& call, Value* result, bool is_error) {
  FUTURE_SELF(is_error ? "_pool_error" : "_pool_result");
  *result = Value::None();
  if (nargs != 1 || f->Done()) return true;
  Value value = args[0];
  Value broken = Value::Undefined();
  if (is_error && IsInstanceObj(value) && AsInstance(value)->cls == ProcessErrorClass()) {
    if (!NewError(ts, BrokenProcessPoolClass(), kWorkerDied, &broken)) return false;
    value = broken;
  }
  if (is_error && IsExceptionInstance(value)) {
    // The worker's traceback, as the cause: concurrent.futures' own class for it.
    ExceptionObj* e = AsException(value);
    if (IsInstanceObj(e->cause) && AsInstance(e->cause)->cls->name == "RemoteTraceback") {
      Value remote = Value::Object(NewInstanceOf(RemoteTracebackClass()));
      Value text = ExceptionArgs(e->cause);
      SetExceptionArgs(remote, static_cast<TupleObj*>(text.o)->items.data(),
                       static_cast<int>(static_cast<TupleObj*>(text.o)->items.size()), nullptr);
      Decref(e->cause);
      e->cause = remote;
    }
  }
  bool ok = SetOutcome(ts, self_value, f, value, is_error);
  Decref(broken);
  return ok;
}
bool FuturePoolResult(ThreadState& ts, const CallArgs& call, Value* result) {
  return PoolOutcome(ts, call, result, false);
}
bool FuturePoolError(ThreadState& ts, const CallArgs& call, Value* result) {
  return PoolOutcome(ts, call, result, true);
}

bool FutureReprMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  FUTURE_SELF("__repr__");
  (void)args;
  (void)nargs;
  *result = MakeStr(FutureRepr(self_value, f));
  return true;
}

ClassObj* FutureClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls =
        NewSyncClass("Future", {{"__init__", FutureInit},
                                {"result", FutureResult},
                                {"exception", FutureException},
                                {"done", FutureDone},
                                {"running", FutureRunning},
                                {"cancelled", FutureCancelled},
                                {"cancel", FutureCancel},
                                {"add_done_callback", FutureAddDoneCallback},
                                {"set_running_or_notify_cancel", FutureSetRunningOrNotifyCancel},
                                {"set_result", FutureSetResult},
                                {"set_exception", FutureSetException},
                                {"_pool_result", FuturePoolResult},
                                {"_pool_error", FuturePoolError},
                                {"__repr__", FutureReprMethod}});
    cls->module = "concurrent.futures._base";
    return cls;
  }();
  return kClass;
}

Value NewFuture() { return NewSyncInstance(FutureClass(), new FutureObj()); }

// --- ThreadPoolExecutor -------------------------------------------------------------------------

struct WorkItem {
  Value future;             // owned
  Value fn;                 // owned
  std::vector<Value> args;  // owned: positional then keyword values
  std::vector<std::string> kwnames;
};

void DropWorkItem(WorkItem& w) {
  Decref(w.future);
  Decref(w.fn);
  for (Value v : w.args) Decref(v);
}

struct ExecutorObj : SyncObj {
  // Guarded by the GIL.
  std::deque<WorkItem> queue;
  std::vector<ThreadObj*> threads;  // owned until joined (a cycle through the worker's args)
  int64_t max_workers = 1;
  int64_t idle = 0;  // CPython's _idle_semaphore
  std::string prefix;
  bool shutdown = false;
  // A ProcessPoolExecutor: its multiprocessing Pool (made at the first submit), the futures
  // sent to it with their ApplyResults, and whether a worker's death broke it. Its one thread
  // (in `threads`) is the manager, which moves the pool's results (CPython's manager thread).
  bool process = false;
  bool broken = false;
  Value pool = Value::Undefined();                // owned
  std::deque<std::pair<Value, Value>> in_flight;  // owned: (future, ApplyResult)
  Interpreter* interp = nullptr;
  ChangeSignal work_changed;  // bumped when work is queued or the pool shuts down
  ExecutorObj() : SyncObj(SyncKind::kExecutor) {}
  ~ExecutorObj() override;
};

// The executors alive, for the interpreter's exit (FuturesAtExit).
std::mutex g_executors_mutex;
std::vector<ExecutorObj*>& Executors() {
  static auto* const kExecutors = new std::vector<ExecutorObj*>();
  return *kExecutors;
}

ExecutorObj::~ExecutorObj() {
  for (WorkItem& w : queue) DropWorkItem(w);
  for (ThreadObj* t : threads) DecrefObj(t);
  for (auto& [fut, handle] : in_flight) {
    Decref(fut);
    Decref(handle);
  }
  Decref(pool);
  std::lock_guard<std::mutex> lock(g_executors_mutex);
  auto& all = Executors();
  all.erase(std::remove(all.begin(), all.end(), this), all.end());
}

ClassObj* ExecutorClass();

bool ExecutorSelf(ThreadState& ts, const CallArgs& call, const char* method, Value* self_value,
                  ExecutorObj** self, const Value** args, int* nargs) {
  InstanceObj* inst;
  if (!SyncSelf(ts, call, SyncKind::kExecutor, "ThreadPoolExecutor", method, &inst, args, nargs)) {
    return false;
  }
  *self_value = Value::Object(inst);
  *self = static_cast<ExecutorObj*>(inst->native());
  return true;
}

#define EXECUTOR_SELF(METHOD) \
  Value self_value;           \
  ExecutorObj* ex;            \
  const Value* args;          \
  int nargs;                  \
  if (!ExecutorSelf(ts, call, METHOD, &self_value, &ex, &args, &nargs)) return false;

// Runs one work item in a worker (CPython's _WorkItem.run): the outcome goes to the future.
void RunWorkItem(ThreadState& ts, WorkItem& w) {
  FutureObj* f = FutureOf(w.future);
  bool running;
  if (!SetRunningOrNotifyCancel(ts, f, &running) || !running) {
    ts.ClearError();
    return;
  }
  std::vector<std::string_view> names(w.kwnames.begin(), w.kwnames.end());
  Value value;
  if (ts.interp->Call(ts, w.fn, w.args.data(), static_cast<int>(w.args.size()),
                      names.empty() ? nullptr : &names, &value)) {
    SetOutcome(ts, w.future, f, value, false);
    Decref(value);
  } else {
    NoteRaisedError(ts);
    Value exc = ts.exc_value;
    Incref(exc);
    ts.ClearError();
    SetOutcome(ts, w.future, f, exc, true);
    Decref(exc);
  }
  if (ts.has_error) ts.ClearError();
}

// The target of a pool's worker threads (CPython's _worker): takes work items until the pool
// shuts down and its queue is empty.
bool WorkerMain(ThreadState& ts, const CallArgs& call, Value* result) {
  ExecutorObj* ex = static_cast<ExecutorObj*>(SyncOf(call.args[0], SyncKind::kExecutor));
  IncrefObj(ex);
  for (;;) {
    // A worker is never the main thread: no Ctrl-C ends this wait.
    ex->work_changed.WaitUntil(ts, INT64_MAX, [ex] { return !ex->queue.empty() || ex->shutdown; });
    if (ex->queue.empty()) break;
    WorkItem w = std::move(ex->queue.front());
    ex->queue.pop_front();
    RunWorkItem(ts, w);
    DropWorkItem(w);
    ++ex->idle;
  }
  DecrefObj(ex);
  *result = Value::None();
  return true;
}

Value WorkerFunction() {
  static NativeObj* const kWorker = MakeImmortalNative("_worker", WorkerMain, false);
  return Value::Object(kWorker);
}

std::atomic<int64_t> g_executor_counter{0};

// The online CPUs, at least 1: the default pool sizes are counted from it.
int64_t OnlineCpus() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? n : 1;
}

// What both executors' __init__ do once their arguments are bound: the native state of `self`,
// registered for FuturesAtExit, and its max_workers (`default_workers` when None or not given).
bool InitExecutor(ThreadState& ts, Value self, bool process, Value max_workers,
                  int64_t default_workers, ExecutorObj** out) {
  auto* ex = new ExecutorObj();
  ex->interp = ts.interp;
  ex->process = process;
  AsInstance(self)->SetNative(ex);
  {
    std::lock_guard<std::mutex> lock(g_executors_mutex);
    Executors().push_back(ex);
  }
  *out = ex;
  if (max_workers.is_undefined() || max_workers.is_none()) {
    ex->max_workers = default_workers;
    return true;
  }
  if (!IndexArg(ts, max_workers, &ex->max_workers)) return false;
  if (ex->max_workers <= 0) return ts.Raise("ValueError", "max_workers must be greater than 0");
  return true;
}

bool ExecutorInit(ThreadState& ts, const CallArgs& call, Value* result) {
  const Value* args;
  int nargs;
  const Value v = SplitReceiver(call, &args, &nargs);
  if (!IsInstanceObj(v) || AsInstance(v)->cls->native != NativeBase::kSync) {
    return ts.Raise("TypeError", "descriptor '__init__' requires a 'ThreadPoolExecutor' object");
  }
  Value p[2];
  if (!BindMethodArgs(ts, call, args, nargs, "__init__", {"max_workers", "thread_name_prefix"}, 0,
                      p)) {
    return false;
  }
  ExecutorObj* ex;
  if (!InitExecutor(ts, v, false, p[0], std::min<int64_t>(32, OnlineCpus() + 4), &ex)) {
    return false;
  }
  if (!p[1].is_undefined() && IsTruthy(p[1])) {
    if (!StrOf(ts, p[1], &ex->prefix)) return false;
  } else {
    ex->prefix = "ThreadPoolExecutor-" + std::to_string(g_executor_counter++);
  }
  *result = Value::None();
  return true;
}

// CPython's _adjust_thread_count: an idle worker takes the item, else a new one starts while
// fewer than max_workers run.
bool AdjustThreadCount(ThreadState& ts, Value self_value, ExecutorObj* ex) {
  if (ex->idle > 0) {
    --ex->idle;
    return true;
  }
  if (static_cast<int64_t>(ex->threads.size()) >= ex->max_workers) return true;
  auto* thread = new ThreadObj();
  thread->name = ex->prefix + "_" + std::to_string(ex->threads.size());
  thread->target = WorkerFunction();
  Incref(self_value);
  thread->args = MakeTuple({self_value});
  thread->daemon = false;
  if (!ts.interp->StartThread(ts, thread)) {
    DecrefObj(thread);
    return false;
  }
  ex->threads.push_back(thread);
  return true;
}

bool ProcessSubmit(ThreadState& ts, Value self_value, ExecutorObj* ex, Value fn, const Value* args,
                   int nargs, const std::vector<std::string_view>* kwnames, Value* result);

bool Submit(ThreadState& ts, Value self_value, ExecutorObj* ex, Value fn, const Value* args,
            int nargs, const std::vector<std::string_view>* kwnames, Value* result) {
  if (ex->process) return ProcessSubmit(ts, self_value, ex, fn, args, nargs, kwnames, result);
  if (ex->shutdown) {
    return ts.Raise("RuntimeError", "cannot schedule new futures after shutdown");
  }
  WorkItem w;
  w.future = NewFuture();
  w.fn = fn;
  Incref(fn);
  for (int i = 0; i < nargs; ++i) {
    Incref(args[i]);
    w.args.push_back(args[i]);
  }
  if (kwnames != nullptr) {
    for (std::string_view k : *kwnames) w.kwnames.emplace_back(k);
  }
  *result = w.future;
  Incref(*result);
  ex->queue.push_back(std::move(w));
  ex->work_changed.Notify();
  if (!AdjustThreadCount(ts, self_value, ex)) {
    Decref(*result);
    return false;
  }
  return true;
}

bool ExecutorSubmit(ThreadState& ts, const CallArgs& call, Value* result) {
  EXECUTOR_SELF("submit");
  const int nkw = call.kwnames ? static_cast<int>(call.kwnames->size()) : 0;
  if (nargs - nkw < 1) {
    return ts.Raise("TypeError", std::string(ex->process ? "Process" : "Thread") +
                                     "PoolExecutor.submit() missing 1 required positional "
                                     "argument: 'fn'");
  }
  return Submit(ts, self_value, ex, args[0], args + 1, nargs - 1, call.kwnames, result);
}

// Joins the pool's workers (GIL released; in the main thread Ctrl-C interrupts it, as
// Thread.join) and drops the executor's references to them.
bool JoinWorkers(ThreadState& ts, ExecutorObj* ex) {
  std::vector<ThreadObj*> threads = std::move(ex->threads);
  ex->threads.clear();
  bool ok = true;
  for (ThreadObj* t : threads) {
    if (ok && !ts.interp->JoinThreadFor(ts, t, kNoTimeout)) ok = false;  // Ctrl-C ends it
    DecrefObj(t);
  }
  return ok;
}

bool Shutdown(ThreadState& ts, ExecutorObj* ex, bool wait, bool cancel_futures) {
  ex->shutdown = true;
  if (cancel_futures) {
    std::deque<WorkItem> items = std::move(ex->queue);
    ex->queue.clear();
    for (WorkItem& w : items) {
      CancelFuture(ts, w.future, FutureOf(w.future));
      DropWorkItem(w);
    }
  }
  ex->work_changed.Notify();
  if (wait) return JoinWorkers(ts, ex);
  return true;
}

bool ExecutorShutdown(ThreadState& ts, const CallArgs& call, Value* result) {
  EXECUTOR_SELF("shutdown");
  const int nkw = call.kwnames ? static_cast<int>(call.kwnames->size()) : 0;
  if (nargs - nkw > 1) {
    return ts.Raise("TypeError", std::string(ex->process ? "Process" : "Thread") +
                                     "PoolExecutor.shutdown() takes from 1 to 2 positional "
                                     "arguments but " +
                                     std::to_string(nargs - nkw + 1) + " were given");
  }
  Value p[2];
  if (!BindMethodArgs(ts, call, args, nargs, "shutdown", {"wait", "cancel_futures"}, 0, p)) {
    return false;
  }
  if (!Shutdown(ts, ex, p[0].is_undefined() || IsTruthy(p[0]),
                !p[1].is_undefined() && IsTruthy(p[1]))) {
    return false;
  }
  *result = Value::None();
  return true;
}

bool ExecutorEnter(ThreadState& ts, const CallArgs& call, Value* result) {
  EXECUTOR_SELF("__enter__");
  (void)args;
  (void)nargs;
  *result = self_value;
  Incref(*result);
  return true;
}

bool ExecutorExit(ThreadState& ts, const CallArgs& call, Value* result) {
  EXECUTOR_SELF("__exit__");
  (void)args;
  (void)nargs;
  if (!Shutdown(ts, ex, true, false)) return false;
  *result = Value::Bool(false);
  return true;
}

// --- the iterators of map() and as_completed() --------------------------------------------------

enum class IterKind : uint8_t { kMap, kAsCompleted };

struct FuturesIterObj : SyncObj {
  IterKind ikind;
  std::deque<Value> futures;  // owned: map's still to yield; as_completed's pending
  std::deque<Value> ready;    // owned: as_completed's finished, not yet yielded
  int64_t deadline = INT64_MAX;
  bool started = false;
  size_t total = 0;
  Value source = Value::Undefined();  // owned: as_completed's fs until the first next()
  explicit FuturesIterObj(IterKind k) : SyncObj(SyncKind::kFuturesIter), ikind(k) {}
  ~FuturesIterObj() override {
    for (Value v : futures) Decref(v);
    for (Value v : ready) Decref(v);
    Decref(source);
  }
};

ClassObj* FuturesIterClass();

bool IterIter(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* inst;
  const Value* args;
  int nargs;
  if (!SyncSelf(ts, call, SyncKind::kFuturesIter, "generator", "__iter__", &inst, &args, &nargs)) {
    return false;
  }
  *result = Value::Object(inst);
  Incref(*result);
  return true;
}

// map's next(): the next future's result, waiting up to the deadline; on an error the futures
// left are cancelled (the generator's finally in CPython).
bool MapNext(ThreadState& ts, FuturesIterObj* it, Value* result) {
  if (it->futures.empty()) return ts.Raise("StopIteration", "");
  Value fut = it->futures.front();
  it->futures.pop_front();
  FutureObj* f = FutureOf(fut);
  const int64_t deadline = it->deadline;
  WaitStatus status = WaitFor(ts, deadline, [f] { return f->Done(); });
  bool ok;
  if (status == WaitStatus::kInterrupted) {
    ok = RaiseInterrupt(ts);
  } else if (f->Cancelled()) {
    ok = RaiseNewException(ts, CancelledErrorClass());
  } else if (f->state != FutureState::kFinished) {
    ok = ts.Raise("TimeoutError", "");
  } else if (!f->exception.is_none()) {
    ok = ReraiseException(ts, f->exception);
  } else {
    *result = f->result;
    Incref(*result);
    ok = true;
  }
  if (!ok) {
    // _result_or_cancel cancels the one waited for, the finally clause the rest.
    std::deque<Value> rest = std::move(it->futures);
    it->futures.clear();
    rest.push_front(fut);
    for (Value v : rest) {
      CancelFuture(ts, v, FutureOf(v));
      Decref(v);
    }
    return false;
  }
  Decref(fut);
  return true;
}

bool AsCompletedNext(ThreadState& ts, FuturesIterObj* it, Value* result) {
  if (!it->started) {
    it->started = true;
    std::vector<Value> items;
    Value source = it->source;
    it->source = Value::Undefined();
    bool ok = CollectIterable(ts, source, &items);
    Decref(source);
    if (!ok) return false;
    std::vector<Value> unique;
    Value bad = Value::Undefined();
    for (Value v : items) {
      const bool seen = std::find_if(unique.begin(), unique.end(),
                                     [v](Value u) { return u.o == v.o; }) != unique.end();
      if (seen || !bad.is_undefined()) {
        Decref(v);
      } else if (FutureOf(v) == nullptr) {
        bad = v;
      } else {
        unique.push_back(v);
      }
    }
    if (!bad.is_undefined()) {
      for (Value u : unique) Decref(u);
      ts.Raise("AttributeError",
               std::string("'") + TypeName(bad) + "' object has no attribute '_condition'");
      Decref(bad);
      return false;
    }
    it->total = unique.size();
    for (Value v : unique) {
      if (FutureOf(v)->Settled()) {
        it->ready.push_back(v);
      } else {
        it->futures.push_back(v);
      }
    }
  }
  for (;;) {
    if (!it->ready.empty()) {
      *result = it->ready.front();
      it->ready.pop_front();
      return true;
    }
    if (it->futures.empty()) return ts.Raise("StopIteration", "");
    // The ones finished since, in the order they finished.
    std::vector<Value> done;
    std::deque<Value> still;
    for (Value v : it->futures) {
      if (FutureOf(v)->Settled()) {
        done.push_back(v);
      } else {
        still.push_back(v);
      }
    }
    if (!done.empty()) {
      std::sort(done.begin(), done.end(), [](Value a, Value b) {
        return FutureOf(a)->finished_seq < FutureOf(b)->finished_seq;
      });
      it->futures = std::move(still);
      for (Value v : done) it->ready.push_back(v);
      continue;
    }
    if (it->deadline != INT64_MAX && gil::MonotonicNs() >= it->deadline) {
      return ts.Raise("TimeoutError", std::to_string(it->futures.size()) + " (of " +
                                          std::to_string(it->total) + ") futures unfinished");
    }
    FuturesIterObj* self = it;
    WaitStatus status = WaitFor(ts, it->deadline, [self] {
      for (Value v : self->futures)
        if (FutureOf(v)->Settled()) return true;
      return false;
    });
    if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  }
}

bool IterNextMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* inst;
  const Value* args;
  int nargs;
  if (!SyncSelf(ts, call, SyncKind::kFuturesIter, "generator", "__next__", &inst, &args, &nargs)) {
    return false;
  }
  auto* it = static_cast<FuturesIterObj*>(inst->native());
  return it->ikind == IterKind::kMap ? MapNext(ts, it, result) : AsCompletedNext(ts, it, result);
}

ClassObj* FuturesIterClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls =
        NewSyncClass("generator", {{"__iter__", IterIter}, {"__next__", IterNextMethod}});
    cls->module = "builtins";
    return cls;
  }();
  return kClass;
}

// A deadline from a timeout argument (None: none).
bool DeadlineArg(ThreadState& ts, Value timeout_arg, int64_t* deadline) {
  int64_t timeout;
  if (!WaitTimeoutArg(ts, timeout_arg, &timeout)) return false;
  *deadline = DeadlineAfter(timeout);
  return true;
}

// map(fn, *iterables, timeout=None, chunksize=1): every call submitted now, the results
// yielded in order by the iterator.
bool ExecutorMap(ThreadState& ts, const CallArgs& call, Value* result) {
  EXECUTOR_SELF("map");
  const int nkw = call.kwnames ? static_cast<int>(call.kwnames->size()) : 0;
  const int npos = nargs - nkw;
  Value timeout_arg = Value::Undefined();
  for (int k = 0; k < nkw; ++k) {
    std::string_view key = (*call.kwnames)[k];
    if (key == "timeout") {
      timeout_arg = args[npos + k];
    } else if (key != "chunksize") {
      return ts.Raise("TypeError", "Executor.map() got an unexpected keyword argument '" +
                                       std::string(key) + "'");
    }
  }
  if (npos < 1) {
    return ts.Raise("TypeError", "Executor.map() missing 1 required positional argument: 'fn'");
  }
  int64_t deadline;
  if (!DeadlineArg(ts, timeout_arg, &deadline)) return false;
  auto* it = new FuturesIterObj(IterKind::kMap);
  it->deadline = deadline;
  Value iter_value = NewSyncInstance(FuturesIterClass(), it);
  const int niter = npos - 1;
  if (niter > 0) {
    std::vector<Value> iters(static_cast<size_t>(niter));
    bool ok = true;
    int made = 0;
    for (; made < niter && ok; ++made)
      ok = GetIter(ts, args[1 + made], &iters[static_cast<size_t>(made)]);
    if (!ok) --made;
    while (ok) {
      std::vector<Value> items;
      bool end = false;
      for (int i = 0; i < niter && ok && !end; ++i) {
        Value item;
        switch (IterNext(ts, iters[static_cast<size_t>(i)], &item)) {
          case Interpreter::IterResult::kItem:
            items.push_back(item);
            break;
          case Interpreter::IterResult::kDone:
            end = true;
            break;
          case Interpreter::IterResult::kError:
            ok = false;
            break;
        }
      }
      if (ok && !end) {
        Value fut;
        ok = Submit(ts, self_value, ex, args[0], items.data(), static_cast<int>(items.size()),
                    nullptr, &fut);
        if (ok) it->futures.push_back(fut);
      }
      for (Value v : items) Decref(v);
      if (end) break;
    }
    for (int i = 0; i < made; ++i) Decref(iters[static_cast<size_t>(i)]);
    if (!ok) {
      Decref(iter_value);
      return false;
    }
  }
  *result = iter_value;
  return true;
}

// --- ProcessPoolExecutor: futures run by a multiprocessing Pool -------------------------------

// obj.name(*args); the result (a new reference) in *out when given, else dropped.
bool CallMethod(ThreadState& ts, Value obj, const char* name, const Value* args, int nargs,
                Value* out = nullptr) {
  Value method;
  if (!GetAttr(ts, obj, name, &method)) return false;
  Value r;
  const bool ok = ts.interp->Call(ts, method, args, nargs, nullptr, &r);
  Decref(method);
  if (!ok) return false;
  if (out != nullptr) {
    *out = r;
  } else {
    Decref(r);
  }
  return true;
}

// Forgets the futures that have their outcome.
void DropSettled(ExecutorObj* ex) {
  std::deque<std::pair<Value, Value>> keep;
  for (auto& entry : ex->in_flight) {
    if (FutureOf(entry.first)->Done()) {
      Decref(entry.first);
      Decref(entry.second);
    } else {
      keep.push_back(entry);
    }
  }
  ex->in_flight = std::move(keep);
}

// Whether a worker died under one of the futures (PoolOutcome made it BrokenProcessPool).
bool WorkerDiedUnder(ExecutorObj* ex) {
  for (auto& entry : ex->in_flight) {
    FutureObj* f = FutureOf(entry.first);
    if (f->state == FutureState::kFinished && IsInstanceObj(f->exception) &&
        AsInstance(f->exception)->cls == BrokenProcessPoolClass()) {
      return true;
    }
  }
  return false;
}

// As CPython's executor when a worker dies: every future not settled fails with
// BrokenProcessPool, the pool is terminated and takes no more work.
void BreakPool(ThreadState& ts, ExecutorObj* ex) {
  ex->broken = true;
  for (auto& entry : ex->in_flight) {
    FutureObj* f = FutureOf(entry.first);
    if (f->Done()) continue;
    Value err;
    if (!NewError(ts, BrokenProcessPoolClass(), kWorkerDied, &err)) break;
    SetOutcome(ts, entry.first, f, err, true);
    Decref(err);
  }
  if (ts.has_error) ts.ClearError();
  if (!CallMethod(ts, ex->pool, "terminate", nullptr, 0)) ts.ClearError();
}

// The manager thread of a ProcessPoolExecutor: waits on the oldest future's ApplyResult, which
// moves every result the workers have sent (their callbacks settle the futures), until the
// executor shuts down with nothing in flight; then closes and joins the pool.
bool ManagerMain(ThreadState& ts, const CallArgs& call, Value* result) {
  auto* ex = static_cast<ExecutorObj*>(SyncOf(call.args[0], SyncKind::kExecutor));
  IncrefObj(ex);
  for (;;) {
    if (!ex->broken && WorkerDiedUnder(ex)) BreakPool(ts, ex);
    DropSettled(ex);
    if (ex->in_flight.empty()) {
      if (ex->shutdown) break;
      const uint64_t seen = ex->work_changed.Snapshot();
      if (!ex->in_flight.empty() || ex->shutdown) continue;
      GilReleased released(ts);
      ex->work_changed.WaitPast(ts, seen, INT64_MAX);
      continue;
    }
    Value handle = ex->in_flight.front().second;
    Incref(handle);
    if (!CallMethod(ts, handle, "wait", nullptr, 0)) ts.ClearError();
    Decref(handle);
  }
  if (!ex->pool.is_undefined() && !ex->broken) {
    if (!CallMethod(ts, ex->pool, "close", nullptr, 0) ||
        !CallMethod(ts, ex->pool, "join", nullptr, 0)) {
      ts.ClearError();
    }
  }
  DecrefObj(ex);
  *result = Value::None();
  return true;
}

Value ManagerFunction() {
  static NativeObj* const kManager = MakeImmortalNative("_manager", ManagerMain, false);
  return Value::Object(kManager);
}

// submit() of a ProcessPoolExecutor: the call goes to the pool at once (apply_async, the
// function by name as pickle sends it), the future settled by the pool's callbacks.
bool ProcessSubmit(ThreadState& ts, Value self_value, ExecutorObj* ex, Value fn, const Value* args,
                   int nargs, const std::vector<std::string_view>* kwnames, Value* result) {
  if (!ex->broken && WorkerDiedUnder(ex)) BreakPool(ts, ex);  // before the manager sees it
  if (ex->broken) return RaiseNewException(ts, BrokenProcessPoolClass(), kPoolBroken);
  if (ex->shutdown) return ts.Raise("RuntimeError", "cannot schedule new futures after shutdown");
  if (ex->pool.is_undefined()) {
    Value mp = ts.interp->ImportModule("multiprocessing");
    Value n = Value::Int(ex->max_workers);
    Value made;
    if (!ts.interp->Call(ts, static_cast<ModuleObj*>(mp.o)->Get("Pool"), &n, 1, nullptr, &made)) {
      return false;
    }
    ex->pool = made;
  }
  const int nkw = kwnames ? static_cast<int>(kwnames->size()) : 0;
  const int npos = nargs - nkw;
  std::vector<Value> positional(args, args + npos);
  for (Value v : positional) Incref(v);
  DictObj* kwds = NewDict();
  Value call_args[5] = {fn, MakeTuple(std::move(positional)), Value::Object(kwds),
                        Value::Undefined(), Value::Undefined()};
  Value fut = NewFuture();
  bool ok = true;
  for (int k = 0; k < nkw && ok; ++k) {
    Value key = MakeStr(std::string((*kwnames)[k]));
    ok = DictSet(ts, kwds, key, args[npos + k]);
    Decref(key);
  }
  ok = ok && GetAttr(ts, fut, "_pool_result", &call_args[3]);
  ok = ok && GetAttr(ts, fut, "_pool_error", &call_args[4]);
  Value handle;
  ok = ok && CallMethod(ts, ex->pool, "apply_async", call_args, 5, &handle);
  for (int i = 1; i < 5; ++i) Decref(call_args[i]);
  if (!ok) {
    Decref(fut);
    return false;
  }
  FutureOf(fut)->state = FutureState::kRunning;
  Incref(fut);
  ex->in_flight.emplace_back(fut, handle);
  ex->work_changed.Notify();
  if (ex->threads.empty()) {
    auto* thread = new ThreadObj();
    thread->name = ts.interp->NextThreadName("");
    thread->target = ManagerFunction();
    Incref(self_value);
    thread->args = MakeTuple({self_value});
    if (!ts.interp->StartThread(ts, thread)) {
      DecrefObj(thread);
      Decref(fut);
      return false;
    }
    ex->threads.push_back(thread);
  }
  *result = fut;
  return true;
}

bool ProcessExecutorInit(ThreadState& ts, const CallArgs& call, Value* result) {
  const Value* args;
  int nargs;
  const Value v = SplitReceiver(call, &args, &nargs);
  if (!IsInstanceObj(v) || AsInstance(v)->cls->native != NativeBase::kSync) {
    return ts.Raise("TypeError", "descriptor '__init__' requires a 'ProcessPoolExecutor' object");
  }
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "__init__", {"max_workers"}, 0, p)) return false;
  ExecutorObj* ex;
  if (!InitExecutor(ts, v, true, p[0], OnlineCpus(), &ex)) return false;
  *result = Value::None();
  return true;
}

ClassObj* ProcessExecutorClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewSyncClass("ProcessPoolExecutor", {{"__init__", ProcessExecutorInit},
                                                         {"submit", ExecutorSubmit},
                                                         {"map", ExecutorMap},
                                                         {"shutdown", ExecutorShutdown},
                                                         {"__enter__", ExecutorEnter},
                                                         {"__exit__", ExecutorExit}});
    cls->module = "concurrent.futures.process";
    return cls;
  }();
  return kClass;
}

ClassObj* ExecutorClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewSyncClass("ThreadPoolExecutor", {{"__init__", ExecutorInit},
                                                        {"submit", ExecutorSubmit},
                                                        {"map", ExecutorMap},
                                                        {"shutdown", ExecutorShutdown},
                                                        {"__enter__", ExecutorEnter},
                                                        {"__exit__", ExecutorExit}});
    cls->module = "concurrent.futures.thread";
    return cls;
  }();
  return kClass;
}

// --- as_completed and wait ----------------------------------------------------------------------

bool AsCompleted(ThreadState& ts, const CallArgs& call, Value* result) {
  Value p[2];
  if (!BindMethodArgs(ts, call, call.args, call.nargs, "as_completed", {"fs", "timeout"}, 1, p)) {
    return false;
  }
  int64_t deadline;
  if (!DeadlineArg(ts, p[1], &deadline)) return false;
  auto* it = new FuturesIterObj(IterKind::kAsCompleted);
  it->deadline = deadline;
  it->source = p[0];
  Incref(p[0]);
  *result = NewSyncInstance(FuturesIterClass(), it);
  return true;
}

// wait()'s named 2-tuple (done, not_done): unpacks, indexes and names its fields.
struct DoneObj : SyncObj {
  Value pair;  // owned tuple
  DoneObj() : SyncObj(SyncKind::kDoneTuple) {}
  ~DoneObj() override { Decref(pair); }
};

DoneObj* DoneSelf(ThreadState& ts, const CallArgs& call, const char* method, const Value** args,
                  int* nargs) {
  InstanceObj* inst;
  if (!SyncSelf(ts, call, SyncKind::kDoneTuple, "DoneAndNotDoneFutures", method, &inst, args,
                nargs)) {
    return nullptr;
  }
  return static_cast<DoneObj*>(inst->native());
}

bool DoneIter(ThreadState& ts, const CallArgs& call, Value* result) {
  const Value* args;
  int nargs;
  DoneObj* d = DoneSelf(ts, call, "__iter__", &args, &nargs);
  return d != nullptr && GetIter(ts, d->pair, result);
}

bool DoneLen(ThreadState& ts, const CallArgs& call, Value* result) {
  const Value* args;
  int nargs;
  if (DoneSelf(ts, call, "__len__", &args, &nargs) == nullptr) return false;
  *result = Value::Int(2);
  return true;
}

bool DoneGetItem(ThreadState& ts, const CallArgs& call, Value* result) {
  const Value* args;
  int nargs;
  DoneObj* d = DoneSelf(ts, call, "__getitem__", &args, &nargs);
  if (d == nullptr) return false;
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "__getitem__", {"key"}, 1, p)) return false;
  int64_t i;
  if (!IndexArg(ts, p[0], &i)) return false;
  if (i < 0) i += 2;
  if (i < 0 || i > 1) return ts.Raise("IndexError", "tuple index out of range");
  *result = static_cast<TupleObj*>(d->pair.o)->items[static_cast<size_t>(i)];
  Incref(*result);
  return true;
}

bool DoneField(ThreadState& ts, const CallArgs& call, size_t i, Value* result) {
  const Value* args;
  int nargs;
  DoneObj* d = DoneSelf(ts, call, "field", &args, &nargs);
  if (d == nullptr) return false;
  *result = static_cast<TupleObj*>(d->pair.o)->items[i];
  Incref(*result);
  return true;
}
bool DoneDone(ThreadState& ts, const CallArgs& call, Value* result) {
  return DoneField(ts, call, 0, result);
}
bool DoneNotDone(ThreadState& ts, const CallArgs& call, Value* result) {
  return DoneField(ts, call, 1, result);
}

bool DoneRepr(ThreadState& ts, const CallArgs& call, Value* result) {
  const Value* args;
  int nargs;
  DoneObj* d = DoneSelf(ts, call, "__repr__", &args, &nargs);
  if (d == nullptr) return false;
  std::string done, not_done;
  if (!ReprOf(ts, static_cast<TupleObj*>(d->pair.o)->items[0], &done) ||
      !ReprOf(ts, static_cast<TupleObj*>(d->pair.o)->items[1], &not_done)) {
    return false;
  }
  *result = MakeStr("DoneAndNotDoneFutures(done=" + done + ", not_done=" + not_done + ")");
  return true;
}

ClassObj* DoneClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewSyncClass("DoneAndNotDoneFutures", {{"__iter__", DoneIter},
                                                           {"__len__", DoneLen},
                                                           {"__getitem__", DoneGetItem},
                                                           {"__repr__", DoneRepr}});
    cls->attrs.emplace_back("done", NewNativeProperty("done", DoneDone));
    cls->attrs.emplace_back("not_done", NewNativeProperty("not_done", DoneNotDone));
    cls->module = "concurrent.futures._base";
    return cls;
  }();
  return kClass;
}

enum class ReturnWhen : uint8_t { kFirstCompleted, kFirstException, kAllCompleted };

// Whether wait() may return with the futures as they are.
bool WaitSatisfied(const std::vector<Value>& fs, ReturnWhen when) {
  size_t done = 0;
  bool raised = false;
  for (Value v : fs) {
    FutureObj* f = FutureOf(v);
    if (!f->Settled()) continue;
    ++done;
    if (f->state == FutureState::kFinished && !f->exception.is_none()) raised = true;
  }
  if (done == fs.size()) return true;
  if (when == ReturnWhen::kFirstCompleted) return done > 0;
  if (when == ReturnWhen::kFirstException) return raised;
  return false;
}

bool Wait(ThreadState& ts, const CallArgs& call, Value* result) {
  Value p[3];
  if (!BindMethodArgs(ts, call, call.args, call.nargs, "wait", {"fs", "timeout", "return_when"}, 1,
                      p)) {
    return false;
  }
  ReturnWhen when = ReturnWhen::kAllCompleted;
  if (!p[2].is_undefined()) {
    std::string text, shown;
    if (!StrOf(ts, p[2], &text) || !ReprOf(ts, p[2], &shown)) return false;
    if (text == "FIRST_COMPLETED") {
      when = ReturnWhen::kFirstCompleted;
    } else if (text == "FIRST_EXCEPTION") {
      when = ReturnWhen::kFirstException;
    } else if (text != "ALL_COMPLETED") {
      return ts.Raise("ValueError", "Invalid return condition: " + shown);
    }
  }
  int64_t deadline;
  if (!DeadlineArg(ts, p[1], &deadline)) return false;
  std::vector<Value> items;
  if (!CollectIterable(ts, p[0], &items)) return false;
  std::vector<Value> fs;
  for (Value v : items) {
    if (FutureOf(v) == nullptr) {
      for (Value u : items) Decref(u);
      return ts.Raise("AttributeError",
                      std::string("'") + TypeName(v) + "' object has no attribute '_condition'");
    }
    if (std::find_if(fs.begin(), fs.end(), [v](Value u) { return u.o == v.o; }) == fs.end()) {
      fs.push_back(v);
    }
  }
  WaitStatus status = WaitFor(ts, deadline, [&fs, when] { return WaitSatisfied(fs, when); });
  bool ok = status != WaitStatus::kInterrupted || RaiseInterrupt(ts);
  SetObj* done = NewSet(ObjType::kSet);
  SetObj* not_done = NewSet(ObjType::kSet);
  for (Value v : fs) {
    if (ok) ok = SetAdd(ts, FutureOf(v)->Settled() ? done : not_done, v);
  }
  for (Value u : items) Decref(u);
  if (!ok) {
    DecrefObj(done);
    DecrefObj(not_done);
    return false;
  }
  auto* d = new DoneObj();
  d->pair = MakeTuple({Value::Object(done), Value::Object(not_done)});
  *result = NewSyncInstance(DoneClass(), d);
  return true;
}

}  // namespace

// At the interpreter's exit (CPython's atexit hook of concurrent.futures.thread): every pool
// of `interp` shuts down, its workers finish the queued items and end, and the executors drop
// their references to them (the interpreter joins them next).
void FuturesAtExit(Interpreter* interp) {
  std::vector<ExecutorObj*> mine;
  {
    std::lock_guard<std::mutex> lock(g_executors_mutex);
    for (ExecutorObj* ex : Executors())
      if (ex->interp == interp) mine.push_back(ex);
  }
  for (ExecutorObj* ex : mine) {
    ex->shutdown = true;
    ex->work_changed.Notify();
    std::vector<ThreadObj*> threads = std::move(ex->threads);
    ex->threads.clear();
    for (ThreadObj* t : threads) DecrefObj(t);
  }
}

Value CreateFuturesProcessModule() {
  auto* m = new ModuleObj("concurrent.futures.process");
  m->attrs.emplace_back("ProcessPoolExecutor", Value::Object(ProcessExecutorClass()));
  m->attrs.emplace_back("BrokenProcessPool", Value::Object(BrokenProcessPoolClass()));
  return Value::Object(m);
}

Value CreateFuturesModule(Interpreter* interp) {
  static NativeObj* const kAsCompleted = MakeImmortalNative("as_completed", AsCompleted, false);
  static NativeObj* const kWait = MakeImmortalNative("wait", Wait, false);
  auto* m = new ModuleObj("concurrent.futures");
  m->attrs.emplace_back("Future", Value::Object(FutureClass()));
  m->attrs.emplace_back("ThreadPoolExecutor", Value::Object(ExecutorClass()));
  m->attrs.emplace_back("ProcessPoolExecutor", Value::Object(ProcessExecutorClass()));
  m->attrs.emplace_back("as_completed", Value::Object(kAsCompleted));
  m->attrs.emplace_back("wait", Value::Object(kWait));
  m->attrs.emplace_back("FIRST_COMPLETED", MakeStr("FIRST_COMPLETED"));
  m->attrs.emplace_back("FIRST_EXCEPTION", MakeStr("FIRST_EXCEPTION"));
  m->attrs.emplace_back("ALL_COMPLETED", MakeStr("ALL_COMPLETED"));
  m->attrs.emplace_back("CancelledError", Value::Object(CancelledErrorClass()));
  m->attrs.emplace_back("InvalidStateError", Value::Object(InvalidStateErrorClass()));
  m->attrs.emplace_back("BrokenExecutor", Value::Object(BrokenExecutorClass()));
  Value process = interp->ImportModule("concurrent.futures.process");
  Incref(process);
  m->attrs.emplace_back("process", process);
  Value timeout = Value::Object(ExceptionClass("TimeoutError"));
  Incref(timeout);
  m->attrs.emplace_back("TimeoutError", timeout);
  return Value::Object(m);
}

Value CreateConcurrentModule(Interpreter* interp) {
  auto* m = new ModuleObj("concurrent");
  Value futures = interp->ImportModule("concurrent.futures");
  Incref(futures);
  m->attrs.emplace_back("futures", futures);
  return Value::Object(m);
}

}  // namespace gilbench::vm
