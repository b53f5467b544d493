// The life of a program: loading (compile + verify), running the main thread, starting and
// joining threads, buffered output, and printing uncaught errors in CPython's shape.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>

#include "vm/builtins.h"
#include "vm/compiler.h"
#include "vm/disassembler.h"
#include "vm/interpreter.h"
#include "vm/parser.h"
#include "vm/runtime.h"
#include "vm/subinterp.h"
#include "vm/verifier.h"

namespace gilbench::vm {

namespace {

constexpr size_t kStdoutFlushBytes = 1 << 16;

uint64_t CurrentIdent() { return static_cast<uint64_t>(pthread_self()); }

// Line `line` (1-based) of `source`, without surrounding blanks.
std::string SourceLine(std::string_view source, int line) {
  size_t start = 0;
  for (int i = 1; i < line && start != std::string_view::npos; ++i) {
    start = source.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos || start >= source.size()) return "";
  size_t end = source.find('\n', start);
  std::string_view text = source.substr(start, end == std::string_view::npos ? end : end - start);
  size_t b = text.find_first_not_of(" \t\r\f");
  size_t e = text.find_last_not_of(" \t\r\f");
  return b == std::string_view::npos ? "" : std::string(text.substr(b, e - b + 1));
}

// Pushes the module's frame as the first frame of `ts`.
Frame* PushModuleFrame(ThreadState& ts, CodeObj* code) {
  Frame* frame = &ts.frames[ts.frames_used++];
  frame->code = code;
  frame->ip = code->bytecode.data();
  frame->locals = ts.stack_free;
  frame->sp = frame->locals + code->nlocals();
  frame->gen = nullptr;
  frame->prev = ts.current;
  frame->saved_free = ts.stack_free;
  ts.stack_free = frame->locals + code->frame_size();
  ts.current = frame;
  ts.depth++;
  return frame;
}

}  // namespace

Interpreter::Interpreter(std::unique_ptr<gil::Gil> gil, std::vector<std::string> argv)
    : owned_gil_(std::move(gil)),
      gil_(owned_gil_.get()),
      root_(this),
      isolated_threads_(std::string_view(gil_->PolicyName()) == "subinterp"),
      argv_(std::move(argv)) {
  InitBuiltins();
  main_thread_ = new ThreadObj();
  main_thread_->name = "MainThread";
  main_thread_->ident = CurrentIdent();
  main_thread_->state = ThreadObj::State::kStarted;
}

Interpreter::Interpreter(Interpreter* parent)
    : gil_(parent->gil_),
      root_(parent->root_),
      isolated_threads_(true),
      argv_(parent->argv_),
      source_(parent->source_),
      filename_(parent->filename_),
      global_names(parent->global_names) {
  main_thread_ = new ThreadObj();
  main_thread_->state = ThreadObj::State::kStarted;
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
  source_ = std::string(source);
  filename_ = std::move(filename);
  Module module;
  SyntaxErrorInfo syntax;
  CodeObj* code = nullptr;
  if (!Parse(source_, filename_, &module, &syntax) ||
      !Compile(module, filename_, &global_names, &code, &syntax)) {
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
  if (Execute(ts, frame, &result, &yielded)) {
    Decref(result);
  } else {
    status = 1;
    FlushStdout();
    if (ts.system_exit) {
      status = ts.exit_status;
      if (!ts.exit_message.empty()) std::fprintf(stderr, "%s\n", ts.exit_message.c_str());
    } else {
      PrintError(ts, "");
    }
    ts.ClearError();
  }
  JoinAllThreads(ts);
  FlushStdout();
  gil_->Release(ts.gil.get());
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

void Interpreter::WriteStdout(std::string_view text) {
  stdout_buffer_ += text;
  if (stdout_buffer_.size() >= kStdoutFlushBytes) FlushStdout();
}

void Interpreter::FlushStdout() {
  size_t done = 0;
  while (done < stdout_buffer_.size()) {
    ssize_t n = write(1, stdout_buffer_.data() + done, stdout_buffer_.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  stdout_buffer_.clear();
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
  std::string text = FormatError(ts, header);
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
}

std::string Interpreter::FormatError(ThreadState& ts, std::string_view header) {
  std::string text(header);
  text += "Traceback (most recent call last):\n";
  for (const TraceEntry& e : ts.traceback) {
    text += "  File \"" + e.code->filename + "\", line " + std::to_string(e.line) + ", in " +
            e.code->name + "\n";
    std::string line = SourceLine(source_, e.line);
    if (!line.empty()) text += "    " + line + "\n";
  }
  text += ts.error_type;
  if (!ts.error_message.empty()) text += ": " + ts.error_message;
  text += "\n";
  return text;
}

// --- threads -------------------------------------------------------------------------------------

// What a new OS thread needs: the interpreter whose Thread object it completes, and the one it
// runs in -- the same one, or under subinterp a subinterpreter of its own with its own copies of
// the target and arguments.
struct Interpreter::ThreadLaunch {
  Interpreter* owner;                     // holds `thread` in threads_; join() waits there
  std::unique_ptr<Interpreter> isolated;  // subinterp: the thread's own interpreter
  ThreadObj* thread;                      // the program's Thread object (owned by `owner`)
  ThreadObj* self;                        // what current_thread() returns in the runner
  Value target = Value::None();           // owned by the runner
  Value args = Value::Undefined();        // owned by the runner
  Interpreter* runner() { return isolated ? isolated.get() : owner; }
};

bool Interpreter::StartThread(ThreadState& ts, ThreadObj* thread) {
  {
    std::lock_guard<std::mutex> lock(threads_mutex_);
    if (thread->state != ThreadObj::State::kInitial) {
      return ts.Raise("RuntimeError", "threads can only be started once");
    }
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
  {
    std::lock_guard<std::mutex> lock(threads_mutex_);
    thread->state = ThreadObj::State::kStarted;
  }
  IncrefObj(thread);  // threads_ keeps it until the interpreter ends
  threads_.push_back(thread);
  active_threads_.fetch_add(1, std::memory_order_relaxed);
  thread->os_thread = std::thread(&Interpreter::ThreadMain, std::move(launch));
  return true;
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
    Decref(launch->target);
    return ts.Raise("RuntimeError", "cannot start " + thread->name +
                                        " in its own interpreter (--gil=subinterp): " + why);
  }
  return true;
}

bool Interpreter::JoinThread(ThreadState& ts, ThreadObj* thread) {
  if (thread == ts.thread) return ts.Raise("RuntimeError", "cannot join current thread");
  ReleaseGil(ts);
  bool started;
  {
    std::unique_lock<std::mutex> lock(threads_mutex_);
    started = thread->state != ThreadObj::State::kInitial;
    while (thread->state == ThreadObj::State::kStarted) threads_cv_.wait(lock);
  }
  AcquireGil(ts);
  if (!started) return ts.Raise("RuntimeError", "cannot join thread before it is started");
  return true;
}

// Runs on the new OS thread: takes the GIL, calls the target, reports an uncaught error as
// CPython's threading does, and marks the thread done.
void Interpreter::ThreadMain(std::unique_ptr<ThreadLaunch> launch) {
  Interpreter* interp = launch->runner();
  ThreadState ts(interp, launch->self);
  interp->gil_->Acquire(ts.gil.get());
  launch->self->ident = CurrentIdent();
  Value result;
  const Value* args = nullptr;
  int nargs = 0;
  if (IsType(launch->args, ObjType::kTuple)) {
    args = AsSeq(launch->args)->items.data();
    nargs = static_cast<int>(AsSeq(launch->args)->items.size());
  }
  bool has_target = !launch->target.is_none();
  bool ok = !has_target || interp->Call(ts, launch->target, args, nargs, nullptr, &result);
  if (ok && has_target) Decref(result);
  if (!ok && !ts.system_exit) {
    interp->PrintError(ts, "Exception in thread " + launch->self->name + ":\n");
  }
  ts.ClearError();
  Decref(launch->target);
  Decref(launch->args);
  if (launch->isolated) {
    interp->JoinAllThreads(ts);  // the subinterpreter's own threads end with it
    interp->FlushStdout();
    launch->isolated.reset();  // only this thread ever touched its objects
  }
  Interpreter* owner = launch->owner;
  owner->active_threads_.fetch_sub(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(owner->threads_mutex_);
    launch->thread->state = ThreadObj::State::kDone;
  }
  owner->threads_cv_.notify_all();
  owner->gil_->Release(ts.gil.get());
}

void Interpreter::JoinAllThreads(ThreadState& ts) {
  // Threads may start more threads while we wait: join until none is left unjoined.
  size_t joined = 0;
  while (joined < threads_.size()) {
    ThreadObj* t = threads_[joined++];
    ReleaseGil(ts);
    if (t->os_thread.joinable()) t->os_thread.join();
    AcquireGil(ts);
  }
}

}  // namespace gilbench::vm
