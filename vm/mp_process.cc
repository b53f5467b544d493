// multiprocessing: the module, Process, current_process(), cpu_count(), os._exit, and the fork
// and exit of a child process that Pool's workers share (see multiprocessing.h).
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "gil/gil.h"
#include "gil/pthread_sync.h"
#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/dict.h"
#include "vm/exceptions.h"
#include "vm/interpreter.h"
#include "vm/multiprocessing.h"
#include "vm/os_error.h"
#include "vm/runtime.h"

namespace gilbench::vm {

namespace {

// This process's place among the processes: what current_process() answers, and the count of
// children it has made (for their names). Reset in each child. Guarded by the GIL.
struct ProcessIdentity {
  std::string name = "MainProcess";
  std::vector<int> identity;  // () for the main process, (1,), (1, 2), ...
  int children_made = 0;
  bool is_child = false;
  // Frames that were active where this process was forked: the parent's, which a child's
  // traceback leaves out (CPython's shows its multiprocessing internals there instead).
  size_t frames_at_fork = 0;
};
ProcessIdentity& Identity() {
  static ProcessIdentity* const kIdentity = new ProcessIdentity();
  return *kIdentity;
}

std::vector<int>& ParentFds() {
  static auto* const kFds = new std::vector<int>();
  return *kFds;
}

// A Process object's state.
struct ProcessState : MpStateObj {
  std::string name;
  std::vector<int> identity;
  bool daemon = false;
  bool current = false;  // current_process()'s object: this process itself
  Value target = Value::None();
  Value args = Value::Undefined();
  Value kwargs = Value::Undefined();
  pid_t pid = 0;  // 0 until started
  bool reaped = false;
  int exitcode = 0;  // once reaped
  ~ProcessState() override {
    Decref(target);
    Decref(args);
    Decref(kwargs);
  }
};

// Children started by Process.start() and not yet joined (owned references), for
// MultiprocessingAtExit. Guarded by the GIL.
std::vector<ProcessState*>& Children() {
  static auto* const kChildren = new std::vector<ProcessState*>();
  return *kChildren;
}

void NoteReaped(ProcessState* p, int exitcode) {
  p->reaped = true;
  p->exitcode = exitcode;
  auto& children = Children();
  auto it = std::find(children.begin(), children.end(), p);
  if (it != children.end()) {
    children.erase(it);
    DecrefObj(p);
  }
}

// Polls (or waits for) a started child; true once it has ended.
bool PollProcess(ThreadState& ts, ProcessState* p, bool block) {
  if (p->pid == 0 || p->current) return false;
  if (p->reaped) return true;
  IncrefObj(p);  // NoteReaped may drop the Children() reference
  int code;
  bool ended = WaitChild(ts, p->pid, block, &code);
  if (ended) NoteReaped(p, code);
  DecrefObj(p);
  return ended;
}

ClassObj* ProcessClass();

ProcessState* StateOf(MpStateObj* state) { return static_cast<ProcessState*>(state); }

bool ProcessArgs(ThreadState& ts, const CallArgs& call, Value* result);

// --- Process methods
// ------------------------------------------------------------------------------

bool AssertionFailed(ThreadState& ts, const char* message) {
  return ts.Raise("AssertionError", message);
}

// The default Process.run: target(*args, **kwargs); nothing without a target.
bool RunTarget(ThreadState& ts, ProcessState* p) {
  if (p->target.is_none()) return true;
  Value out;
  if (!CallWithArgs(ts, p->target, p->args, p->kwargs, &out)) return false;
  Decref(out);
  return true;
}

bool ProcessStart(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  const Value* args;
  int nargs;
  if (!MpSelf(ts, call, ProcessClass(), "start", &state, &args, &nargs)) return false;
  if (nargs != 0) {
    return ts.Raise("TypeError", "BaseProcess.start() takes 1 positional argument but " +
                                     std::to_string(nargs + 1) + " were given");
  }
  ProcessState* p = StateOf(state);
  if (p->pid != 0 || p->current) return AssertionFailed(ts, "cannot start a process twice");
  pid_t pid = ForkChild(ts, p->name, p->identity, {});
  if (pid < 0) return false;
  if (pid == 0) {
    // The child: run the target, then end as Process._bootstrap does.
    p->current = true;
    ExitChild(ts, RunTarget(ts, p) ? 0 : ChildErrorStatus(ts, "Process " + p->name + ":\n"));
  }
  p->pid = pid;
  IncrefObj(p);
  Children().push_back(p);
  *result = Value::None();
  return true;
}

// The seconds of a timeout argument (None: wait for ever, *forever set).
bool TimeoutArg(ThreadState& ts, Value v, double* seconds, bool* forever) {
  *forever = v.is_none() || v.is_undefined();
  return *forever || SecondsArg(ts, v, seconds);
}

bool ProcessJoin(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  const Value* args;
  int nargs;
  if (!MpSelf(ts, call, ProcessClass(), "join", &state, &args, &nargs)) return false;
  Value timeout = Value::None();
  Value* slots[] = {&timeout};
  if (!BindParams(ts, args, nargs, call.kwnames, "BaseProcess.join", {"timeout"}, 0, 1, slots)) {
    return false;
  }
  ProcessState* p = StateOf(state);
  if (p->current) return AssertionFailed(ts, "can only join a child process");
  if (p->pid == 0) return AssertionFailed(ts, "can only join a started process");
  double seconds = 0;
  bool forever;
  if (!TimeoutArg(ts, timeout, &seconds, &forever)) return false;
  if (forever) {
    PollProcess(ts, p, true);
  } else {
    const int64_t start = gil::MonotonicNs();
    for (;;) {
      if (PollProcess(ts, p, false)) break;
      double waited = static_cast<double>(gil::MonotonicNs() - start) / 1e9;
      if (waited >= seconds) break;
      ts.interp->ReleaseGil(ts);
      usleep(static_cast<useconds_t>(std::min(5000.0, (seconds - waited) * 1e6) + 1));
      ts.interp->AcquireGil(ts);
    }
  }
  *result = Value::None();
  return true;
}

bool ProcessIsAlive(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  if (!MpSelf(ts, call, ProcessClass(), "is_alive", &state)) return false;
  ProcessState* p = StateOf(state);
  *result = Value::Bool(p->current || (p->pid != 0 && !PollProcess(ts, p, false)));
  return true;
}

bool SignalProcess(ThreadState& ts, const CallArgs& call, const char* method, int sig,
                   Value* result) {
  MpStateObj* state;
  if (!MpSelf(ts, call, ProcessClass(), method, &state)) return false;
  ProcessState* p = StateOf(state);
  // As CPython's Popen: nothing to do before start or once the child has been reaped.
  if (p->pid != 0 && !p->current && !p->reaped) kill(p->pid, sig);
  *result = Value::None();
  return true;
}

bool ProcessTerminate(ThreadState& ts, const CallArgs& call, Value* result) {
  return SignalProcess(ts, call, "terminate", SIGTERM, result);
}

bool ProcessKill(ThreadState& ts, const CallArgs& call, Value* result) {
  return SignalProcess(ts, call, "kill", SIGKILL, result);
}

// run(): calls the target, as the default Process.run.
bool ProcessRun(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  if (!MpSelf(ts, call, ProcessClass(), "run", &state)) return false;
  if (!RunTarget(ts, StateOf(state))) return false;
  *result = Value::None();
  return true;
}

// --- Process properties
// ---------------------------------------------------------------------------

bool GetName(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  if (!MpSelf(ts, call, ProcessClass(), "name", &state)) return false;
  ProcessState* p = StateOf(state);
  *result = MakeStr(p->current && p->pid == 0 ? Identity().name : p->name);
  return true;
}

bool SetName(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  const Value* args;
  int nargs;
  if (!MpSelf(ts, call, ProcessClass(), "name", &state, &args, &nargs)) return false;
  if (nargs != 1 || !IsType(args[0], ObjType::kStr)) {
    return AssertionFailed(ts, "name must be a string");
  }
  StateOf(state)->name = AsStr(args[0])->s;
  if (StateOf(state)->current) Identity().name = AsStr(args[0])->s;
  *result = Value::None();
  return true;
}

bool GetDaemon(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  if (!MpSelf(ts, call, ProcessClass(), "daemon", &state)) return false;
  *result = Value::Bool(StateOf(state)->daemon);
  return true;
}

bool SetDaemon(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  const Value* args;
  int nargs;
  if (!MpSelf(ts, call, ProcessClass(), "daemon", &state, &args, &nargs)) return false;
  if (StateOf(state)->pid != 0) return AssertionFailed(ts, "process has already started");
  StateOf(state)->daemon = nargs == 1 && IsTruthy(args[0]);
  *result = Value::None();
  return true;
}

bool GetPid(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  if (!MpSelf(ts, call, ProcessClass(), "pid", &state)) return false;
  ProcessState* p = StateOf(state);
  if (p->current) {
    *result = Value::Int(getpid());
  } else {
    *result = p->pid != 0 ? Value::Int(p->pid) : Value::None();
  }
  return true;
}

bool GetExitcode(ThreadState& ts, const CallArgs& call, Value* result) {
  MpStateObj* state;
  if (!MpSelf(ts, call, ProcessClass(), "exitcode", &state)) return false;
  ProcessState* p = StateOf(state);
  if (p->pid == 0 || p->current || !PollProcess(ts, p, false)) {
    *result = Value::None();
  } else {
    *result = Value::Int(p->exitcode);
  }
  return true;
}

ClassObj* ProcessClass() {
  static ClassObj* const kClass = NewMpClass("Process",
                                             {{"start", ProcessStart},
                                              {"join", ProcessJoin},
                                              {"is_alive", ProcessIsAlive},
                                              {"terminate", ProcessTerminate},
                                              {"kill", ProcessKill},
                                              {"run", ProcessRun}},
                                             {{"name", GetName, SetName},
                                              {"daemon", GetDaemon, SetDaemon},
                                              {"pid", GetPid, nullptr},
                                              {"ident", GetPid, nullptr},
                                              {"exitcode", GetExitcode, nullptr}});
  return kClass;
}

// Process(group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None)
bool ProcessArgs(ThreadState& ts, const CallArgs& call, Value* result) {
  Value group = Value::None(), target = Value::None(), name = Value::None();
  Value args = Value::Undefined(), kwargs = Value::Undefined(), daemon = Value::None();
  Value* slots[] = {&group, &target, &name, &args, &kwargs, &daemon};
  if (!BindParams(ts, call.args, call.nargs, call.kwnames, "BaseProcess.__init__",
                  {"group", "target", "name", "args", "kwargs", "daemon"}, 0, 5, slots)) {
    return false;
  }
  if (!group.is_none()) return AssertionFailed(ts, "group argument must be None for now");
  auto* p = new ProcessState();
  Value self = NewMpInstance(ProcessClass(), p);
  p->identity = NextChildIdentity();
  if (name.is_none()) {
    p->name = IdentityName("Process", p->identity);
  } else if (!StrOf(ts, name, &p->name)) {
    Decref(self);
    return false;
  }
  p->daemon = !daemon.is_none() && IsTruthy(daemon);
  Incref(target);
  p->target = target;
  if (!args.is_undefined()) {
    Incref(args);
    p->args = args;
  }
  if (!kwargs.is_undefined()) {
    Incref(kwargs);
    p->kwargs = kwargs;
  }
  *result = self;
  return true;
}

bool MpCurrentProcess(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "current_process", 0, 0)) return false;
  static Value current = Value::Undefined();  // guarded by the GIL; remade in each child
  static pid_t made_in = 0;
  if (current.is_undefined() || made_in != getpid()) {
    auto* p = new ProcessState();
    p->current = true;
    p->name = Identity().name;
    p->identity = Identity().identity;
    current = NewMpInstance(ProcessClass(), p);
    made_in = getpid();
  }
  Incref(current);
  *result = current;
  return true;
}

bool MpCpuCount(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "cpu_count", 0, 0)) return false;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) return ts.Raise("NotImplementedError", "cannot determine number of cpus");
  *result = Value::Int(n);
  return true;
}

NativeObj* Immortal(const char* name, NativeFn fn, bool method) {
  return MakeImmortalNative(name, fn, method);
}

}  // namespace

// --- shared helpers
// -------------------------------------------------------------------------------

ClassObj* NewMpClass(const char* name,
                     std::initializer_list<std::pair<const char*, NativeFn>> methods,
                     std::initializer_list<MpProperty> properties) {
  auto* cls = new ClassObj();
  cls->name = name;
  cls->base = ObjectClass();
  cls->builtin = true;
  cls->version_tag = NewClassVersionTag();
  cls->refcount = kImmortalRefcount;
  for (const auto& [method, fn] : methods) {
    cls->attrs.emplace_back(method, Value::Object(Immortal(method, fn, true)));
  }
  for (const MpProperty& prop : properties) {
    auto* wrapper =
        new WrapperObj(ObjType::kProperty, Value::Object(Immortal(prop.name, prop.get, true)));
    if (prop.set != nullptr) wrapper->fset = Value::Object(Immortal(prop.name, prop.set, true));
    wrapper->refcount = kImmortalRefcount;
    cls->attrs.emplace_back(prop.name, Value::Object(wrapper));
  }
  return cls;
}

Value NewMpInstance(ClassObj* cls, MpStateObj* state) {
  auto* inst = new InstanceObj(cls);
  inst->SetNative(state);
  return Value::Object(inst);
}

bool MpSelf(ThreadState& ts, const CallArgs& call, ClassObj* cls, const char* method,
            MpStateObj** state, const Value** args, int* nargs) {
  const Value* a = call.args;
  int n = call.nargs;
  Value v = call.self;
  if (v.is_undefined() && call.npositional() > 0) {
    v = call.args[0];
    ++a;
    --n;
  }
  if (!IsInstanceObj(v) || !AsInstance(v)->cls->IsSubclassOf(cls) ||
      AsInstance(v)->native() == nullptr) {
    return ts.Raise("TypeError", std::string("descriptor '") + method + "' requires a '" +
                                     cls->name + "' object but received '" + TypeName(v) + "'");
  }
  *state = static_cast<MpStateObj*>(AsInstance(v)->native());
  if (args != nullptr) {
    *args = a;
    *nargs = n;
  }
  return true;
}

ClassObj* ProcessErrorClass() {
  static ClassObj* const kClass = NewLibraryExceptionClass(
      "multiprocessing.context", "ProcessError", ExceptionClass("Exception"));
  return kClass;
}

ClassObj* MpTimeoutErrorClass() {
  static ClassObj* const kClass =
      NewLibraryExceptionClass("multiprocessing.context", "TimeoutError", ProcessErrorClass());
  return kClass;
}

Value NewMpError(ClassObj* cls, const std::string& message) {
  Value inst = Value::Object(NewInstanceOf(cls));
  if (!message.empty()) {
    Value text = MakeStr(message);
    SetExceptionArgs(inst, &text, 1, nullptr);
    Decref(text);
  }
  return inst;
}

bool RaiseMpError(ThreadState& ts, ClassObj* cls, const std::string& message) {
  Value inst = NewMpError(cls, message);
  RaiseException(ts, inst);
  Decref(inst);
  return false;
}

std::vector<int> NextChildIdentity() {
  std::vector<int> identity = Identity().identity;
  identity.push_back(++Identity().children_made);
  return identity;
}

std::string IdentityName(const std::string& prefix, const std::vector<int>& identity) {
  std::string name = prefix + "-";
  for (size_t i = 0; i < identity.size(); ++i) {
    if (i > 0) name += ":";
    name += std::to_string(identity[i]);
  }
  return name;
}

void RegisterParentFd(int fd) { ParentFds().push_back(fd); }

void UnregisterParentFd(int fd) {
  auto& fds = ParentFds();
  fds.erase(std::remove(fds.begin(), fds.end(), fd), fds.end());
}

pid_t ForkChild(ThreadState& ts, const std::string& name, const std::vector<int>& identity,
                const std::vector<int>& keep) {
  // As CPython's Popen: flush stdout (and stderr, unbuffered here) so that the child does not
  // write the parent's buffered text again.
  ts.interp->FlushStdout();
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    RaiseOsError(ts, errno);
    return -1;
  }
  if (pid > 0) return pid;
  // The child. If the parent (the thread that forked) dies, so does the child: no worker is
  // left behind by a parent killed by a signal. A parent already gone: end now.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  ts.interp->AfterForkChild(ts);
  // The default SIGTERM and SIGINT actions, as a freshly forked CPython child has them.
  signal(SIGTERM, SIG_DFL);
  for (int fd : ParentFds()) {
    if (std::find(keep.begin(), keep.end(), fd) == keep.end()) close(fd);
  }
  ParentFds().clear();
  Children().clear();  // the parent's children are not this child's (their references leak)
  ForgetPoolsAfterFork();
  ProcessIdentity& id = Identity();
  id.name = name;
  id.identity = identity;
  id.children_made = 0;
  id.is_child = true;
  id.frames_at_fork = 0;
  for (const Frame* f = ts.current; f != nullptr; f = f->prev) ++id.frames_at_fork;
  return 0;
}

void ExitChild(ThreadState& ts, int status) {
  MultiprocessingAtExit(ts);
  ts.interp->FlushStdout();
  _exit(status);
}

void TrimForkedFrames(ThreadState& ts) {
  const size_t n = Identity().frames_at_fork;
  if (ts.traceback.size() > n) {
    ts.traceback.erase(ts.traceback.begin(), ts.traceback.begin() + static_cast<ptrdiff_t>(n));
  }
}

int ChildErrorStatus(ThreadState& ts, const std::string& header) {
  int status = 1;
  if (ts.system_exit) {
    status = ts.exit_status;
    if (!ts.exit_message.empty()) {
      std::string text = ts.exit_message + "\n";
      ts.interp->FlushStdout();
      (void)!write(2, text.data(), text.size());
    }
  } else {
    ts.interp->FlushStdout();
    TrimForkedFrames(ts);
    std::string text = ts.interp->FormatError(ts, header);
    (void)!write(2, text.data(), text.size());
  }
  ts.ClearError();
  return status;
}

bool WaitChild(ThreadState& ts, pid_t pid, bool block, int* exitcode) {
  int status = 0;
  pid_t got;
  if (block) ts.interp->ReleaseGil(ts);
  do {
    got = waitpid(pid, &status, block ? 0 : WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (block) ts.interp->AcquireGil(ts);
  if (got == 0) return false;
  if (got < 0) {
    *exitcode = 255;  // not our child any more (reaped elsewhere): report it ended
    return true;
  }
  *exitcode = WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
  return true;
}

bool CallWithArgs(ThreadState& ts, Value f, Value args, Value kwargs, Value* result) {
  std::vector<Value> argv;
  if (!args.is_undefined() && !CollectIterable(ts, args, &argv)) return false;
  std::vector<std::string_view> kwnames;
  bool ok = true;
  if (!kwargs.is_undefined() && !kwargs.is_none()) {
    if (!IsType(kwargs, ObjType::kDict)) {
      ok = ts.Raise("TypeError",
                    std::string("argument after ** must be a mapping, not ") + TypeName(kwargs));
    } else {
      for (const DictEntry& e : AsDict(kwargs)->entries) {
        if (e.key.is_undefined()) continue;
        if (!IsType(e.key, ObjType::kStr)) {
          ok = ts.Raise("TypeError", "keywords must be strings");
          break;
        }
        kwnames.push_back(AsStr(e.key)->s);
        Incref(e.value);
        argv.push_back(e.value);
      }
    }
  }
  if (ok) {
    ok = ts.interp->Call(ts, f, argv.data(), static_cast<int>(argv.size()),
                         kwnames.empty() ? nullptr : &kwnames, result);
  }
  for (Value v : argv) Decref(v);
  return ok;
}

void Interpreter::AfterForkChild(ThreadState& ts) {
  if (root_ != this || !owned_gil_) return;  // a subinterpreter's Gil is its root's
  gil::GilConfig config;
  config.policy = gil_->PolicyName();
  config.switch_interval_us = gil_->SwitchIntervalUs();
  config.check_interval = gil_->CheckInterval();
  std::string error;
  std::unique_ptr<gil::Gil> fresh = gil::MakeGil(config, &error);
  if (!fresh) return;
  // Abandoned, not destroyed: its locks may be held by threads that do not exist here.
  (void)owned_gil_.release();
  (void)ts.gil.release();
  owned_gil_ = std::move(fresh);
  gil_ = owned_gil_.get();
  ts.gil_owner = gil_;
  ts.gil = gil_->RegisterThread(ts.thread->name);
  gil_->Acquire(ts.gil.get());
  for (ThreadObj* t : threads_) {
    if (t != ts.thread) t->set_state(ThreadObj::State::kDone);
  }
  active_threads_.store(1, std::memory_order_relaxed);
}

bool OsExit(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "_exit", 1, 1)) return false;
  int64_t status;
  if (!IndexArg(ts, call.args[0], &status)) return false;
  (void)result;
  _exit(static_cast<int>(status & 0xFF));
}

void MultiprocessingAtExit(ThreadState& ts) {
  TerminateAllPools(ts);
  std::vector<ProcessState*> children = Children();
  for (ProcessState* p : children) IncrefObj(p);
  for (ProcessState* p : children) {
    if (p->daemon && !PollProcess(ts, p, false)) kill(p->pid, SIGTERM);
  }
  for (ProcessState* p : children) PollProcess(ts, p, true);
  for (ProcessState* p : children) DecrefObj(p);
}

Value CreateMultiprocessingModule() {
  auto* m = new ModuleObj("multiprocessing");
  for (auto [name, fn] : std::initializer_list<std::pair<const char*, NativeFn>>{
           {"Process", ProcessArgs},
           {"Pool", MpPool},
           {"current_process", MpCurrentProcess},
           {"cpu_count", MpCpuCount}}) {
    m->attrs.emplace_back(name, Value::Object(new NativeObj(name, fn, false)));
  }
  m->attrs.emplace_back("ProcessError", Value::Object(ProcessErrorClass()));
  m->attrs.emplace_back("TimeoutError", Value::Object(MpTimeoutErrorClass()));
  return Value::Object(m);
}

}  // namespace gilbench::vm
