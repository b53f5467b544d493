// The life of a program: loading (compile + verify), running the main thread, starting and
// joining threads, buffered output, and printing uncaught errors in CPython's shape.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <new>
#include <system_error>

#include "vm/builtins.h"
#include "vm/compiler.h"
#include "vm/disassembler.h"
#include "vm/exceptions.h"
#include "vm/interpreter.h"
#include "vm/lexer.h"
#include "vm/multiprocessing.h"
#include "vm/os_error.h"
#include "vm/parser.h"
#include "vm/runtime.h"
#include "vm/subinterp.h"
#include "vm/sync.h"
#include "vm/traceback.h"
#include "vm/verifier.h"

namespace gilbench::vm {

namespace {

uint64_t CurrentIdent() { return static_cast<uint64_t>(pthread_self()); }

// Writes all of `text` to stderr, NUL bytes included (a message may hold one: sys.exit("a\0b")).
void WriteStderr(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// Parses and compiles `source` one top-level statement at a time (ParseEach, ModuleCompiler), so
// that the tokens and the tree of the whole file are never in memory at once: compiling takes
// time and memory in proportion to the source. A syntax error anywhere in the file is reported
// before a compile error, as when the whole file is parsed first.
bool CompileSource(std::string_view source, const std::string& filename,
                   std::vector<std::string>* global_names, CodeObj** code, SyntaxErrorInfo* error) {
  ModuleCompiler compiler(filename, global_names);
  auto compile = [&](StmtPtr s) { compiler.Add(*s); };
  return ParseEach(source, filename, compile, error) && compiler.Finish(code, error);
}

// Pushes the module's frame as the first frame of `ts`.
Frame* PushModuleFrame(ThreadState& ts, CodeObj* code) { return ts.PushFrame(code, ts.stack_free); }

}  // namespace

Interpreter::Interpreter(std::unique_ptr<gil::Gil> gil, std::vector<std::string> argv)
    : owned_gil_(std::move(gil)),
      gil_(owned_gil_.get()),
      root_(this),
      isolated_threads_(std::string_view(gil_->PolicyName()) == "subinterp"),
      argv_(std::move(argv)),
      stdout_(STDOUT_FILENO) {
  InitBuiltins();
  main_thread_ = new ThreadObj();
  main_thread_->name = "MainThread";
  main_thread_->ident = CurrentIdent();
  main_thread_->native_id = static_cast<int64_t>(gettid());
  main_thread_->set_state(ThreadObj::State::kStarted);
}

Interpreter::Interpreter(Interpreter* parent)
    : gil_(parent->gil_),
      root_(parent->root_),
      isolated_threads_(true),
      argv_(parent->argv_),
      module_name_(parent->module_name_),
      source_(parent->source_),
      filename_(parent->filename_),
      global_names(parent->global_names),
      stdout_(parent->stdout_) {
  main_thread_ = new ThreadObj();
  main_thread_->set_state(ThreadObj::State::kStarted);
  // A snapshot of the parent's globals: what cannot cross stays undefined here, and a use of it
  // says why (UncopyableGlobal).
  globals.assign(parent->globals.size(), Value::Undefined());
  CrossInterpreterCopier copier(this);
  for (size_t i = 0; i < globals.size(); ++i) {
    std::string why;
    if (!copier.Copy(parent->globals[i], &globals[i], &why)) {
      globals[i] = Value::Undefined();
      uncopyable_globals_.emplace_back(global_names[i], why);
    }
  }
}

Interpreter::~Interpreter() {
  for (Value v : globals) Decref(v);
  for (auto& [name, module] : modules_) Decref(module);
  for (ThreadObj* t : threads_) DecrefObj(t);
  if (module_code_) FreeImmortal(Value::Object(module_code_));
  DecrefObj(main_thread_);
}

const std::string* Interpreter::UncopyableGlobal(std::string_view name) const {
  for (const auto& [global, why] : uncopyable_globals_) {
    if (global == name) return &why;
  }
  return nullptr;
}

bool Interpreter::Load(std::string_view source, std::string filename, std::string* error,
                       std::string_view module_name) {
  try {
    return LoadModule(source, std::move(filename), error, module_name);
  } catch (const std::bad_alloc&) {
    // Out of memory while compiling: CPython's MemoryError, reported as a compile error is
    // (nothing ran, so there is no traceback).
    *error = "MemoryError\n";
    return false;
  }
}

bool Interpreter::LoadModule(std::string_view source, std::string filename, std::string* error,
                             std::string_view module_name) {
  module_name_ = std::string(module_name);
  source_ = std::string(SkipUtf8Bom(source));  // tracebacks and carets show the text without it
  filename_ = std::move(filename);
  SyntaxErrorInfo syntax;
  CodeObj* code = nullptr;
  if (!CompileSource(source_, filename_, &global_names, &code, &syntax)) {
    *error = FormatSyntaxError(filename_, source_, syntax);
    return false;
  }
  std::string why;
  if (!Verify(code, global_names.size(), &why)) {
    FreeImmortal(Value::Object(code));
    *error = "SystemError: " + why + "\n";
    return false;
  }
  // Code and constants never change again and every thread reads them: immortal (PEP 683), so
  // even threads under different GILs (subinterp) share them without writing their counts.
  MakeImmortal(Value::Object(code));
  module_code_ = code;
  globals.assign(global_names.size(), Value::Undefined());
  for (size_t i = 0; i < global_names.size(); ++i) {
    globals[i] = global_names[i] == "__name__" ? MakeStr(std::string(module_name))
                                               : LookupBuiltin(global_names[i]);
  }
  return true;
}

std::string Interpreter::Disassembly() const { return Disassemble(*module_code_, global_names); }

int Interpreter::RunMain() {
  ThreadState ts(this, main_thread_);
  gil_->Acquire(ts.gil.get());
  Frame* frame = PushModuleFrame(ts, module_code_);
  Value result;
  bool yielded;
  int status = 0;
  bool ok = Execute(ts, frame, &result, &yielded);
  // As CPython does when a script's code ends (pythonrun.c's flush_io): flush stdout before any
  // traceback and ignore a failure. Text that failed to go straight out is lost; text the
  // buffer kept fails again at the final flush.
  FlushStdout();
  if (ok) {
    Decref(result);
  } else {
    status = 1;
    if (ts.system_exit) {
      status = ts.exit_status;
      if (!ts.exit_message.empty()) WriteStderr(ts.exit_message + "\n");
    } else {
      exit_by_sigint_ = ts.error_type == "KeyboardInterrupt";
      PrintError(ts, "");
    }
    ts.ClearError();
  }
  FuturesAtExit(this);  // thread pools shut down: their workers end (sync.h)
  JoinAllThreads(ts);
  MultiprocessingAtExit(ts);  // children joined, pools' workers ended (multiprocessing.h)
  if (!FinalFlushStdout()) status = 120;
  // Under the GIL a daemon thread is either still started -- it cannot end without the GIL, so
  // it never runs again -- or done and past its last release: then its OS thread is only
  // finishing, and is joined before the interpreter goes.
  for (ThreadObj* t : threads_) {
    if (!t->daemon) continue;
    if (t->state() == ThreadObj::State::kStarted) {
      daemons_left_ = true;
    } else {
      t->ReapOsThread();
    }
  }
  // Daemon threads still running never get the GIL back: the process ends under it.
  if (!daemons_left_) gil_->Release(ts.gil.get());
  return status;
}

bool Interpreter::RunModule(std::string* error) {
  ThreadState ts(this, main_thread_);
  gil_->Acquire(ts.gil.get());
  Frame* frame = PushModuleFrame(ts, module_code_);
  Value result;
  bool yielded;
  bool ok = Execute(ts, frame, &result, &yielded);
  if (ok) {
    Decref(result);
  } else {
    *error = FormatError(ts, "");
    ts.ClearError();
  }
  FuturesAtExit(this);
  JoinAllThreads(ts);
  FlushStdout();
  gil_->Release(ts.gil.get());
  return ok;
}

bool Interpreter::CallGlobal(ThreadState& ts, std::string_view name, const std::vector<Value>& args,
                             Value* result) {
  for (size_t i = 0; i < global_names.size(); ++i) {
    if (global_names[i] == name && !globals[i].is_undefined()) {
      return Call(ts, globals[i], args.data(), static_cast<int>(args.size()), nullptr, result);
    }
  }
  return ts.Raise("NameError", "name '" + std::string(name) + "' is not defined");
}

bool Interpreter::FinalFlushStdout() {
  int err = FlushStdout();
  if (err == 0) return true;
  WriteStderr(
      "Exception ignored in: <_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>\n" +
      std::string(OsErrorType(err)) + ": " + OsErrorText(err) + "\n");
  return false;
}

Value Interpreter::ImportModule(std::string_view name) {
  for (auto& [key, module] : modules_) {
    if (key == name) return module;
  }
  Value module = CreateModule(this, name);
  if (!module.is_undefined()) modules_.emplace_back(std::string(name), module);
  return module;
}

std::string Interpreter::NextThreadName(std::string_view target_name) {
  std::string name = "Thread-" + std::to_string(++thread_counter_);
  if (!target_name.empty()) name += " (" + std::string(target_name) + ")";
  return name;
}

void Interpreter::PrintError(ThreadState& ts, std::string_view header) {
  WriteStderr(FormatError(ts, header));
}

// str() of the pending exception (ThreadState::error_message_pending), worked out while the
// pending error is set aside: its __str__ may run Python code and fail, which CPython's
// traceback shows as <exception str() failed>.
static std::string PendingErrorMessage(ThreadState& ts) {
  Value exc = ts.exc_value;
  std::string type = std::move(ts.error_type);
  std::vector<TraceEntry> traceback = std::move(ts.traceback);
  const bool had_error = ts.has_error, captured = ts.traceback_captured, noted = ts.exc_noted,
             uncatchable = ts.uncatchable;
  ts.exc_value = Value::Undefined();
  ts.has_error = false;
  std::string message;
  if (!StrOf(ts, exc, &message)) message = "<exception str() failed>";
  ts.ClearError();
  ts.has_error = had_error;
  ts.error_type = std::move(type);
  ts.traceback = std::move(traceback);
  ts.traceback_captured = captured;
  ts.exc_noted = noted;
  ts.uncatchable = uncatchable;
  ts.exc_value = exc;
  return message;
}

std::string Interpreter::FormatError(ThreadState& ts, std::string_view header) {
  std::string text(header);
  // The exceptions it is chained to come first; formatting them may run a program's __str__,
  // so the pending error is set aside meanwhile.
  if (IsExceptionInstance(ts.exc_value)) {
    Value exc = ts.exc_value;
    ts.exc_value = Value::Undefined();
    const bool had_error = ts.has_error;
    ts.has_error = false;
    text += FormatExceptionChain(ts, source_, exc);
    ts.has_error = had_error;
    Decref(ts.exc_value);
    ts.exc_value = exc;
  }
  text += FormatTraceback(source_, ts.traceback);
  text += ts.error_type;
  if (ts.error_message_pending && IsExceptionInstance(ts.exc_value)) {
    ts.error_message = PendingErrorMessage(ts);
    ts.error_message_pending = false;
  }
  if (!ts.error_message.empty()) text += ": " + ts.error_message;
  text += "\n";
  return text;
}

// --- threads -------------------------------------------------------------------------------------

// What a new OS thread needs: the interpreter whose Thread object it completes, the one it runs
// in -- the same one, or under subinterp a subinterpreter of its own with its own copies of the
// target and arguments -- and its ThreadState, made before the thread starts.
struct Interpreter::ThreadLaunch {
  Interpreter* owner;                     // holds `thread` in threads_; join() waits there
  std::unique_ptr<Interpreter> isolated;  // subinterp: the thread's own interpreter
  ThreadObj* thread;                      // the program's Thread object (owned by `owner`)
  ThreadObj* self;                        // what current_thread() returns in the runner
  Value target = Value::None();           // owned by the runner
  Value args = Value::Undefined();        // owned by the runner: Thread's args=, any value
  std::unique_ptr<ThreadState> state;     // the new thread's (destroyed after its last release)
  Interpreter* runner() { return isolated ? isolated.get() : owner; }
  // A launch whose thread never started releases what it took, under the starter's GIL (the
  // thread itself releases them before it ends, and leaves nothing here).
  ~ThreadLaunch() {
    Decref(target);
    Decref(args);
  }
};

namespace {

// How CPython names a callable in "f() argument after * must be ..." (_PyObject_FunctionStr):
// "__main__.f()", "print()", "list.append()", or str() of what is not callable.
std::string FunctionStr(Value callable, std::string_view module_name) {
  if (IsType(callable, ObjType::kFunction)) {
    return std::string(module_name) + "." + static_cast<FunctionObj*>(callable.o)->code->name +
           "()";
  }
  if (IsType(callable, ObjType::kNative)) {
    return std::string(static_cast<NativeObj*>(callable.o)->name) + "()";
  }
  if (IsType(callable, ObjType::kBoundMethod)) {
    auto* bound = static_cast<BoundMethodObj*>(callable.o);
    return std::string(TypeName(bound->self)) + "." + bound->method->name + "()";
  }
  return ToStr(callable);
}

// The arguments a thread calls its target with: Thread's args=, unpacked in the new thread as
// CPython's run() does with self._target(*self._args), so that a bad value is that thread's
// TypeError, not the constructor's. New references in *out.
bool ThreadArguments(ThreadState& ts, Value target, Value args, std::vector<Value>* out) {
  if (args.is_undefined()) return true;  // no args=
  Value it;
  if (!GetIter(ts, args, &it)) {
    ts.ClearError();
    return ts.Raise("TypeError", FunctionStr(target, ts.interp->module_name()) +
                                     " argument after * must be an iterable, not " +
                                     TypeName(args));
  }
  Decref(it);
  return CollectIterable(ts, args, out);
}

}  // namespace

bool Interpreter::StartThread(ThreadState& ts, ThreadObj* thread) {
  if (thread->state() != ThreadObj::State::kInitial) {
    return ts.Raise("RuntimeError", "threads can only be started once");
  }
  auto launch = std::make_unique<ThreadLaunch>();
  launch->owner = this;
  launch->thread = thread;
  launch->self = thread;
  if (isolated_threads_) {
    if (!LaunchIsolated(ts, thread, launch.get())) return false;
  } else {
    launch->target = thread->target;
    launch->args = thread->args;
    Incref(launch->target);
    Incref(launch->args);
  }
  // What the thread needs is allocated here, under the GIL, as CPython allocates the new thread's
  // state in start(): running out of memory is start()'s MemoryError (the loop turns the
  // std::bad_alloc into it), and the thread cannot fail before it runs.
  launch->state = std::make_unique<ThreadState>(launch->runner(), launch->self);
  threads_.reserve(threads_.size() + 1);
  if (!SpawnThread(ts, thread, launch.get())) return false;
  launch.release();   // the thread owns it now
  IncrefObj(thread);  // threads_ keeps it until the interpreter ends
  threads_.push_back(thread);
  return true;
}

// Starts the OS thread that runs `launch` (which it then owns), marking `thread` started. When
// the OS refuses (std::thread's std::system_error, EAGAIN under a process or memory limit) it is
// CPython's RuntimeError, and `thread` stays startable, as in CPython.
bool Interpreter::SpawnThread(ThreadState& ts, ThreadObj* thread, ThreadLaunch* launch) {
  thread->set_state(ThreadObj::State::kStarted);
  active_threads_.fetch_add(1, std::memory_order_relaxed);
  std::string_view type, message;
  try {
    thread->os_thread = std::thread([launch] { ThreadMain(launch); });
    return true;
  } catch (const std::system_error&) {
    type = "RuntimeError";
    message = "can't start new thread";
  } catch (const std::bad_alloc&) {
    type = "MemoryError";
  }
  active_threads_.fetch_sub(1, std::memory_order_relaxed);
  thread->set_state(ThreadObj::State::kInitial);
  return ts.Raise(type, std::string(message));
}

// Under subinterp: builds the thread's own interpreter and copies the target and arguments
// into it (so the two threads share no counted object).
bool Interpreter::LaunchIsolated(ThreadState& ts, ThreadObj* thread, ThreadLaunch* launch) {
  launch->isolated = std::make_unique<Interpreter>(this);
  Interpreter* child = launch->isolated.get();
  child->main_thread_->name = thread->name;
  launch->self = child->main_thread_;
  CrossInterpreterCopier copier(child);
  std::string why;
  if (!copier.Copy(thread->target, &launch->target, &why) ||
      !copier.Copy(thread->args, &launch->args, &why)) {
    return ts.Raise("RuntimeError", "cannot start " + thread->name +
                                        " in its own interpreter (--gil=subinterp): " + why);
  }
  return true;
}

bool Interpreter::JoinThreadFor(ThreadState& ts, ThreadObj* thread, int64_t timeout_ns) {
  if (thread == ts.thread) return ts.Raise("RuntimeError", "cannot join current thread");
  int64_t deadline = INT64_MAX;
  if (timeout_ns >= 0 && __builtin_add_overflow(gil::MonotonicNs(), timeout_ns, &deadline)) {
    deadline = INT64_MAX;
  }
  // The main thread waits in slices, so that Ctrl-C interrupts its join (sync.h).
  constexpr int64_t kSliceNs = 20'000'000;
  const bool sliced = ts.thread == main_thread_ && root_ == this;
  bool started, interrupted = false;
  ReleaseGil(ts);
  for (;;) {
    const int64_t now = gil::MonotonicNs();
    const int64_t until = sliced && deadline - now > kSliceNs ? now + kSliceNs : deadline;
    started = thread->WaitUntilDoneBy(until);
    if (!started || thread->state() != ThreadObj::State::kStarted || until == deadline) break;
    if (InterruptPendingFor(ts)) {
      interrupted = true;
      break;
    }
  }
  if (thread->state() == ThreadObj::State::kDone) thread->ReapOsThread();
  AcquireGil(ts);
  if (interrupted) return RaiseInterrupt(ts);
  if (!started) return ts.Raise("RuntimeError", "cannot join thread before it is started");
  return true;
}

std::vector<ThreadObj*> Interpreter::LiveThreads() {
  std::vector<ThreadObj*> live{main_thread_};
  for (ThreadObj* t : threads_) {
    if (t->state() == ThreadObj::State::kStarted) live.push_back(t);
  }
  return live;
}

bool Interpreter::JoinThread(ThreadState& ts, ThreadObj* thread) {
  if (thread == ts.thread) return ts.Raise("RuntimeError", "cannot join current thread");
  ReleaseGil(ts);
  const bool started = thread->WaitUntilDone();
  if (started) thread->ReapOsThread();
  AcquireGil(ts);
  if (!started) return ts.Raise("RuntimeError", "cannot join thread before it is started");
  return true;
}

// Runs on the new OS thread, owning `launch_ptr`: takes the GIL, calls the target, reports an
// uncaught error as CPython's threading does, and marks the thread done.
void Interpreter::ThreadMain(ThreadLaunch* launch_ptr) {
  std::unique_ptr<ThreadLaunch> launch(launch_ptr);
  Interpreter* interp = launch->runner();
  ThreadState& ts = *launch->state;
  interp->gil_->Acquire(ts.gil.get());
  launch->self->ident = CurrentIdent();
  launch->self->native_id = static_cast<int64_t>(gettid());
  if (!launch->target.is_none() && !interp->CallThreadTarget(ts, launch->target, launch->args) &&
      !ts.system_exit) {
    interp->PrintError(ts, "Exception in thread " + launch->self->name + ":\n");
  }
  ts.ClearError();
  Decref(launch->target);
  Decref(launch->args);
  launch->target = Value::None();
  launch->args = Value::Undefined();
  if (launch->isolated) {
    interp->JoinAllThreads(ts);  // the subinterpreter's own threads end with it
    interp->FinalFlushStdout();  // reported like CPython's Py_EndInterpreter; no exit status
    launch->isolated.reset();    // only this thread ever touched its objects
  }
  Interpreter* owner = launch->owner;
  owner->active_threads_.fetch_sub(1, std::memory_order_relaxed);
  launch->thread->set_state(ThreadObj::State::kDone);
  owner->gil_->Release(ts.gil.get());
}

bool Interpreter::CallThreadTarget(ThreadState& ts, Value target, Value args) {
  std::vector<Value> argv;
  Value result;
  bool ok;
  // Unpacking the arguments, binding them and a native target run outside Execute, whose catch
  // makes running out of memory a MemoryError: the same here.
  try {
    ok = ThreadArguments(ts, target, args, &argv) &&
         Call(ts, target, argv.data(), static_cast<int>(argv.size()), nullptr, &result);
  } catch (const std::bad_alloc&) {
    ok = ts.Raise("MemoryError", "");
  }
  if (ok) Decref(result);
  for (Value v : argv) Decref(v);
  return ok;
}

void Interpreter::JoinAllThreads(ThreadState& ts) {
  // Threads may start more threads while we wait: join until none is left unjoined.
  size_t joined = 0;
  while (joined < threads_.size()) {
    ThreadObj* t = threads_[joined++];
    // The process ends without waiting for a daemon thread still running (RunMain).
    if (t->daemon && t->state() == ThreadObj::State::kStarted) continue;
    ReleaseGil(ts);
    t->ReapOsThread();
    AcquireGil(ts);
  }
}

}  // namespace gilbench::vm
