// multiprocessing with the fork start method, as CPython 3.11 runs it on Linux: Process
// (mp_process.cc), Pool and its results (mp_pool.cc), values crossing in serialize.h's format.
// What is shared between those files is here; docs/language.md says what a program sees.
//
// Processes: every child is forked from the thread that asks for it, with stdout flushed first
// (so no buffered text is written twice). In the child, fds the parent keeps for other children
// (other workers' pipes) are closed, the child asks the kernel to SIGKILL it if that thread of
// its parent dies (PR_SET_PDEATHSIG), so no child outlives a parent that was killed, and it ends
// with _exit after flushing stdout (no atexit work of the parent's runs twice).
#pragma once

#include <sys/types.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "vm/object.h"

namespace gilbench::vm {

class Interpreter;
struct ThreadState;
struct ClassObj;

// The module object (modules.cc's CreateModule calls it).
Value CreateMultiprocessingModule();
// os._exit(n): ends the process at once, without flushing stdout.
bool OsExit(ThreadState& ts, const CallArgs& call, Value* result);
// At the end of a program (multiprocessing.util._exit_function): pools still running are
// terminated, daemonic children terminated, and every child joined.
void MultiprocessingAtExit(ThreadState& ts);
// --stats: adds the pools' figures (pool_* totals and "pools": [...]) to the GIL's JSON
// object, when the program made a pool.
void AddPoolStatsJson(std::string* json);

// One pool's figures (docs/language.md, "multiprocessing"), or a sum of several. Times in ns;
// the worker_* ones summed over the pool's workers.
struct PoolFigures {
  int64_t pools = 0;  // how many pools these figures sum
  int64_t workers = 0;
  int64_t tasks_sent = 0;
  int64_t results_received = 0;
  int64_t bytes_sent = 0;
  int64_t bytes_received = 0;
  int64_t serialize_ns = 0;    // parent: tasks to bytes
  int64_t deserialize_ns = 0;  // parent: bytes to results
  int64_t ipc_wait_ns = 0;     // parent: blocked waiting for workers
  int64_t worker_compute_ns = 0;
  int64_t worker_serialize_ns = 0;
  int64_t worker_deserialize_ns = 0;
  int64_t workers_lost = 0;  // workers that died while the pool ran

  PoolFigures& operator+=(const PoolFigures& other);
  // The figures under their names in --stats and gilbench's rows ("pool_workers", ...; the
  // `pools` count is not one of them).
  std::vector<std::pair<const char*, int64_t>> Named() const;
  // Named(), each as "name":value followed by a comma.
  void AppendJsonFields(std::string* out) const;
};

// The figures of every pool made since the last call (pools still running included, as far as
// they got), summed; they are then forgotten (--stats no longer sees them). gilbench reads a
// row's pools with it after each run. Requires: no thread of the program is running.
PoolFigures TakePoolFigures();

// --- between mp_process.cc and mp_pool.cc -----------------------------------------------------

// The C++ state a Process, Pool or result instance carries (InstanceObj::native()).
struct MpStateObj : Obj {
  MpStateObj() : Obj(ObjType::kMpState) {}
};

// A built-in class with native methods and properties (getter, setter or null), immortal.
struct MpProperty {
  const char* name;
  NativeFn get;
  NativeFn set;
};
ClassObj* NewMpClass(const char* name,
                     std::initializer_list<std::pair<const char*, NativeFn>> methods,
                     std::initializer_list<MpProperty> properties = {});
// A new instance of `cls` carrying `state` (the reference is the instance's).
Value NewMpInstance(ClassObj* cls, MpStateObj* state);
// The state of a method's receiver: call.self (or the first argument) must be an instance of
// `cls`; else CPython's descriptor TypeError. Steps *args/*nargs past an explicit receiver.
bool MpSelf(ThreadState& ts, const CallArgs& call, ClassObj* cls, const char* method,
            MpStateObj** state, const Value** args = nullptr, int* nargs = nullptr);

// multiprocessing.ProcessError and multiprocessing.TimeoutError (multiprocessing.context).
ClassObj* ProcessErrorClass();
ClassObj* MpTimeoutErrorClass();
// A new instance of `cls` with `message` as its one argument (none when empty).
Value NewMpError(ClassObj* cls, const std::string& message);
// Raises NewMpError(cls, message); returns false.
bool RaiseMpError(ThreadState& ts, ClassObj* cls, const std::string& message);

// A child's identity (CPython's _identity): the parent's, then the parent's count of children.
std::vector<int> NextChildIdentity();
std::string IdentityName(const std::string& prefix, const std::vector<int>& identity);

// Parent-side fds that every later child must close (another child's pipes).
void RegisterParentFd(int fd);
void UnregisterParentFd(int fd);

// Forks. In the parent returns the child's pid (> 0) or -1 with OSError raised; in the child 0,
// once it is set up as the process named `name` with `identity` (current_process()), with
// every registered fd but `keep` closed.
pid_t ForkChild(ThreadState& ts, const std::string& name, const std::vector<int>& identity,
                const std::vector<int>& keep);
// Ends a forked child: the child's own children are joined, stdout flushed, then _exit(status).
[[noreturn]] void ExitChild(ThreadState& ts, int status);
// The exit status a child's uncaught error gives (SystemExit's code, else 1), printing it as
// CPython's Process._bootstrap does, under `header` ("Process NAME:\n") for an exception.
int ChildErrorStatus(ThreadState& ts, const std::string& header);

// Drops from ts's pending traceback the frames of the parent that were active at the fork.
void TrimForkedFrames(ThreadState& ts);

// waitpid with the GIL released: blocks when `block`, else polls. True when the child has
// ended, with its exit code (negative: the signal) in *exitcode.
bool WaitChild(ThreadState& ts, pid_t pid, bool block, int* exitcode);

// f(*args, **kwargs): args any iterable (or undefined: none), kwargs a dict (or undefined/None).
bool CallWithArgs(ThreadState& ts, Value f, Value args, Value kwargs, Value* result);

// The Pool() function, and what MultiprocessingAtExit asks of the pools (mp_pool.cc).
bool MpPool(ThreadState& ts, const CallArgs& call, Value* result);
void TerminateAllPools(ThreadState& ts);
// In a freshly forked child: forget the parent's pools (their workers are not this child's).
void ForgetPoolsAfterFork();

}  // namespace gilbench::vm
