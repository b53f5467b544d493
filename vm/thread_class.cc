// threading.Thread as a base class: `class T(Thread)` with its own run(). The built-in class
// ThreadClass() stands for threading.Thread (a built-in function in the VM) as a base; each
// instance of a subclass carries the ThreadObj that Thread.__init__ makes (InstanceObj::native(),
// in the instance's overflow block),
// and start() runs the instance's run() -- the override -- on the new thread.
#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/dict.h"
#include "vm/interpreter.h"
#include "vm/multiprocessing.h"
#include "vm/runtime.h"
#include "vm/sync.h"

namespace gilbench::vm {

namespace {

// The receiver of a Thread method: the bound instance, or the first argument when called through
// the class (Thread.__init__(self)). Steps *args and *nargs past it in that case.
bool ThreadSelf(ThreadState& ts, const CallArgs& call, const char* method, InstanceObj** self,
                const Value** args, int* nargs) {
  const Value v = SplitReceiver(call, args, nargs);
  if (!IsInstanceObj(v) || AsInstance(v)->cls->native != NativeBase::kThread) {
    return ts.Raise("TypeError", std::string("descriptor '") + method +
                                     "' requires a 'Thread' object but received '" + TypeName(v) +
                                     "'");
  }
  *self = AsInstance(v);
  return true;
}

// The instance's ThreadObj, or RuntimeError when Thread.__init__ was not called, as CPython's.
bool InitializedThread(ThreadState& ts, InstanceObj* self, ThreadObj** out) {
  if (self->native() == nullptr) {
    return ts.Raise("RuntimeError", "thread.__init__() not called");
  }
  *out = static_cast<ThreadObj*>(self->native());
  return true;
}

// Thread.__init__(self, target=None, name=None, args=(), daemon=None): keywords, as gilvm's
// Thread() takes them. Made by threading.Thread() itself, then kept by the instance.
bool ThreadInit(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!ThreadSelf(ts, call, "__init__", &self, &args, &nargs)) return false;
  Value thread;
  if (!ts.interp->Call(ts, ThreadingThreadValue(), args, nargs, call.kwnames, &thread)) {
    return false;
  }
  self->SetNative(thread.o);
  *result = Value::None();
  return true;
}

// start(): the new thread runs self.run() -- the subclass's override, or Thread.run, which calls
// the target. The bound method travels in the thread's launch record only (set on the ThreadObj
// just for StartThread), so the instance and its ThreadObj do not end up holding each other.
bool ThreadStartMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  ThreadObj* thread;
  if (!ThreadSelf(ts, call, "start", &self, &args, &nargs) ||
      !InitializedThread(ts, self, &thread)) {
    return false;
  }
  if (nargs != 0) {
    return ts.Raise("TypeError", "Thread.start() takes 1 positional argument but " +
                                     std::to_string(nargs + 1) + " were given");
  }
  Value run;
  if (!InstanceGetAttr(ts, Value::Object(self), "run", &run)) return false;
  Value saved_target = thread->target, saved_args = thread->args;
  thread->target = run;
  thread->args = Value::Undefined();
  bool ok = ts.interp->StartThread(ts, thread);
  thread->target = saved_target;
  thread->args = saved_args;
  Decref(run);
  if (!ok) return false;
  *result = Value::None();
  return true;
}

bool ThreadJoinMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  ThreadObj* thread;
  if (!ThreadSelf(ts, call, "join", &self, &args, &nargs) ||
      !InitializedThread(ts, self, &thread)) {
    return false;
  }
  Value timeout_arg;
  if (!BindMethodArgs(ts, call, args, nargs, "join", {"timeout"}, 0, &timeout_arg)) return false;
  int64_t timeout;
  if (!WaitTimeoutArg(ts, timeout_arg, &timeout)) return false;
  if (!ts.interp->JoinThreadFor(ts, thread, timeout)) return false;
  *result = Value::None();
  return true;
}

// Thread.run(): calls the target with its args, if there is a target.
bool ThreadRunMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  ThreadObj* thread;
  if (!ThreadSelf(ts, call, "run", &self, &args, &nargs) || !InitializedThread(ts, self, &thread)) {
    return false;
  }
  *result = Value::None();
  if (thread->target.is_none()) return true;
  std::vector<Value> argv;
  if (!thread->args.is_undefined() && !CollectIterable(ts, thread->args, &argv)) return false;
  Value out;
  bool ok = ts.interp->Call(ts, thread->target, argv.data(), static_cast<int>(argv.size()), nullptr,
                            &out);
  for (Value v : argv) Decref(v);
  if (ok) Decref(out);
  return ok;
}

bool ThreadIsAliveMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  ThreadObj* thread;
  if (!ThreadSelf(ts, call, "is_alive", &self, &args, &nargs) ||
      !InitializedThread(ts, self, &thread)) {
    return false;
  }
  *result = Value::Bool(thread->state() == ThreadObj::State::kStarted);
  return true;
}

NativeObj* ImmortalMethod(const char* name, NativeFn fn) {
  return MakeImmortalNative(name, fn, true);
}

// --- Timer ---------------------------------------------------------------------------------------
// threading.Timer(interval, function, args=None, kwargs=None): a Thread whose run() waits on its
// `finished` Event for `interval` seconds and then, unless cancel() set it, calls the function.
// Its state lives in instance attributes, as in CPython's Lib/threading.py.

bool TimerInit(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!ThreadSelf(ts, call, "__init__", &self, &args, &nargs)) return false;
  Value p[4];
  if (!BindMethodArgs(ts, call, args, nargs, "__init__", {"interval", "function", "args", "kwargs"},
                      2, p)) {
    return false;
  }
  Value thread;
  if (!ts.interp->Call(ts, ThreadingThreadValue(), nullptr, 0, nullptr, &thread)) return false;
  self->SetNative(thread.o);
  Value event;
  if (!ts.interp->Call(ts, Value::Object(SyncClass(SyncKind::kEvent)), nullptr, 0, nullptr,
                       &event)) {
    return false;
  }
  // Owned references to drop below: a fresh [] / {} for None, else the argument, held.
  const bool no_args = p[2].is_undefined() || p[2].is_none();
  const bool no_kwargs = p[3].is_undefined() || p[3].is_none();
  Value targs = no_args ? MakeList() : p[2];
  Value tkwargs = no_kwargs ? Value::Object(NewDict()) : p[3];
  if (!no_args) Incref(targs);
  if (!no_kwargs) Incref(tkwargs);
  const Value obj = Value::Object(self);
  bool ok = SetAttr(ts, obj, "interval", p[0]) && SetAttr(ts, obj, "function", p[1]) &&
            SetAttr(ts, obj, "args", targs) && SetAttr(ts, obj, "kwargs", tkwargs) &&
            SetAttr(ts, obj, "finished", event);
  Decref(event);
  Decref(targs);
  Decref(tkwargs);
  if (!ok) return false;
  *result = Value::None();
  return true;
}

bool TimerCancel(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!ThreadSelf(ts, call, "cancel", &self, &args, &nargs)) return false;
  Value event;
  if (!InstanceGetAttr(ts, Value::Object(self), "finished", &event)) return false;
  if (SyncOf(event, SyncKind::kEvent) != nullptr) EventSetFlag(event);
  Decref(event);
  *result = Value::None();
  return true;
}

// function(*args, **kwargs), from the Timer's attributes.
bool CallTimerFunction(ThreadState& ts, Value obj) {
  Value fn = Value::Undefined(), fargs = Value::Undefined(), fkwargs = Value::Undefined(), out;
  bool ok = InstanceGetAttr(ts, obj, "function", &fn) && InstanceGetAttr(ts, obj, "args", &fargs) &&
            InstanceGetAttr(ts, obj, "kwargs", &fkwargs) &&
            CallWithArgs(ts, fn, fargs, fkwargs, &out);
  if (ok) Decref(out);
  Decref(fn);
  Decref(fargs);
  Decref(fkwargs);
  return ok;
}

// run(): wait(interval) on `finished`; if it was not set, call function(*args, **kwargs); then
// set it.
bool TimerRun(ThreadState& ts, const CallArgs& call, Value* result) {
  InstanceObj* self;
  const Value* args;
  int nargs;
  if (!ThreadSelf(ts, call, "run", &self, &args, &nargs)) return false;
  const Value obj = Value::Object(self);
  Value event;
  if (!InstanceGetAttr(ts, obj, "finished", &event)) return false;
  if (SyncOf(event, SyncKind::kEvent) == nullptr) {
    Decref(event);
    return ts.Raise("TypeError", "Timer.finished must be a threading.Event");
  }
  Value interval = Value::None();
  bool ok = InstanceGetAttr(ts, obj, "interval", &interval);
  int64_t timeout = 0;
  ok = ok && WaitTimeoutArg(ts, interval, &timeout);
  bool set = false;
  ok = ok && EventWaitFor(ts, event, timeout, &set);
  if (ok && !set) ok = CallTimerFunction(ts, obj);
  EventSetFlag(event);
  Decref(event);
  Decref(interval);
  if (!ok) return false;
  *result = Value::None();
  return true;
}

}  // namespace

ClassObj* TimerClass() {
  static ClassObj* const kTimer = [] {
    auto* cls = new ClassObj();
    cls->name = "Timer";
    cls->base = ThreadClass();
    cls->native = NativeBase::kThread;
    cls->builtin = false;  // its instances keep attributes (interval, function, ...)
    cls->module = "threading";
    cls->version_tag = NewClassVersionTag();
    cls->refcount = kImmortalRefcount;
    ThreadClass()->subclasses.push_back(cls);
    for (auto [name, fn] : std::initializer_list<std::pair<const char*, NativeFn>>{
             {"__init__", TimerInit}, {"cancel", TimerCancel}, {"run", TimerRun}}) {
      cls->attrs.emplace_back(name, Value::Object(ImmortalMethod(name, fn)));
    }
    return cls;
  }();
  return kTimer;
}

ClassObj* ThreadClass() {
  static ClassObj* const kThread = [] {
    auto* cls = new ClassObj();
    cls->name = "Thread";
    cls->base = ObjectClass();
    cls->native = NativeBase::kThread;
    cls->builtin = true;
    cls->version_tag = NewClassVersionTag();
    cls->refcount = kImmortalRefcount;
    for (auto [name, fn] : std::initializer_list<std::pair<const char*, NativeFn>>{
             {"__init__", ThreadInit},
             {"start", ThreadStartMethod},
             {"join", ThreadJoinMethod},
             {"run", ThreadRunMethod},
             {"is_alive", ThreadIsAliveMethod}}) {
      cls->attrs.emplace_back(name, Value::Object(ImmortalMethod(name, fn)));
    }
    return cls;
  }();
  return kThread;
}

}  // namespace gilbench::vm
