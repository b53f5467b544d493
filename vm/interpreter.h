// The interpreter: one per program, shared by all its threads under one GIL; and the per-thread
// state (value stack, frames, the pending error) that each OS thread running bytecode owns.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "gil/gil.h"
#include "gil/pthread_sync.h"
#include "vm/code.h"
#include "vm/object.h"
#include "vm/stdout_writer.h"

namespace gilbench::vm {

class Interpreter;

// One line of a traceback, captured when the error is raised: the code and the frame's saved
// instruction pointer only. Its line number is looked up in the code's line table when the
// traceback is printed, so an exception that is caught and never shown pays nothing for it.
struct TraceEntry {
  const CodeObj* code;  // borrowed: code objects live as long as the interpreter
  uint32_t offset;      // bytecode offset of the frame's ip (past the instruction that raised)
  // The source line of the instruction before `offset`, or the first one at the frame's start.
  int line() const { return code->LineForOffset(offset ? offset - 1 : 0); }
};

// A threading.Thread object. Its OS thread is started by start() and joined by the interpreter at
// exit.
struct ThreadObj : Obj {
  enum class State : uint8_t { kInitial, kStarted, kDone };
  std::string name;
  Value target = Value::None();     // owned
  Value args = Value::Undefined();  // owned: args= as given (unpacked by the thread), or undefined
  uint64_t ident = 0;
  int64_t native_id = 0;  // the OS thread id (gettid), once started
  bool daemon = false;    // guarded by the GIL; fixed once started. Daemon threads are not
                          // joined at exit: the process ends without them (RunMain)

  // The thread's lifecycle is read and written by threads that may hold different GILs (under
  // subinterp the thread ends under its own interpreter's, while the main thread reads it for
  // repr and waits on it in join() with none), so its own lock orders every access.
  State state() const EXCLUDES(state_mutex_) {
    gil::MutexLock lock(state_mutex_);
    return state_;
  }
  // Sets the state and wakes every join() waiting on it.
  void set_state(State state) EXCLUDES(state_mutex_) {
    {
      gil::MutexLock lock(state_mutex_);
      state_ = state;
    }
    state_changed_.Broadcast();
  }
  // join(timeout): blocks while the thread is started and not done, at most until `deadline_ns`
  // (CLOCK_MONOTONIC). Returns whether it had been started.
  bool WaitUntilDoneBy(int64_t deadline_ns) EXCLUDES(state_mutex_) {
    gil::MutexLock lock(state_mutex_);
    const bool started = state_ != State::kInitial;
    while (state_ == State::kStarted) {
      const int64_t left = deadline_ns - gil::MonotonicNs();
      if (left <= 0) break;
      state_changed_.TimedWaitUs(state_mutex_, std::max<int64_t>(1, (left + 999) / 1000));
    }
    return started;
  }
  // Blocks while the thread is started and not done (join()); returns whether it had been started.
  bool WaitUntilDone() EXCLUDES(state_mutex_) {
    gil::MutexLock lock(state_mutex_);
    const bool started = state_ != State::kInitial;
    while (state_ == State::kStarted) state_changed_.Wait(state_mutex_);
    return started;
  }

  std::thread os_thread;
  // Joins the OS thread, once, from whichever thread gets there first: join() once the thread
  // is done, or the interpreter's end. A finished thread left unjoined holds its stack, and a
  // child forked meanwhile inherits it as a thread that never ends (TSan's "thread leak").
  // Requires: the GIL not held (the thread may still be giving it back).
  void ReapOsThread() {
    if (!os_thread_reaped_.exchange(true) && os_thread.joinable()) os_thread.join();
  }
  ThreadObj() : Obj(ObjType::kThread) {}
  ~ThreadObj() override {
    Decref(target);
    Decref(args);
    if (os_thread.joinable()) os_thread.detach();
  }

 private:
  mutable gil::PthreadMutex state_mutex_;
  gil::PthreadCond state_changed_;  // broadcast at every change of state_
  State state_ GUARDED_BY(state_mutex_) = State::kInitial;
  std::atomic<bool> os_thread_reaped_{false};
};

// Everything one OS thread needs to run bytecode. Only its own thread touches it.
struct ThreadState {
  // Registers the thread with the interpreter's Gil under the Thread object's name; the
  // destructor retires the record (its stats and trace are kept for the run's totals).
  // Requires for destruction: the thread no longer holds or waits for the GIL.
  ThreadState(Interpreter* interp, ThreadObj* thread);
  ~ThreadState();
  ThreadState(const ThreadState&) = delete;
  ThreadState& operator=(const ThreadState&) = delete;

  // Records a pending error (the exception type and its message) and returns false, so that
  // helpers can `return ts.Raise(...)`. The traceback is captured as the error unwinds.
  bool Raise(std::string_view type, std::string message);
  // Records SystemExit: `code` is an int, None or a str (owned by the caller; copied here).
  bool RaiseSystemExit(Value code);
  void ClearError();

  Interpreter* interp;
  ThreadObj* thread;    // this thread's Thread object (borrowed; the interpreter keeps it)
  gil::Gil* gil_owner;  // the process's Gil (outlives any subinterpreter)
  std::unique_ptr<gil::GilThread> gil;

  // Value stack shared by the frames of plain calls, and the frames themselves.
  std::unique_ptr<Value[]> stack;
  Value* stack_end;
  Value* stack_free;  // first slot no plain frame may use (frames of C++-initiated calls go here)
  std::unique_ptr<Frame[]> frames;
  int frames_used = 0;
  // This thread's Python stack as GIL blame records it (gil/blame.h).
  std::string BlameStack() const;
  Frame* current = nullptr;  // innermost frame, for tracebacks
  int depth = 0;             // frames active, generator frames included (RecursionError)

  // Pushes a plain frame of `code` whose locals start at `locals` (its arguments bound there, the
  // rest undefined) as the innermost, and returns it: the one place a plain frame is made. The
  // caller has checked the recursion limit and that frame_size() slots fit below stack_end.
  // stack_free only moves up: a frame made in place over its caller's arguments starts below it.
  Frame* PushFrame(CodeObj* code, Value* locals) {
    Frame* frame = &frames[frames_used++];
    frame->Start(code, locals);
    frame->gen = nullptr;
    frame->init_call = false;
    frame->prev = current;
    frame->saved_free = stack_free;
    stack_free = std::max(stack_free, locals + code->frame_size());
    current = frame;
    depth++;
    return frame;
  }
  uint64_t breaker_checks = 0;  // eval-breaker checks handled (the step limit counts them)

  // The pending error, if any.
  bool has_error = false;
  std::string error_type;
  std::string error_message;
  // The message is str(exc_value), left for FormatError to work out: a `raise` statement's
  // exception, whose __str__ CPython runs only when it prints the traceback.
  bool error_message_pending = false;
  std::vector<TraceEntry> traceback;  // outermost first
  bool traceback_captured = false;
  bool system_exit = false;
  int exit_status = 0;
  std::string exit_message;  // printed to stderr on SystemExit("...")
  // The exception instance a program raised (owned), or undefined when the error came from the
  // VM itself as a (type, message) pair.
  Value exc_value = Value::Undefined();
  // Whether the pending error has been made an instance and given its __context__
  // (NoteRaisedError, vm/exceptions.h): false for a freshly raised one.
  bool exc_noted = false;
  bool uncatchable = false;  // the fuzzers' step limit: no handler catches it
  // The exception being handled (owned; undefined when none): set by a handler's PUSH_EXC_INFO,
  // restored by POP_EXCEPT; a bare raise re-raises it, a new exception takes it as __context__.
  Value handled = Value::Undefined();
  // Where Interpreter::Execute goes on after the loop stopped at an error a handler catches.
  Frame* resume = nullptr;
};

class Interpreter {
 public:
  static constexpr int kRecursionLimit = 1000;

  Interpreter(std::unique_ptr<gil::Gil> gil, std::vector<std::string> argv);
  // A subinterpreter for one thread under the subinterp policy (PEP 684): it shares the parent's
  // Gil object (whose per-thread locks never contend), the immortal code and constants, and owns
  // a snapshot of the parent's globals copied across (see subinterp.h). Requires: the caller
  // holds the parent's GIL; the new interpreter is then handed to its thread.
  explicit Interpreter(Interpreter* parent);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Compiles and verifies `source`. On failure returns false with the text to print (CPython's
  // SyntaxError shape) in *error.
  // `module_name` is the module's __name__: "__main__" for a script; the harness loads workloads
  // under another name so that their `if __name__ == "__main__":` demo does not run.
  // Running out of memory while compiling is a "MemoryError" in *error.
  bool Load(std::string_view source, std::string filename, std::string* error,
            std::string_view module_name = "__main__");

  // The disassembly of the loaded module (gilvm --dis).
  std::string Disassembly() const;

  // Runs the loaded module as the main thread, then waits for the other threads, flushes output
  // and returns the process exit status (0, sys.exit's code, or 1 after an uncaught error).
  int RunMain();
  // RunMain ended with an uncaught KeyboardInterrupt: CPython then ends by SIGINT (ExitBySigint).
  bool exit_by_sigint() const { return exit_by_sigint_; }

  // Runs the loaded module's body on the calling thread (which must not be running bytecode),
  // defining its functions, and waits for any thread it started. On an uncaught error returns
  // false with the traceback text in *error.
  bool RunModule(std::string* error);

  // Calls the global function `name` with int arguments on a thread that holds the GIL (the
  // harness's entry point). Returns false with the error in ts.
  bool CallGlobal(ThreadState& ts, std::string_view name, const std::vector<Value>& args,
                  Value* result);

  // --- used by the interpreter loop, builtins and modules -------------------------------------
  // Runs frames from `entry` until it returns (*yielded = false) or, for a generator frame,
  // yields (*yielded = true). The result is a new reference. Returns false on an error.
  bool Execute(ThreadState& ts, Frame* entry, Value* result, bool* yielded);
  // For the eval-breaker cost benchmark only: false runs a loop with the check compiled out
  // (no thread switch ever happens then). Set before any thread runs.
  void set_eval_breaker_checks(bool on) { eval_breaker_checks_ = on; }
  // For fuzzing only: a thread past `checks` eval-breaker checks (backward jumps and calls)
  // raises RuntimeError, so that a program that never ends stops. 0, the default: no limit. It
  // is counted where the breaker is handled, off the dispatch's fast path, so only under a
  // policy whose breaker is always set: py2's. Set before any thread runs.
  void set_step_limit(uint64_t checks) { step_limit_ = checks; }
  // Calls any callable. `args` are borrowed; the result is a new reference.
  bool Call(ThreadState& ts, Value callable, const Value* args, int nargs,
            const std::vector<std::string_view>* kwnames, Value* result);
  // Resumes `gen`, its YIELD_VALUE evaluating to `sent` (borrowed; None for next()): stores the
  // next item (new reference) and returns kItem, or returns kDone and, when `returned` is given,
  // stores the generator's return value there (a new reference; None when it had ended before).
  enum class IterResult { kItem, kDone, kError };
  IterResult ResumeGenerator(ThreadState& ts, GeneratorObj* gen, Value* item,
                             Value sent = Value::None(), Value* returned = nullptr);
  // Resumes suspended `gen` with ts's pending error raised at the yield it is suspended at (what
  // close() does with GeneratorExit): a handler there may catch it and yield (kItem) or return
  // (kDone); otherwise the generator ends with the error (kError).
  IterResult ThrowIntoGenerator(ThreadState& ts, GeneratorObj* gen, Value* item);

  // Drops and retakes the GIL around a blocking call, as CPython's Py_BEGIN/END_ALLOW_THREADS.
  void ReleaseGil(ThreadState& ts) { gil_->Release(ts.gil.get()); }
  void AcquireGil(ThreadState& ts) { gil_->Acquire(ts.gil.get()); }
  gil::Gil& gil() { return *gil_; }

  // sys.stdout.write(text) and sys.stdout.flush() for print, through the model of CPython's
  // buffering in stdout_writer.h, so that text reaches fd 1 when CPython's would. Each returns 0
  // or the errno of a failed write, which print raises (BrokenPipeError when the reader is gone).
  // Guarded by the GIL.
  int WriteStdout(std::string_view text) { return stdout_.Write(text); }
  int FlushStdout() { return stdout_.Flush(); }
  // The flush at exit, as CPython's finalization does it: a failure is reported on stderr as
  // "Exception ignored in: <stdout>" and the error. Returns false then (CPython exits 120).
  bool FinalFlushStdout();

  // Built-in modules, created on first import. Returns undefined for an unknown name.
  Value ImportModule(std::string_view name);
  // The random module's generator state (random_module.cc; type-erased here), made on first
  // use: one per interpreter, shared by its threads under the GIL, as CPython's module-level
  // generator is. Guarded by the GIL.
  std::shared_ptr<void>& random_state() { return random_state_; }

  // In a child just forked from `ts`'s thread (multiprocessing), that thread is the only one
  // left. The parent's Gil may be held or waited for by threads that are gone, so the child
  // takes a fresh Gil of the same policy (the old one is abandoned, never touched again) and
  // marks the other threads done, so that joining them returns. Defined in mp_process.cc.
  void AfterForkChild(ThreadState& ts);

  // Threads: start() and join() of threading.Thread, and active_count().
  bool StartThread(ThreadState& ts, ThreadObj* thread);
  bool JoinThread(ThreadState& ts, ThreadObj* thread);
  // join(timeout): as JoinThread, waiting at most `timeout_ns` (< 0: no limit).
  bool JoinThreadFor(ThreadState& ts, ThreadObj* thread, int64_t timeout_ns);
  // threading.enumerate(): the main thread and every started thread not yet done (borrowed).
  std::vector<ThreadObj*> LiveThreads();
  // RunMain left daemon threads running: the process must end without destroying anything
  // (gilvm_main.cc calls _exit), as the main thread still holds the GIL they wait for.
  bool daemons_left() const { return daemons_left_; }
  int ActiveThreadCount() const { return active_threads_.load(std::memory_order_relaxed); }
  ThreadObj* main_thread() { return main_thread_; }
  Interpreter* root() const { return root_; }  // the main interpreter
  // Under the subinterp policy each thread runs in an interpreter of its own.
  bool isolated_threads() const { return isolated_threads_; }
  std::string NextThreadName(std::string_view target_name);

  const std::vector<std::string>& argv() const { return argv_; }
  const std::string& module_name() const { return module_name_; }  // the module's __name__
  std::string_view source() const { return source_; }
  const std::string& filename() const { return filename_; }

  // `ts`'s pending error as CPython prints it (header, traceback, then "Type: message"), and
  // printing it to stderr.
  std::string FormatError(ThreadState& ts, std::string_view header);
  void PrintError(ThreadState& ts, std::string_view header);

  // Under the subinterp policy: why global `name` could not be copied into this subinterpreter
  // (a Thread or a generator cannot cross), or null.
  const std::string* UncopyableGlobal(std::string_view name) const;

  // The identifiers of the program's source, lexed on first use (cpython_interned.cc). Guarded
  // by the GIL.
  const std::unordered_set<std::string>& SourceIdentifiers();

  // Joins the OS thread of every thread the program started (threading.Thread), daemon threads
  // that still run excepted, including those started meanwhile: after it, no thread of the
  // program touches the interpreter. `ts` holds the GIL; it is released while waiting.
  void JoinAllThreads(ThreadState& ts);

 private:
  friend struct ThreadState;
  bool LoadModule(std::string_view source, std::string filename, std::string* error,
                  std::string_view module_name);
  struct ThreadLaunch;
  static void ThreadMain(ThreadLaunch* launch);
  bool LaunchIsolated(ThreadState& ts, ThreadObj* thread, ThreadLaunch* launch);
  bool SpawnThread(ThreadState& ts, ThreadObj* thread, ThreadLaunch* launch);
  // A thread's target(*args): false with the error in ts (MemoryError included).
  bool CallThreadTarget(ThreadState& ts, Value target, Value args);
  bool CallFunction(ThreadState& ts, FunctionObj* fn, const Value* args, int nargs,
                    const std::vector<std::string_view>* kwnames, Value* result);
  void CaptureTraceback(ThreadState& ts);
  void UnwindFrames(ThreadState& ts, Frame* innermost, Frame* entry);
  IterResult RunGenerator(ThreadState& ts, GeneratorObj* gen, Value* item, Value* returned,
                          bool throwing);
  // Unwinding first looks for a frame from `innermost` down to `entry` whose exception table
  // catches the pending error: when there is one, the frames inside it are unwound, its stack
  // is cut to the handler's depth with the exception pushed, its ip set to the handler, and it
  // is left in ts.resume (Execute runs the loop again there): true. Else false (ts.resume null)
  // with nothing unwound.
  bool CatchError(ThreadState& ts, Frame* innermost, Frame* entry);
  // kCountTicks: count vm_ticks (the GIL's accounting is on, as it is unless a benchmark turns
  // it off to measure what it costs).
  // Runs from frame `start` (entry or a frame called from it) until entry returns or yields; on
  // an error returns false with the innermost frame saved (Execute unwinds it).
  template <bool kCheckBreaker, bool kCountTicks>
  bool Run(ThreadState& ts, Frame* entry, Frame* start, Value* result, bool* yielded);

  std::unique_ptr<gil::Gil> owned_gil_;  // the main interpreter owns the Gil
  gil::Gil* gil_;                        // ... which its subinterpreters share
  Interpreter* root_;                    // the main interpreter (this one, for the main)
  bool isolated_threads_;                // subinterp policy: each thread its own interpreter
  bool eval_breaker_checks_ = true;
  uint64_t step_limit_ = 0;
  std::vector<std::string> argv_;
  std::string module_name_;
  std::string source_;
  std::string filename_;
  CodeObj* module_code_ = nullptr;

 public:
  // Globals of the one module: slots named by global_names_, builtins pre-filled. Guarded by
  // the GIL.
  std::vector<Value> globals;
  std::vector<std::string> global_names;

 private:
  std::vector<std::pair<std::string, Value>> modules_;  // guarded by the GIL
  // Subinterpreters: (name, why) of the parent's globals that could not be copied across.
  std::vector<std::pair<std::string, std::string>> uncopyable_globals_;
  StdoutWriter stdout_;  // guarded by the GIL
  // The program's identifiers (SourceIdentifiers), lexed on first use. Guarded by the GIL.
  std::unique_ptr<std::unordered_set<std::string>> source_identifiers_;
  ThreadObj* main_thread_ = nullptr;

  // Threads started by the program (owned references), joined at exit. Guarded by the GIL.
  std::vector<ThreadObj*> threads_;
  // Started and not finished, plus this interpreter's main thread. Atomic: under subinterp a
  // thread ends holding its own GIL, not this interpreter's.
  std::atomic<int> active_threads_{1};
  bool exit_by_sigint_ = false;  // see exit_by_sigint()
  bool daemons_left_ = false;    // see daemons_left()
  int thread_counter_ = 0;       // for default names "Thread-N (target)"; guarded by the GIL

  // See random_state(); guarded by the GIL.
  std::shared_ptr<void> random_state_;
};

}  // namespace gilbench::vm
