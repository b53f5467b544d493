// The built-in modules: time, os, sys, threading. The blocking calls (time.sleep, os.read,
// os.write, Thread.join) release the GIL around the system call, as CPython's
// Py_BEGIN_ALLOW_THREADS does, so other threads run meanwhile.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/multiprocessing.h"
#include "vm/os_error.h"
#include "vm/runtime.h"
#include "vm/sync.h"

namespace gilbench::vm {
namespace {

double Seconds(std::chrono::nanoseconds ns) { return static_cast<double>(ns.count()) / 1e9; }

constexpr int64_t kNsPerSecond = 1000000000;

// A timeout in seconds as whole nanoseconds, as CPython's _PyTime_FromSecondsObject makes it
// (a float rounded away from zero): NaN is a ValueError, and a timeout beyond int64
// nanoseconds (about 292 years; an infinity) an OverflowError, before any sign check.
bool TimeoutNs(ThreadState& ts, Value v, int64_t* ns) {
  static const char kTooLarge[] = "timestamp too large to convert to C _PyTime_t";
  if (v.is_intlike()) {
    if (__builtin_mul_overflow(v.i, kNsPerSecond, ns)) return ts.Raise("OverflowError", kTooLarge);
    return true;
  }
  double seconds;
  if (!SecondsArg(ts, v, &seconds)) return false;
  if (std::isnan(seconds)) return ts.Raise("ValueError", "Invalid value NaN (not a number)");
  double d = seconds * static_cast<double>(kNsPerSecond);
  if (!IntegralToInt64(d < 0 ? std::floor(d) : std::ceil(d), ns)) {
    return ts.Raise("OverflowError", kTooLarge);
  }
  return true;
}

// --- time ---------------------------------------------------------------------------------------

bool TimeTime(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "time", 0, 0)) return false;
  *result = Value::Float(Seconds(std::chrono::system_clock::now().time_since_epoch()));
  return true;
}

bool TimeMonotonic(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "monotonic", 0, 0)) return false;
  *result = Value::Float(Seconds(std::chrono::steady_clock::now().time_since_epoch()));
  return true;
}

bool TimeSleep(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "sleep", 1, 1)) return false;
  int64_t ns;
  if (!TimeoutNs(ts, call.args[0], &ns)) return false;
  if (ns < 0) return ts.Raise("ValueError", "sleep length must be non-negative");
  struct timespec req;
  req.tv_sec = static_cast<time_t>(ns / kNsPerSecond);
  req.tv_nsec = static_cast<long>(ns % kNsPerSecond);
  ts.interp->ReleaseGil(ts);
  while (nanosleep(&req, &req) != 0 && errno == EINTR) {
  }
  ts.interp->AcquireGil(ts);
  *result = Value::None();
  return true;
}

// --- os -----------------------------------------------------------------------------------------

bool OsGetpid(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "getpid", 0, 0)) return false;
  *result = Value::Int(getpid());
  return true;
}

bool OsCpuCount(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "cpu_count", 0, 0)) return false;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  *result = n > 0 ? Value::Int(n) : Value::None();
  return true;
}

bool OsPipe(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "pipe", 0, 0)) return false;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return RaiseOsError(ts, errno);
  *result = MakeTuple({Value::Int(fds[0]), Value::Int(fds[1])});
  return true;
}

bool OsRead(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "read", 2, 2)) return false;
  int64_t fd, n;
  if (!IndexArg(ts, call.args[0], &fd) || !IndexArg(ts, call.args[1], &n)) return false;
  if (n < 0) return RaiseOsError(ts, EINVAL);
  std::string buffer(static_cast<size_t>(std::min<int64_t>(n, 1 << 26)), '\0');
  ts.interp->ReleaseGil(ts);
  ssize_t got;
  do {
    got = read(static_cast<int>(fd), buffer.data(), buffer.size());
  } while (got < 0 && errno == EINTR);
  int err = errno;
  ts.interp->AcquireGil(ts);
  if (got < 0) return RaiseOsError(ts, err);
  buffer.resize(static_cast<size_t>(got));
  *result = MakeBytes(std::move(buffer));
  return true;
}

bool OsWrite(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "write", 2, 2)) return false;
  int64_t fd;
  if (!IndexArg(ts, call.args[0], &fd)) return false;
  if (!IsType(call.args[1], ObjType::kBytes)) {
    return ts.Raise("TypeError", std::string("a bytes-like object is required, not '") +
                                     TypeName(call.args[1]) + "'");
  }
  // The bytes object is immutable and the caller holds a reference: safe to read unlocked.
  const std::string& data = AsBytes(call.args[1])->s;
  ts.interp->ReleaseGil(ts);
  ssize_t put;
  do {
    put = write(static_cast<int>(fd), data.data(), data.size());
  } while (put < 0 && errno == EINTR);
  int err = errno;
  ts.interp->AcquireGil(ts);
  if (put < 0) return RaiseOsError(ts, err);
  *result = Value::Int(put);
  return true;
}

bool OsClose(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "close", 1, 1)) return false;
  int64_t fd;
  if (!IndexArg(ts, call.args[0], &fd)) return false;
  if (close(static_cast<int>(fd)) != 0) return RaiseOsError(ts, errno);
  *result = Value::None();
  return true;
}

// --- sys ----------------------------------------------------------------------------------------

bool SysExit(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "exit", 0, 1)) return false;
  (void)result;
  return ts.RaiseSystemExit(call.nargs ? call.args[0] : Value::None());
}

bool SysGetSwitchInterval(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "getswitchinterval", 0, 0)) return false;
  *result = Value::Float(static_cast<double>(ts.interp->gil().SwitchIntervalUs()) / 1e6);
  return true;
}

bool SysSetSwitchInterval(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "setswitchinterval", 1, 1)) return false;
  double seconds;
  if (!SecondsArg(ts, call.args[0], &seconds)) return false;
  if (!(seconds > 0)) return ts.Raise("ValueError", "switch interval must be strictly positive");
  // CPython casts the microseconds to unsigned long unchecked (undefined for 1e300 or inf). Here
  // the GIL adds the interval to a monotonic clock in int64 nanoseconds: a bound keeps that sum
  // far from overflowing (it is still 146 years).
  constexpr int64_t kMaxSwitchIntervalUs = INT64_MAX / 1000 / 2;
  int64_t us;
  if (!IntegralToInt64(std::round(seconds * 1e6), &us) || us > kMaxSwitchIntervalUs) {
    return ts.Raise("OverflowError", "switch interval is too large");
  }
  ts.interp->gil().SetSwitchIntervalUs(std::max<int64_t>(1, us));
  *result = Value::None();
  return true;
}

bool SysGetCheckInterval(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "getcheckinterval", 0, 0)) return false;
  *result = Value::Int(ts.interp->gil().CheckInterval());
  return true;
}

bool SysSetCheckInterval(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "setcheckinterval", 1, 1)) return false;
  int64_t n;
  if (!IndexArg(ts, call.args[0], &n)) return false;
  // Python 2 took n <= 0 as "check every tick"; gilvm's option and policy count ticks from 1,
  // so refuse the rest with setswitchinterval's words rather than change the value silently.
  if (n < 1) return ts.Raise("ValueError", "check interval must be strictly positive");
  ts.interp->gil().SetCheckInterval(n);
  *result = Value::None();
  return true;
}

// --- threading ----------------------------------------------------------------------------------

bool ThreadingThread(ThreadState& ts, const CallArgs& call, Value* result) {
  if (call.npositional() > 0) {
    return ts.Raise("TypeError",
                    "Thread() takes keyword arguments only in gilvm "
                    "(target=, args=, name=)");
  }
  auto* thread = new ThreadObj();
  Value self = Value::Object(thread);
  std::string name;
  thread->daemon = ts.thread->daemon;  // daemon=None: the creating thread's
  for (size_t k = 0; call.kwnames && k < call.kwnames->size(); ++k) {
    std::string_view key = (*call.kwnames)[k];
    Value v = call.args[k];
    if (key == "target") {
      Incref(v);
      Decref(thread->target);
      thread->target = v;
    } else if (key == "args") {
      // Kept as given: the thread unpacks it when it runs (see ThreadArguments), as CPython's.
      Incref(v);
      Decref(thread->args);
      thread->args = v;
    } else if (key == "name") {
      if (!v.is_none() && !StrOf(ts, v, &name)) {
        Decref(self);
        return false;
      }
    } else if (key == "daemon") {
      if (!v.is_none()) thread->daemon = IsTruthy(v);
    } else {
      Decref(self);
      return ts.Raise("TypeError", "Thread.__init__() got an unexpected keyword argument '" +
                                       std::string(key) + "'");
    }
  }
  if (name.empty()) {
    std::string target_name;
    if (IsType(thread->target, ObjType::kFunction)) {
      target_name = static_cast<FunctionObj*>(thread->target.o)->code->name;
    } else if (IsType(thread->target, ObjType::kNative)) {
      target_name = static_cast<NativeObj*>(thread->target.o)->name;
    } else if (IsType(thread->target, ObjType::kBoundMethod)) {
      target_name = static_cast<BoundMethodObj*>(thread->target.o)->method->name;
    }
    name = ts.interp->NextThreadName(target_name);
  }
  thread->name = std::move(name);
  *result = self;
  return true;
}

bool ThreadStart(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "start", 0, 0)) return false;
  if (!ts.interp->StartThread(ts, static_cast<ThreadObj*>(call.self.o))) return false;
  *result = Value::None();
  return true;
}

bool ThreadJoin(ThreadState& ts, const CallArgs& call, Value* result) {
  Value timeout_arg;
  if (!BindMethodArgs(ts, call, call.args, call.nargs, "join", {"timeout"}, 0, &timeout_arg)) {
    return false;
  }
  int64_t timeout;
  if (!ParseTimeoutArg(ts, timeout_arg, &timeout)) return false;
  if (timeout == -2) timeout = 0;
  if (!ts.interp->JoinThreadFor(ts, static_cast<ThreadObj*>(call.self.o), timeout)) return false;
  *result = Value::None();
  return true;
}

bool ThreadIsAlive(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "is_alive", 0, 0)) return false;
  *result =
      Value::Bool(static_cast<ThreadObj*>(call.self.o)->state() == ThreadObj::State::kStarted);
  return true;
}

bool ThreadingEnumerate(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "enumerate", 0, 0)) return false;
  std::vector<Value> items;
  for (ThreadObj* t : ts.interp->LiveThreads()) {
    IncrefObj(t);
    items.push_back(Value::Object(t));
  }
  *result = MakeList(std::move(items));
  return true;
}

bool ThreadingMainThread(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "main_thread", 0, 0)) return false;
  *result = Value::Object(ts.interp->main_thread());
  Incref(*result);
  return true;
}

bool ThreadingCurrentThread(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "current_thread", 0, 0)) return false;
  *result = Value::Object(ts.thread);
  Incref(*result);
  return true;
}

bool ThreadingGetIdent(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "get_ident", 0, 0)) return false;
  *result = Value::Int(static_cast<int64_t>(ts.thread->ident));
  return true;
}

bool ThreadingActiveCount(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "active_count", 0, 0)) return false;
  *result = Value::Int(ts.interp->ActiveThreadCount());
  return true;
}

Value Native(const char* name, NativeFn fn) {
  return Value::Object(new NativeObj(name, fn, false));
}

void AddFunctions(ModuleObj* m, std::initializer_list<std::pair<const char*, NativeFn>> fns) {
  for (const auto& [name, fn] : fns) m->attrs.emplace_back(name, Native(name, fn));
}

}  // namespace

std::vector<std::pair<const char*, NativeFn>> ThreadMethods() {
  return {{"start", ThreadStart}, {"join", ThreadJoin}, {"is_alive", ThreadIsAlive}};
}

bool IsThreadingThread(Value v) {
  return IsType(v, ObjType::kNative) && static_cast<NativeObj*>(v.o)->fn == ThreadingThread;
}

Value ThreadingThreadValue() {
  static NativeObj* const kThread = MakeImmortalNative("Thread", ThreadingThread, false);
  return Value::Object(kThread);
}

bool ThreadAttr(Value thread, std::string_view name, Value* out) {
  auto* t = static_cast<ThreadObj*>(thread.o);
  if (name == "name") {
    *out = MakeStr(t->name);
    return true;
  }
  if (name == "ident") {
    *out = t->ident ? Value::Int(static_cast<int64_t>(t->ident)) : Value::None();
    return true;
  }
  if (name == "native_id") {
    *out = t->native_id ? Value::Int(t->native_id) : Value::None();
    return true;
  }
  if (name == "daemon") {
    *out = Value::Bool(t->daemon);
    return true;
  }
  return false;
}

bool ThreadSetAttr(ThreadState& ts, Value thread, std::string_view name, Value v, bool* handled) {
  auto* t = static_cast<ThreadObj*>(thread.o);
  *handled = true;
  if (name == "daemon") {
    if (t->state() != ThreadObj::State::kInitial) {
      return ts.Raise("RuntimeError", "cannot set daemon status of active thread");
    }
    t->daemon = IsTruthy(v);
    return true;
  }
  if (name == "name") {
    std::string text;
    if (!StrOf(ts, v, &text)) return false;
    t->name = std::move(text);
    return true;
  }
  *handled = false;
  return false;
}

bool IsBuiltinModule(std::string_view name) {
  static constexpr std::string_view kModules[] = {"time",
                                                  "os",
                                                  "sys",
                                                  "hashlib",
                                                  "threading",
                                                  "math",
                                                  "random",
                                                  "multiprocessing",
                                                  "queue",
                                                  "concurrent",
                                                  "concurrent.futures",
                                                  "concurrent.futures.process"};
  return std::find(std::begin(kModules), std::end(kModules), name) != std::end(kModules);
}

Value CreateModule(Interpreter* interp, std::string_view name) {
  // The modules that their own files make.
  if (name == "math") return CreateMathModule();
  if (name == "random") return CreateRandomModule();
  if (name == "multiprocessing") return CreateMultiprocessingModule();
  if (name == "queue") return CreateQueueModule();
  if (name == "concurrent") return CreateConcurrentModule(interp);
  if (name == "concurrent.futures") return CreateFuturesModule(interp);
  if (name == "concurrent.futures.process") return CreateFuturesProcessModule();
  auto* m = new ModuleObj(std::string(name));
  if (name == "time") {
    AddFunctions(m, {{"time", TimeTime},
                     {"perf_counter", TimeMonotonic},
                     {"monotonic", TimeMonotonic},
                     {"sleep", TimeSleep}});
  } else if (name == "os") {
    AddFunctions(m, {{"getpid", OsGetpid},
                     {"cpu_count", OsCpuCount},
                     {"pipe", OsPipe},
                     {"read", OsRead},
                     {"write", OsWrite},
                     {"close", OsClose},
                     {"_exit", OsExit}});
  } else if (name == "sys") {
    AddFunctions(m, {{"exit", SysExit},
                     {"getswitchinterval", SysGetSwitchInterval},
                     {"setswitchinterval", SysSetSwitchInterval},
                     {"getcheckinterval", SysGetCheckInterval},
                     {"setcheckinterval", SysSetCheckInterval}});
    std::vector<Value> argv;
    for (const std::string& arg : interp->argv()) argv.push_back(MakeStr(arg));
    m->attrs.emplace_back("argv", MakeList(std::move(argv)));
    m->attrs.emplace_back("version", MakeStr("3.11.0 (gilvm 0.1.0, a Python subset)"));
    m->attrs.emplace_back("stdout", MakeTextStream(1));
    m->attrs.emplace_back("stderr", MakeTextStream(2));
  } else if (name == "hashlib") {
    AddFunctions(m, {{"sha256", HashlibSha256}});
  } else if (name == "threading") {
    AddFunctions(m, {{"Thread", ThreadingThread},
                     {"current_thread", ThreadingCurrentThread},
                     {"get_ident", ThreadingGetIdent},
                     {"active_count", ThreadingActiveCount},
                     {"enumerate", ThreadingEnumerate},
                     {"main_thread", ThreadingMainThread}});
    AddThreadingSync(m);
  } else {
    DecrefObj(m);
    return Value::Undefined();
  }
  return Value::Object(m);
}

}  // namespace gilbench::vm
