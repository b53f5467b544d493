// multiprocessing.Pool: workers forked when the pool is made, tasks and results over pipes in
// serialize.h's format, and the figures of where a pool's time goes (--stats).
//
// Each worker has a pipe of its own each way, so the parent knows which tasks a worker holds
// and which call fails when it dies. A task is a chunk of a call's items (map's chunksize); the
// parent hands each worker at most two at a time (one running, one queued in its pipe) and the
// rest as results come back, so the work balances as CPython's shared queue balances it. The
// parent has no threads of its own for this: it moves tasks and results whenever the program
// calls into the pool (a result's get(), wait(), ready(), map(), join(), ...), and waits in
// poll() with the GIL released. Its writes never block (a worker busy writing a large result
// could otherwise deadlock with it).
//
// Frames: a 4-byte little-endian length, then the bytes. A task: the serialized tuple
// (job, start, mode, function, items); an empty frame tells the worker to exit. A result: five
// 8-byte little-endian numbers (job, start, compute ns, deserialize ns, serialize ns), then the
// serialized tuple (ok, value, traceback text or None).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "gil/pthread_sync.h"
#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/exceptions.h"
#include "vm/interpreter.h"
#include "vm/multiprocessing.h"
#include "vm/os_error.h"
#include "vm/runtime.h"
#include "vm/serialize.h"
#include "vm/sync.h"

namespace gilbench::vm {

namespace {

// Every pool's figures, kept after the pool is gone, for --stats and TakePoolFigures.
std::vector<std::shared_ptr<PoolFigures>>& AllPoolStats() {
  static auto* const kStats = new std::vector<std::shared_ptr<PoolFigures>>();
  return *kStats;
}

enum Mode : int64_t { kApplyMode = 0, kMapMode = 1, kStarMapMode = 2 };

struct Job {
  enum Kind { kApply, kMap, kIMap, kIMapUnordered } kind;
  size_t chunks_left = 0;
  std::vector<Value> results;  // owned; undefined until its result came (one per item of a map)
  bool ready = false;
  bool failed = false;
  Value error = Value::Undefined();  // owned: the exception of a failed call
  std::string remote_tb;             // the worker's traceback of it
  Value callback = Value::None();    // owned
  Value error_callback = Value::None();
  // imap: failures by chunk start (owned exceptions); imap_unordered: arrivals in order, an
  // exception marked by `true`.
  std::map<size_t, std::pair<Value, std::string>> chunk_errors;
  std::deque<std::pair<Value, bool>> arrived;
  size_t next = 0;  // imap: the next index to give
  size_t chunksize = 1;
  int handles = 0;  // result objects that refer to the job

  ~Job() {
    for (Value v : results) Decref(v);
    Decref(error);
    Decref(callback);
    Decref(error_callback);
    for (auto& [start, e] : chunk_errors) Decref(e.first);
    for (auto& [v, is_error] : arrived) Decref(v);
  }
};

struct Chunk {
  uint64_t job;
  size_t start;
  std::string frame;
};

struct Worker {
  pid_t pid = 0;
  int task_fd = -1;    // parent's write end, non-blocking
  int result_fd = -1;  // parent's read end, non-blocking
  std::string name;
  std::string out;                                    // frames not yet written
  std::string in;                                     // bytes read, not yet a whole frame
  std::deque<std::pair<uint64_t, size_t>> in_flight;  // (job, start) in the order sent
  bool alive = false;
};

constexpr size_t kMaxInFlight = 2;

// The pool's news for threads waiting on it: one thread at a time (the pumper) polls the
// workers' pipes; others wait on `cv` until it has handled results (`generation` moves) or has
// stopped pumping, then check their own call again. Without this, a thread could sleep in
// poll() for a result that another thread has already read.
struct PumpNews {
  std::mutex mu;
  std::condition_variable cv;
  const ThreadState* pumper = nullptr;  // guarded by mu
  uint64_t generation = 0;              // guarded by mu
  void Publish(const ThreadState* stop_pumping) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++generation;
      if (stop_pumping != nullptr && pumper == stop_pumping) pumper = nullptr;
    }
    cv.notify_all();
  }
};

struct PoolState : MpStateObj {
  enum State { kRun, kClose, kTerminate } state = kRun;
  pid_t owner = 0;                    // the process that made it: only it may signal the workers
  Value initializer = Value::None();  // owned
  Value initargs = Value::Undefined();
  std::vector<Worker> workers;
  std::deque<Chunk> pending;
  std::map<uint64_t, std::unique_ptr<Job>> jobs;
  uint64_t next_job = 1;
  int deaths_without_task = 0;
  bool joining = false;  // join() has sent the workers their sentinels: they exit now
  std::shared_ptr<PoolFigures> stats = std::make_shared<PoolFigures>();
  std::shared_ptr<PumpNews> news;
  PoolState();
  ~PoolState() override;
};

std::vector<PoolState*>& LivePools() {
  static auto* const kPools = new std::vector<PoolState*>();
  return *kPools;
}

void CloseFd(int* fd) {
  if (*fd >= 0) {
    UnregisterParentFd(*fd);
    close(*fd);
    *fd = -1;
  }
}

// Kills and reaps the pool's workers (terminate(), the pool's end), without the GIL's help:
// only system calls.
void KillWorkers(PoolState* pool) {
  if (pool->owner != getpid()) return;
  for (Worker& w : pool->workers) {
    if (w.alive) kill(w.pid, SIGTERM);
  }
  for (Worker& w : pool->workers) {
    if (w.alive) {
      while (waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      w.alive = false;
    }
    CloseFd(&w.task_fd);
    CloseFd(&w.result_fd);
  }
}

PoolState::PoolState() : news(std::make_shared<PumpNews>()) {}

PoolState::~PoolState() {
  KillWorkers(this);
  auto& pools = LivePools();
  pools.erase(std::remove(pools.begin(), pools.end(), this), pools.end());
  Decref(initializer);
  Decref(initargs);
}

ClassObj* PoolClass();
ClassObj* ApplyResultClass();
ClassObj* MapResultClass();
ClassObj* IMapIteratorClass();
ClassObj* IMapUnorderedIteratorClass();

ClassObj* MaybeEncodingErrorClass() {
  static ClassObj* const kClass = NewLibraryExceptionClass(
      "multiprocessing.pool", "MaybeEncodingError", ExceptionClass("Exception"));
  return kClass;
}

ClassObj* RemoteTracebackClass() {
  static ClassObj* const kClass = NewLibraryExceptionClass(
      "multiprocessing.pool", "RemoteTraceback", ExceptionClass("Exception"));
  return kClass;
}

// The pending error as an exception instance (new reference), with its traceback text in *tb;
// the error is cleared.
Value CaptureError(ThreadState& ts, std::string* tb) {
  if (tb != nullptr) {
    TrimForkedFrames(ts);
    *tb = ts.interp->FormatError(ts, "");
  }
  Value exc;
  if (IsExceptionInstance(ts.exc_value)) {
    exc = ts.exc_value;
    Incref(exc);
  } else {
    ClassObj* cls = ExceptionClassByPrintedName(ts.error_type);
    if (cls == nullptr) cls = ExceptionClass("Exception");
    exc = NewMpError(cls, ts.error_message);
  }
  ts.ClearError();
  return exc;
}

// Makes a worker's traceback the cause of its exception, as CPython's RemoteTraceback (the
// exception a Pool's error_callback receives and get() raises).
void AttachRemoteTraceback(Value exc, const std::string& tb) {
  if (!tb.empty() && IsExceptionInstance(exc)) {
    ExceptionObj* e = AsException(exc);
    Decref(e->cause);
    e->cause = NewMpError(RemoteTracebackClass(), "\n\"\"\"\n" + tb + "\"\"\"");
    e->suppress_context = true;
  }
}

// Raises a worker's exception in the parent, its cause the worker's traceback.
bool RaiseRemote(ThreadState& ts, Value exc, const std::string& tb) {
  AttachRemoteTraceback(exc, tb);
  return RaiseException(ts, exc);
}

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

// --- the worker
// -----------------------------------------------------------------------------------

// Blocking I/O of a worker, the GIL released around it. False at EOF or on an error.
bool ReadExact(ThreadState& ts, int fd, char* buf, size_t n) {
  size_t got = 0;
  ts.interp->ReleaseGil(ts);
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  ts.interp->AcquireGil(ts);
  return got == n;
}

bool WriteAll(ThreadState& ts, int fd, const std::string& data) {
  size_t put = 0;
  ts.interp->ReleaseGil(ts);
  while (put < data.size()) {
    ssize_t r = write(fd, data.data() + put, data.size() - put);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    put += static_cast<size_t>(r);
  }
  ts.interp->AcquireGil(ts);
  return put == data.size();
}

// Runs one task; returns the result frame.
std::string RunTask(ThreadState& ts, std::string_view payload) {
  int64_t t0 = gil::MonotonicNs();
  Value task;
  uint64_t job = 0, start = 0;
  Value outcome = Value::Undefined();  // (ok, value, tb)
  int64_t t1 = t0, t2 = t0;
  if (!DeserializeValue(ts, &payload, &task)) {
    std::string tb;
    Value exc = CaptureError(ts, &tb);
    outcome = MakeTuple({Value::Bool(false), exc, MakeStr(tb)});
    t1 = t2 = gil::MonotonicNs();
  } else {
    t1 = gil::MonotonicNs();
    const auto& parts = AsSeq(task)->items;  // (job, start, mode, function, items)
    job = static_cast<uint64_t>(parts[0].i);
    start = static_cast<uint64_t>(parts[1].i);
    int64_t mode = parts[2].i;
    Value func = parts[3], items = parts[4];
    bool ok = true;
    Value value;
    if (mode == kApplyMode) {
      const auto& ak = AsSeq(items)->items;
      ok = CallWithArgs(ts, func, ak[0], ak[1], &value);
    } else {
      std::vector<Value> out;
      for (Value item : AsSeq(items)->items) {
        Value r;
        ok = mode == kMapMode ? ts.interp->Call(ts, func, &item, 1, nullptr, &r)
                              : CallWithArgs(ts, func, item, Value::Undefined(), &r);
        if (!ok) break;
        out.push_back(r);
      }
      if (ok) {
        value = MakeList(std::move(out));
      } else {
        for (Value v : out) Decref(v);
      }
    }
    if (!ok && ts.system_exit) {
      // SystemExit in a task ends the worker, as CPython's worker loop lets it.
      int status = ts.exit_status;
      ts.ClearError();
      ExitChild(ts, status);
    }
    if (ok) {
      outcome = MakeTuple({Value::Bool(true), value, Value::None()});
    } else {
      std::string tb;
      Value exc = CaptureError(ts, &tb);
      outcome = MakeTuple({Value::Bool(false), exc, MakeStr(tb)});
    }
    Decref(task);
    t2 = gil::MonotonicNs();
  }
  std::string body;
  if (!SerializeValue(ts, outcome, &body)) {
    // The result cannot cross: the call fails with MaybeEncodingError, as CPython's.
    Value reason = CaptureError(ts, nullptr);
    std::string value_repr = ToRepr(AsSeq(outcome)->items[1]);
    std::string reason_repr = ToRepr(reason);
    Decref(reason);
    Value exc = NewMpError(MaybeEncodingErrorClass(), "Error sending result: '" + value_repr +
                                                          "'. Reason: '" + reason_repr + "'");
    Value fallback = MakeTuple({Value::Bool(false), exc, Value::None()});
    body.clear();
    if (!SerializeValue(ts, fallback, &body)) ts.ClearError();
    Decref(fallback);
  }
  Decref(outcome);
  int64_t t3 = gil::MonotonicNs();
  std::string frame;
  PutU32(&frame, static_cast<uint32_t>(40 + body.size()));
  PutU64(&frame, job);
  PutU64(&frame, start);
  PutU64(&frame, static_cast<uint64_t>(t2 - t1));
  PutU64(&frame, static_cast<uint64_t>(t1 - t0));
  PutU64(&frame, static_cast<uint64_t>(t3 - t2));
  frame += body;
  return frame;
}

[[noreturn]] void WorkerMain(ThreadState& ts, PoolState* pool, int task_fd, int result_fd,
                             const std::string& name) {
  if (!pool->initializer.is_none()) {
    Value out;
    if (!CallWithArgs(ts, pool->initializer, pool->initargs, Value::Undefined(), &out)) {
      ExitChild(ts, ChildErrorStatus(ts, "Process " + name + ":\n"));
    }
    Decref(out);
  }
  for (;;) {
    char header[4];
    if (!ReadExact(ts, task_fd, header, 4)) break;
    uint32_t n = GetU32(header);
    if (n == 0) break;  // the sentinel: exit
    std::string payload(n, '\0');
    if (!ReadExact(ts, task_fd, payload.data(), n)) break;
    if (!WriteAll(ts, result_fd, RunTask(ts, payload))) break;
  }
  ExitChild(ts, 0);
}

// --- the parent
// -----------------------------------------------------------------------------------

bool StartWorker(ThreadState& ts, PoolState* pool, Worker* w) {
  int tasks[2], results[2];
  if (pipe2(tasks, O_CLOEXEC) != 0) return RaiseOsError(ts, errno);
  if (pipe2(results, O_CLOEXEC) != 0) {
    int err = errno;
    close(tasks[0]);
    close(tasks[1]);
    return RaiseOsError(ts, err);
  }
  std::vector<int> identity = NextChildIdentity();
  w->name = IdentityName("ForkPoolWorker", identity);
  for (int fd : {tasks[0], tasks[1], results[0], results[1]}) RegisterParentFd(fd);
  pid_t pid = ForkChild(ts, w->name, identity, {tasks[0], results[1]});
  if (pid == 0) WorkerMain(ts, pool, tasks[0], results[1], w->name);
  CloseFd(&tasks[0]);
  CloseFd(&results[1]);
  if (pid < 0) {
    CloseFd(&tasks[1]);
    CloseFd(&results[0]);
    return false;
  }
  fcntl(tasks[1], F_SETFL, O_NONBLOCK);
  fcntl(results[0], F_SETFL, O_NONBLOCK);
  w->pid = pid;
  w->task_fd = tasks[1];
  w->result_fd = results[0];
  w->alive = true;
  w->in.clear();
  w->out.clear();
  w->in_flight.clear();
  return true;
}

void RunCallback(ThreadState& ts, Value callback, Value arg) {
  if (callback.is_none()) return;
  Value out;
  if (ts.interp->Call(ts, callback, &arg, 1, nullptr, &out)) {
    Decref(out);
  } else {
    ts.ClearError();  // as CPython's result handler thread, which has nowhere to report it
  }
}

void ForgetJobIfDone(PoolState* pool, uint64_t id) {
  auto it = pool->jobs.find(id);
  if (it != pool->jobs.end() && it->second->handles == 0 && it->second->chunks_left == 0) {
    pool->jobs.erase(it);
  }
}

// The job's value for callbacks and get(): the list of a map, the one value of an apply.
Value JobValue(Job* job) {
  if (job->kind == Job::kApply) {
    Value v = job->results[0];
    Incref(v);
    return v;
  }
  std::vector<Value> items;
  items.reserve(job->results.size());
  for (Value v : job->results) {
    Incref(v);
    items.push_back(v);
  }
  return MakeList(std::move(items));
}

void FinishJob(ThreadState& ts, Job* job) {
  if (job->ready) return;
  job->ready = true;
  if (job->failed) {
    AttachRemoteTraceback(job->error, job->remote_tb);
    RunCallback(ts, job->error_callback, job->error);
  } else if (!job->callback.is_none()) {
    Value v = JobValue(job);
    RunCallback(ts, job->callback, v);
    Decref(v);
  }
}

// A chunk's outcome: ok with its value (a list for map modes), or the exception. Owns `value`.
void SettleChunk(ThreadState& ts, PoolState* pool, uint64_t id, size_t start, bool ok, Value value,
                 const std::string& tb) {
  auto it = pool->jobs.find(id);
  if (it == pool->jobs.end()) {
    Decref(value);
    return;
  }
  Job* job = it->second.get();
  if (job->chunks_left > 0) --job->chunks_left;
  if (!ok) {
    if (job->kind == Job::kIMap) {
      job->chunk_errors.emplace(start, std::make_pair(value, tb));
    } else if (job->kind == Job::kIMapUnordered) {
      job->arrived.emplace_back(value, true);
    } else if (!job->failed) {
      job->failed = true;
      job->error = value;
      job->remote_tb = tb;
      FinishJob(ts, job);  // a map fails at its first failed chunk, as CPython's MapResult
    } else {
      Decref(value);
    }
  } else if (job->kind == Job::kApply) {
    Decref(job->results[0]);
    job->results[0] = value;
  } else {
    auto& items = AsSeq(value)->items;
    for (size_t k = 0; k < items.size() && start + k < job->results.size(); ++k) {
      Incref(items[k]);
      if (job->kind == Job::kIMapUnordered) {
        job->arrived.emplace_back(items[k], false);
      } else {
        Decref(job->results[start + k]);
        job->results[start + k] = items[k];
      }
    }
    Decref(value);
  }
  if (job->chunks_left == 0) FinishJob(ts, job);
  ForgetJobIfDone(pool, id);
}

void FailJob(ThreadState& ts, PoolState* pool, uint64_t id, size_t start, ClassObj* cls,
             const std::string& message) {
  SettleChunk(ts, pool, id, start, false, NewMpError(cls, message), "");
}

std::string DeathText(const Worker& w, int code) {
  if (code < 0) {
    const char* sig = sigabbrev_np(-code);
    return "pool worker " + w.name + " was killed by signal " + std::to_string(-code) +
           (sig != nullptr ? std::string(" (SIG") + sig + ")" : std::string());
  }
  return "pool worker " + w.name + " exited with code " + std::to_string(code);
}

// A worker's result pipe reached EOF: it died. Its tasks fail; a replacement is started while
// the pool runs, unless workers keep dying before they take a task (a failing initializer),
// which breaks the pool.
void WorkerDied(ThreadState& ts, PoolState* pool, size_t index) {
  Worker& w = pool->workers[index];
  int code = 0;
  WaitChild(ts, w.pid, true, &code);
  w.alive = false;
  CloseFd(&w.task_fd);
  CloseFd(&w.result_fd);
  std::deque<std::pair<uint64_t, size_t>> lost;
  lost.swap(w.in_flight);
  const std::string text = DeathText(w, code);
  if (pool->state == PoolState::kTerminate || pool->joining) return;
  ++pool->stats->workers_lost;
  for (const auto& [job, start] : lost) {
    FailJob(ts, pool, job, start, ProcessErrorClass(), text + " while running a task");
  }
  pool->deaths_without_task = lost.empty() ? pool->deaths_without_task + 1 : 0;
  if (pool->deaths_without_task > 2 * static_cast<int>(pool->workers.size())) {
    while (!pool->pending.empty()) {
      Chunk c = std::move(pool->pending.front());
      pool->pending.pop_front();
      FailJob(ts, pool, c.job, c.start, ProcessErrorClass(),
              text + " before taking a task; the pool is broken");
    }
    return;
  }
  if (!StartWorker(ts, pool, &pool->workers[index])) ts.ClearError();
}

void HandleFrame(ThreadState& ts, PoolState* pool, Worker& w, std::string_view frame) {
  if (frame.size() < 40) return;
  PoolFigures& s = *pool->stats;
  ++s.results_received;
  s.bytes_received += static_cast<int64_t>(frame.size() + 4);
  uint64_t job = GetU64(frame.data()), start = GetU64(frame.data() + 8);
  s.worker_compute_ns += static_cast<int64_t>(GetU64(frame.data() + 16));
  s.worker_deserialize_ns += static_cast<int64_t>(GetU64(frame.data() + 24));
  s.worker_serialize_ns += static_cast<int64_t>(GetU64(frame.data() + 32));
  if (!w.in_flight.empty()) w.in_flight.pop_front();
  std::string_view body = frame.substr(40);
  int64_t t0 = gil::MonotonicNs();
  Value outcome;
  bool ok = DeserializeValue(ts, &body, &outcome);
  s.deserialize_ns += gil::MonotonicNs() - t0;
  if (!ok) {
    SettleChunk(ts, pool, job, start, false, CaptureError(ts, nullptr), "");
    return;
  }
  const auto& parts = AsSeq(outcome)->items;
  Value value = parts[1];
  Incref(value);
  std::string tb = IsType(parts[2], ObjType::kStr) ? AsStr(parts[2])->s : "";
  bool success = IsTruthy(parts[0]);
  Decref(outcome);
  SettleChunk(ts, pool, job, start, success, value, tb);
}

// Reads what worker `index` has written; handles whole frames; EOF: the worker died.
void ReadResults(ThreadState& ts, PoolState* pool, size_t index) {
  char buf[65536];
  for (;;) {
    Worker& w = pool->workers[index];
    if (!w.alive) return;
    ssize_t r = read(w.result_fd, buf, sizeof(buf));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;  // EAGAIN: nothing more now
    if (r == 0) {
      WorkerDied(ts, pool, index);
      return;
    }
    w.in.append(buf, static_cast<size_t>(r));
    // The whole frames leave w.in before any is handled: handling one may run a callback that
    // calls into the pool and reads from this worker again.
    std::vector<std::string> frames;
    size_t used = 0;
    while (w.in.size() - used >= 4) {
      uint32_t n = GetU32(w.in.data() + used);
      if (w.in.size() - used - 4 < n) break;
      frames.push_back(w.in.substr(used + 4, n));
      used += 4 + n;
    }
    w.in.erase(0, used);
    for (const std::string& frame : frames) HandleFrame(ts, pool, w, frame);
  }
}

// Hands pending chunks to workers with room, and writes what each can take now.
void Dispatch(PoolState* pool) {
  for (Worker& w : pool->workers) {
    while (w.alive && w.in_flight.size() < kMaxInFlight && !pool->pending.empty()) {
      Chunk& c = pool->pending.front();
      w.out += c.frame;
      w.in_flight.emplace_back(c.job, c.start);
      ++pool->stats->tasks_sent;
      pool->stats->bytes_sent += static_cast<int64_t>(c.frame.size());
      pool->pending.pop_front();
    }
    while (w.alive && !w.out.empty()) {
      ssize_t r = write(w.task_fd, w.out.data(), w.out.size());
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;  // full (EAGAIN), or the worker is gone (its EOF comes on the read side)
      w.out.erase(0, static_cast<size_t>(r));
    }
  }
}

// Whether a task is out with a worker, or waits for one that can take it.
bool Busy(PoolState* pool) {
  bool any_alive = false;
  for (const Worker& w : pool->workers) {
    if (!w.alive) continue;
    any_alive = true;
    if (!w.in_flight.empty()) return true;
  }
  return any_alive && !pool->pending.empty();
}

// Moves tasks and results until done() or the timeout (seconds; negative: none) has passed.
// Returns whether done() held; false with KeyboardInterrupt raised (ts.has_error) when Ctrl-C
// comes while the main thread waits: its waits are slices of at most kInterruptSliceMs, as the
// other blocking calls' (sync.h), since poll() need not return early for the signal. Waits in
// poll() with the GIL released (or, while another thread polls, on that thread's news); a timeout
// of 0 still collects what the workers have written.
constexpr int kInterruptSliceMs = 20;

bool Pump(ThreadState& ts, PoolState* pool, const std::function<bool()>& done, double timeout) {
  const int64_t deadline =
      timeout < 0 ? -1 : gil::MonotonicNs() + static_cast<int64_t>(timeout * 1e9);
  std::shared_ptr<PumpNews> news = pool->news;  // outlives a pool another thread ends
  struct StopPumping {
    PumpNews* news;
    const ThreadState* self;
    ~StopPumping() { news->Publish(self); }
  } stop{news.get(), &ts};
  for (;;) {
    Dispatch(pool);
    if (done()) return true;
    if (!Busy(pool)) return false;  // nothing can change any more
    if (InterruptPendingFor(ts)) return RaiseInterrupt(ts);
    int64_t left = deadline < 0 ? INT64_MAX : deadline - gil::MonotonicNs();
    const bool last = left <= 0;
    bool mine;
    uint64_t seen;
    {
      std::lock_guard<std::mutex> lock(news->mu);
      if (news->pumper == nullptr) news->pumper = &ts;
      mine = news->pumper == &ts;
      seen = news->generation;
    }
    if (!mine) {
      // Another thread polls: wait for its news (or its end), then look again.
      if (last) return done();
      int64_t t0 = gil::MonotonicNs();
      ts.interp->ReleaseGil(ts);
      {
        std::unique_lock<std::mutex> lock(news->mu);
        auto changed = [&] { return news->generation != seen || news->pumper == nullptr; };
        news->cv.wait_for(
            lock,
            std::chrono::nanoseconds(std::min<int64_t>(left, int64_t{kInterruptSliceMs} * 1000000)),
            changed);
      }
      ts.interp->AcquireGil(ts);
      pool->stats->ipc_wait_ns += gil::MonotonicNs() - t0;
      continue;
    }
    std::vector<pollfd> fds;
    std::vector<size_t> owners;
    for (size_t i = 0; i < pool->workers.size(); ++i) {
      Worker& w = pool->workers[i];
      if (!w.alive) continue;
      fds.push_back({w.result_fd, POLLIN, 0});
      owners.push_back(i);
      if (!w.out.empty()) {
        fds.push_back({w.task_fd, POLLOUT, 0});
        owners.push_back(i);
      }
    }
    // Without a deadline `left` is INT64_MAX: a whole slice.
    const int wait_ms =
        last ? 0 : static_cast<int>(std::min<int64_t>(left / 1000000 + 1, kInterruptSliceMs));
    int64_t t0 = gil::MonotonicNs();
    ts.interp->ReleaseGil(ts);
    int n = poll(fds.data(), fds.size(), wait_ms);
    ts.interp->AcquireGil(ts);
    pool->stats->ipc_wait_ns += gil::MonotonicNs() - t0;
    for (size_t k = 0; n > 0 && k < fds.size(); ++k) {
      if (fds[k].revents != 0 && fds[k].events == POLLIN) ReadResults(ts, pool, owners[k]);
    }
    if (n > 0) news->Publish(nullptr);
    if (last) {
      Dispatch(pool);
      return done();
    }
  }
}

// --- submitting work
// ------------------------------------------------------------------------------

bool CheckRunning(ThreadState& ts, PoolState* pool) {
  if (pool->state != PoolState::kRun) return ts.Raise("ValueError", "Pool not running");
  return true;
}

// Makes a job of `chunks` (item lists, or the (args, kwargs) pair of an apply), serializing
// each; a value that cannot cross fails the job (its error then comes from get(), as CPython's).
uint64_t Submit(ThreadState& ts, PoolState* pool, Job::Kind kind, Mode mode, Value func,
                std::vector<Value> chunk_items, std::vector<size_t> starts, size_t n_items,
                size_t chunksize, Value callback, Value error_callback) {
  auto job = std::make_unique<Job>();
  job->kind = kind;
  job->results.assign(kind == Job::kApply ? 1 : n_items, Value::Undefined());
  job->chunksize = chunksize;
  Incref(callback);
  job->callback = callback;
  Incref(error_callback);
  job->error_callback = error_callback;
  const uint64_t id = pool->next_job++;
  std::vector<Chunk> chunks;
  bool ok = true;
  int64_t t0 = gil::MonotonicNs();
  for (size_t k = 0; k < chunk_items.size() && ok; ++k) {
    Value task = MakeTuple({Value::Int(static_cast<int64_t>(id)),
                            Value::Int(static_cast<int64_t>(starts[k])), Value::Int(mode), func,
                            chunk_items[k]});
    Incref(func);
    Incref(chunk_items[k]);
    std::string frame(4, '\0');
    ok = SerializeValue(ts, task, &frame);
    Decref(task);
    if (ok) {
      uint32_t n = static_cast<uint32_t>(frame.size() - 4);
      std::string len;
      PutU32(&len, n);
      frame.replace(0, 4, len);
      chunks.push_back(Chunk{id, starts[k], std::move(frame)});
    }
  }
  pool->stats->serialize_ns += gil::MonotonicNs() - t0;
  for (Value v : chunk_items) Decref(v);
  Job* raw = job.get();
  pool->jobs.emplace(id, std::move(job));
  if (!ok) {
    raw->failed = true;
    raw->error = CaptureError(ts, nullptr);
    FinishJob(ts, raw);
    return id;
  }
  raw->chunks_left = chunks.size();
  for (Chunk& c : chunks) pool->pending.push_back(std::move(c));
  if (raw->chunks_left == 0) FinishJob(ts, raw);
  Dispatch(pool);
  return id;
}

// map's chunks: `chunksize` items each (CPython's default when None: len / (4 * processes),
// rounded up).
bool MapChunks(ThreadState& ts, PoolState* pool, Value iterable, Value chunksize_arg,
               bool imap_rules, std::vector<Value>* chunks, std::vector<size_t>* starts,
               size_t* n_items) {
  std::vector<Value> items;
  if (!CollectIterable(ts, iterable, &items)) return false;
  *n_items = items.size();
  int64_t chunksize;
  if (chunksize_arg.is_none() || chunksize_arg.is_undefined()) {
    if (imap_rules) {
      chunksize = 1;
    } else {
      int64_t per = static_cast<int64_t>(pool->workers.size()) * 4;
      chunksize = static_cast<int64_t>(items.size()) / per;
      if (static_cast<int64_t>(items.size()) % per != 0) ++chunksize;
    }
  } else {
    if (!IndexArg(ts, chunksize_arg, &chunksize)) {
      for (Value v : items) Decref(v);
      return false;
    }
    if (chunksize < 1) {
      for (Value v : items) Decref(v);
      return ts.Raise("ValueError", "Chunksize must be 1+, not " + std::to_string(chunksize));
    }
  }
  for (size_t start = 0; start < items.size(); start += static_cast<size_t>(chunksize)) {
    size_t end = std::min(items.size(), start + static_cast<size_t>(chunksize));
    std::vector<Value> part(items.begin() + static_cast<ptrdiff_t>(start),
                            items.begin() + static_cast<ptrdiff_t>(end));
    chunks->push_back(MakeList(std::move(part)));
    starts->push_back(start);
  }
  return true;
}

// The result object of a job (ApplyResult, MapResult, IMapIterator...).
struct ResultState : MpStateObj {
  PoolState* pool;  // owned
  uint64_t job;
  ResultState(PoolState* p, uint64_t j) : pool(p), job(j) {
    IncrefObj(p);
    auto it = p->jobs.find(j);
    if (it != p->jobs.end()) ++it->second->handles;
  }
  ~ResultState() override {
    auto it = pool->jobs.find(job);
    if (it != pool->jobs.end()) {
      --it->second->handles;
      ForgetJobIfDone(pool, job);
    }
    DecrefObj(pool);
  }
  Job* GetJob() {
    auto it = pool->jobs.find(job);
    return it == pool->jobs.end() ? nullptr : it->second.get();
  }
};

// Waits for the job (timeout < 0: for ever); false when it is not ready by then. A job that
// can no longer finish (its pool was terminated) fails with ProcessError.
bool WaitJob(ThreadState& ts, PoolState* pool, Job* job, double timeout) {
  if (Pump(
          ts, pool, [job] { return job->ready; }, timeout))
    return true;
  if (ts.has_error) return false;  // Ctrl-C
  if (Busy(pool)) return false;    // the timeout passed
  // Nothing is running and the job is not done: its tasks were lost (the pool was terminated,
  // or its workers are gone). Fail it rather than wait for ever.
  job->failed = true;
  Decref(job->error);
  job->error =
      NewMpError(ProcessErrorClass(), pool->state == PoolState::kTerminate
                                          ? "the pool was terminated before the result was ready"
                                          : "the pool is broken: no worker can run this task");
  job->chunks_left = 0;
  job->ready = true;
  return true;
}

bool JobResult(ThreadState& ts, Job* job, Value* result) {
  if (job->failed) return RaiseRemote(ts, job->error, job->remote_tb);
  *result = JobValue(job);
  return true;
}

bool PoolSelf(ThreadState& ts, const CallArgs& call, const char* method, PoolState** pool,
              const Value** args = nullptr, int* nargs = nullptr) {
  MpStateObj* state;
  if (!MpSelf(ts, call, PoolClass(), method, &state, args, nargs)) return false;
  *pool = static_cast<PoolState*>(state);
  return true;
}

// A timeout argument's seconds, at least 0; None (or not given): -1, no timeout.
bool TimeoutSeconds(ThreadState& ts, Value v, double* seconds) {
  if (v.is_none() || v.is_undefined()) {
    *seconds = -1;
    return true;
  }
  if (!SecondsArg(ts, v, seconds)) return false;
  *seconds = std::max(0.0, *seconds);
  return true;
}

// The blocking apply and map: waits for job `id` and takes its result; releases `handle`, the
// result object the call made for it. Ctrl-C while waiting ends it with KeyboardInterrupt.
bool WaitForResult(ThreadState& ts, PoolState* pool, uint64_t id, Value handle, Value* result) {
  Job* job = pool->jobs.at(id).get();
  const bool ok = (WaitJob(ts, pool, job, -1) || !ts.has_error) && JobResult(ts, job, result);
  Decref(handle);
  return ok;
}

// apply / apply_async.
bool ApplyCommon(ThreadState& ts, const CallArgs& call, bool async, Value* result) {
  PoolState* pool;
  const Value* args;
  int nargs;
  if (!PoolSelf(ts, call, async ? "apply_async" : "apply", &pool, &args, &nargs)) return false;
  Value func = Value::Undefined(), fargs = Value::Undefined(), kwds = Value::Undefined();
  Value callback = Value::None(), error_callback = Value::None();
  Value* slots[] = {&func, &fargs, &kwds, &callback, &error_callback};
  if (!BindParams(ts, args, nargs, call.kwnames, async ? "Pool.apply_async" : "Pool.apply",
                  {"func", "args", "kwds", "callback", "error_callback"}, 1, async ? 5 : 3,
                  slots)) {
    return false;
  }
  if (!CheckRunning(ts, pool)) return false;
  std::vector<Value> argv;
  if (!fargs.is_undefined() && !CollectIterable(ts, fargs, &argv)) return false;
  Value pair = MakeTuple({MakeTuple(std::move(argv)), kwds.is_undefined() ? Value::None() : kwds});
  if (!kwds.is_undefined()) Incref(kwds);
  uint64_t id =
      Submit(ts, pool, Job::kApply, kApplyMode, func, {pair}, {0}, 1, 1, callback, error_callback);
  Value handle = NewMpInstance(ApplyResultClass(), new ResultState(pool, id));
  if (async) {
    *result = handle;
    return true;
  }
  return WaitForResult(ts, pool, id, handle, result);
}

bool PoolApply(ThreadState& ts, const CallArgs& call, Value* result) {
  return ApplyCommon(ts, call, false, result);
}
bool PoolApplyAsync(ThreadState& ts, const CallArgs& call, Value* result) {
  return ApplyCommon(ts, call, true, result);
}

// map / map_async / starmap / starmap_async / imap / imap_unordered.
bool MapCommon(ThreadState& ts, const CallArgs& call, const char* fname, Mode mode, Job::Kind kind,
               bool async, Value* result) {
  PoolState* pool;
  const Value* args;
  int nargs;
  if (!PoolSelf(ts, call, fname, &pool, &args, &nargs)) return false;
  Value func = Value::Undefined(), iterable = Value::Undefined(), chunksize = Value::None();
  Value callback = Value::None(), error_callback = Value::None();
  Value* slots[] = {&func, &iterable, &chunksize, &callback, &error_callback};
  const std::string qualified = std::string("Pool.") + fname;
  if (!BindParams(ts, args, nargs, call.kwnames, qualified.c_str(),
                  {"func", "iterable", "chunksize", "callback", "error_callback"}, 2, async ? 5 : 3,
                  slots)) {
    return false;
  }
  if (!CheckRunning(ts, pool)) return false;
  std::vector<Value> chunks;
  std::vector<size_t> starts;
  size_t n_items;
  const bool imap = kind == Job::kIMap || kind == Job::kIMapUnordered;
  if (!MapChunks(ts, pool, iterable, chunksize, imap, &chunks, &starts, &n_items)) return false;
  const size_t size = starts.size() > 1 ? starts[1] : std::max<size_t>(n_items, 1);
  uint64_t id = Submit(ts, pool, kind, mode, func, std::move(chunks), std::move(starts), n_items,
                       size, callback, error_callback);
  ClassObj* cls = kind == Job::kIMap            ? IMapIteratorClass()
                  : kind == Job::kIMapUnordered ? IMapUnorderedIteratorClass()
                                                : MapResultClass();
  Value handle = NewMpInstance(cls, new ResultState(pool, id));
  if (async || imap) {
    *result = handle;
    return true;
  }
  return WaitForResult(ts, pool, id, handle, result);
}

bool PoolMap(ThreadState& ts, const CallArgs& call, Value* result) {
  return MapCommon(ts, call, "map", kMapMode, Job::kMap, false, result);
}
bool PoolMapAsync(ThreadState& ts, const CallArgs& call, Value* result) {
  return MapCommon(ts, call, "map_async", kMapMode, Job::kMap, true, result);
}
bool PoolStarmap(ThreadState& ts, const CallArgs& call, Value* result) {
  return MapCommon(ts, call, "starmap", kStarMapMode, Job::kMap, false, result);
}
bool PoolStarmapAsync(ThreadState& ts, const CallArgs& call, Value* result) {
  return MapCommon(ts, call, "starmap_async", kStarMapMode, Job::kMap, true, result);
}
bool PoolImap(ThreadState& ts, const CallArgs& call, Value* result) {
  return MapCommon(ts, call, "imap", kMapMode, Job::kIMap, false, result);
}
bool PoolImapUnordered(ThreadState& ts, const CallArgs& call, Value* result) {
  return MapCommon(ts, call, "imap_unordered", kMapMode, Job::kIMapUnordered, false, result);
}

void TerminatePool(ThreadState& ts, PoolState* pool) {
  pool->state = PoolState::kTerminate;
  KillWorkers(pool);
  pool->pending.clear();
  // What can no longer finish is failed, so that no get() waits for ever (CPython's would).
  std::vector<uint64_t> ids;
  for (auto& [id, job] : pool->jobs) ids.push_back(id);
  for (uint64_t id : ids) {
    auto it = pool->jobs.find(id);
    if (it == pool->jobs.end() || it->second->ready) continue;
    Job* job = it->second.get();
    job->failed = true;
    Decref(job->error);
    job->error =
        NewMpError(ProcessErrorClass(), "the pool was terminated before the result was ready");
    job->chunks_left = 0;
    FinishJob(ts, job);
    ForgetJobIfDone(pool, id);
  }
}

bool PoolClose(ThreadState& ts, const CallArgs& call, Value* result) {
  PoolState* pool;
  if (!PoolSelf(ts, call, "close", &pool)) return false;
  if (pool->state == PoolState::kRun) pool->state = PoolState::kClose;
  *result = Value::None();
  return true;
}

bool PoolTerminate(ThreadState& ts, const CallArgs& call, Value* result) {
  PoolState* pool;
  if (!PoolSelf(ts, call, "terminate", &pool)) return false;
  TerminatePool(ts, pool);
  *result = Value::None();
  return true;
}

bool PoolJoin(ThreadState& ts, const CallArgs& call, Value* result) {
  PoolState* pool;
  if (!PoolSelf(ts, call, "join", &pool)) return false;
  if (pool->state == PoolState::kRun) return ts.Raise("ValueError", "Pool is still running");
  if (pool->state == PoolState::kClose) {
    // Every task done, then each worker gets the sentinel, and is reaped.
    if (!Pump(
            ts, pool, [pool] { return !Busy(pool); }, -1) &&
        ts.has_error) {
      return false;  // Ctrl-C
    }
    pool->joining = true;
    for (Worker& w : pool->workers) {
      if (w.alive) PutU32(&w.out, 0);
    }
    Pump(
        ts, pool,
        [pool] {
          for (const Worker& w : pool->workers) {
            if (w.alive && !w.out.empty()) return false;
          }
          return true;
        },
        -1);
    if (ts.has_error) return false;  // Ctrl-C
    for (Worker& w : pool->workers) {
      CloseFd(&w.task_fd);
      if (w.alive) {
        int code;
        WaitChild(ts, w.pid, true, &code);
        w.alive = false;
      }
      CloseFd(&w.result_fd);
    }
    pool->state = PoolState::kTerminate;
  }
  *result = Value::None();
  return true;
}

// A native method's receiver: the bound instance, or the first argument.
Value Receiver(const CallArgs& call) { return call.self.is_undefined() ? call.args[0] : call.self; }

bool PoolEnter(ThreadState& ts, const CallArgs& call, Value* result) {
  PoolState* pool;
  if (!PoolSelf(ts, call, "__enter__", &pool)) return false;
  if (!CheckRunning(ts, pool)) return false;
  *result = Receiver(call);
  Incref(*result);
  return true;
}

bool PoolExit(ThreadState& ts, const CallArgs& call, Value* result) {
  PoolState* pool;
  if (!PoolSelf(ts, call, "__exit__", &pool)) return false;
  TerminatePool(ts, pool);
  *result = Value::None();
  return true;
}

ClassObj* PoolClass() {
  static ClassObj* const kClass = NewMpClass("Pool", {{"apply", PoolApply},
                                                      {"apply_async", PoolApplyAsync},
                                                      {"map", PoolMap},
                                                      {"map_async", PoolMapAsync},
                                                      {"starmap", PoolStarmap},
                                                      {"starmap_async", PoolStarmapAsync},
                                                      {"imap", PoolImap},
                                                      {"imap_unordered", PoolImapUnordered},
                                                      {"close", PoolClose},
                                                      {"join", PoolJoin},
                                                      {"terminate", PoolTerminate},
                                                      {"__enter__", PoolEnter},
                                                      {"__exit__", PoolExit}});
  return kClass;
}

// --- result objects
// -------------------------------------------------------------------------------

bool ResultSelf(ThreadState& ts, const CallArgs& call, ClassObj* cls, const char* method,
                ResultState** state, const Value** args = nullptr, int* nargs = nullptr) {
  MpStateObj* s;
  if (!MpSelf(ts, call, cls, method, &s, args, nargs)) return false;
  *state = static_cast<ResultState*>(s);
  return true;
}

// get(), wait() and next(): the receiver (an instance of `cls`) and the seconds of the one
// argument, timeout (TimeoutSeconds). `fname` names the method in binding errors.
bool ResultTimeoutCall(ThreadState& ts, const CallArgs& call, ClassObj* cls, const char* method,
                       const char* fname, ResultState** r, double* seconds) {
  const Value* args;
  int nargs;
  if (!ResultSelf(ts, call, cls, method, r, &args, &nargs)) return false;
  Value timeout = Value::None();
  Value* slots[] = {&timeout};
  return BindParams(ts, args, nargs, call.kwnames, fname, {"timeout"}, 0, 1, slots) &&
         TimeoutSeconds(ts, timeout, seconds);
}

// ready() and successful(): the receiver's job (null once it is gone), after taking in what the
// workers have written. False with KeyboardInterrupt raised on Ctrl-C.
bool PolledJob(ThreadState& ts, const CallArgs& call, const char* method, Job** job) {
  ResultState* r;
  if (!ResultSelf(ts, call, ApplyResultClass(), method, &r)) return false;
  *job = r->GetJob();
  return *job == nullptr || (*job)->ready || WaitJob(ts, r->pool, *job, 0) || !ts.has_error;
}

bool ResultGet(ThreadState& ts, const CallArgs& call, Value* result) {
  ResultState* r;
  double seconds;
  if (!ResultTimeoutCall(ts, call, ApplyResultClass(), "get", "ApplyResult.get", &r, &seconds)) {
    return false;
  }
  Job* job = r->GetJob();
  if (job == nullptr) return ts.Raise("RuntimeError", "result is gone");
  if (!WaitJob(ts, r->pool, job, seconds)) {
    return ts.has_error ? false : RaiseMpError(ts, MpTimeoutErrorClass(), "");
  }
  return JobResult(ts, job, result);
}

bool ResultWait(ThreadState& ts, const CallArgs& call, Value* result) {
  ResultState* r;
  double seconds;
  if (!ResultTimeoutCall(ts, call, ApplyResultClass(), "wait", "ApplyResult.wait", &r, &seconds)) {
    return false;
  }
  Job* job = r->GetJob();
  if (job != nullptr && !WaitJob(ts, r->pool, job, seconds) && ts.has_error) return false;
  *result = Value::None();
  return true;
}

bool ResultReady(ThreadState& ts, const CallArgs& call, Value* result) {
  Job* job;
  if (!PolledJob(ts, call, "ready", &job)) return false;
  *result = Value::Bool(job == nullptr || job->ready);
  return true;
}

bool ResultSuccessful(ThreadState& ts, const CallArgs& call, Value* result) {
  Job* job;
  if (!PolledJob(ts, call, "successful", &job)) return false;
  if (job == nullptr || !job->ready) {
    std::string repr = DefaultInstanceRepr(Receiver(call));
    // CPython: "{0!r} not ready"; the repr names the result's class in multiprocessing.pool.
    return ts.Raise("ValueError", repr + " not ready");
  }
  *result = Value::Bool(!job->failed);
  return true;
}

ClassObj* ApplyResultClass() {
  static ClassObj* const kClass = NewMpClass("ApplyResult", {{"get", ResultGet},
                                                             {"wait", ResultWait},
                                                             {"ready", ResultReady},
                                                             {"successful", ResultSuccessful}});
  return kClass;
}

ClassObj* MapResultClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewMpClass("MapResult", {});
    cls->base = ApplyResultClass();
    return cls;
  }();
  return kClass;
}

// next() of imap's iterators: the next result in order (imap) or as it came (imap_unordered).
bool IterNextCommon(ThreadState& ts, ResultState* r, double seconds, Value* result) {
  Job* job = r->GetJob();
  if (job == nullptr) return ts.Raise("StopIteration", "");
  PoolState* pool = r->pool;
  if (job->kind == Job::kIMapUnordered) {
    if (job->next >= job->results.size()) return ts.Raise("StopIteration", "");
    if (!Pump(
            ts, pool, [job] { return !job->arrived.empty(); }, seconds)) {
      if (ts.has_error) return false;  // Ctrl-C
      if (job->arrived.empty() && !Busy(pool)) {
        return RaiseMpError(ts, ProcessErrorClass(), "the pool was terminated");
      }
      return RaiseMpError(ts, MpTimeoutErrorClass(), "");
    }
    auto [v, is_error] = job->arrived.front();
    job->arrived.pop_front();
    ++job->next;
    if (is_error) {
      bool raised = RaiseRemote(ts, v, "");
      Decref(v);
      return raised;
    }
    *result = v;
    return true;
  }
  if (job->next >= job->results.size()) return ts.Raise("StopIteration", "");
  const size_t index = job->next;
  const size_t chunk_start = index - index % job->chunksize;
  auto settled = [job, index, chunk_start] {
    return job->ready || !job->results[index].is_undefined() ||
           job->chunk_errors.count(chunk_start) != 0;
  };
  if (!Pump(ts, pool, settled, seconds)) {
    if (ts.has_error) return false;  // Ctrl-C
    if (!Busy(pool) && !job->ready) {
      return RaiseMpError(ts, ProcessErrorClass(), "the pool was terminated");
    }
    if (!job->ready) return RaiseMpError(ts, MpTimeoutErrorClass(), "");
  }
  auto err = job->chunk_errors.find(chunk_start);
  if (err == job->chunk_errors.end() && job->failed && job->results[index].is_undefined()) {
    ++job->next;
    return RaiseRemote(ts, job->error, job->remote_tb);
  }
  ++job->next;
  if (err != job->chunk_errors.end()) return RaiseRemote(ts, err->second.first, err->second.second);
  *result = job->results[index];
  Incref(*result);
  return true;
}

bool IterNext(ThreadState& ts, const CallArgs& call, Value* result) {
  ResultState* r;
  if (!ResultSelf(ts, call, IMapIteratorClass(), "__next__", &r)) return false;
  return IterNextCommon(ts, r, -1, result);
}

bool IterNextMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  ResultState* r;
  double seconds;
  if (!ResultTimeoutCall(ts, call, IMapIteratorClass(), "next", "IMapIterator.next", &r,
                         &seconds)) {
    return false;
  }
  return IterNextCommon(ts, r, seconds, result);
}

bool IterIter(ThreadState& ts, const CallArgs& call, Value* result) {
  ResultState* r;
  if (!ResultSelf(ts, call, IMapIteratorClass(), "__iter__", &r)) return false;
  *result = Receiver(call);
  Incref(*result);
  return true;
}

ClassObj* IMapIteratorClass() {
  static ClassObj* const kClass = NewMpClass(
      "IMapIterator", {{"__iter__", IterIter}, {"__next__", IterNext}, {"next", IterNextMethod}});
  return kClass;
}

ClassObj* IMapUnorderedIteratorClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewMpClass("IMapUnorderedIterator", {});
    cls->base = IMapIteratorClass();
    return cls;
  }();
  return kClass;
}

}  // namespace

bool MpPool(ThreadState& ts, const CallArgs& call, Value* result) {
  Value processes = Value::None(), initializer = Value::None(), initargs = Value::Undefined();
  Value maxtasks = Value::None(), context = Value::None();
  Value* slots[] = {&processes, &initializer, &initargs, &maxtasks, &context};
  if (!BindParams(ts, call.args, call.nargs, call.kwnames, "Pool.__init__",
                  {"processes", "initializer", "initargs", "maxtasksperchild", "context"}, 0, 5,
                  slots)) {
    return false;
  }
  int64_t n;
  if (processes.is_none()) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    n = cpus > 0 ? cpus : 1;
  } else {
    if (!IndexArg(ts, processes, &n)) return false;
    if (n < 1) return ts.Raise("ValueError", "Number of processes must be at least 1");
  }
  if (!maxtasks.is_none()) {
    int64_t m;
    if (!IndexArg(ts, maxtasks, &m)) return false;
    if (m < 1) return ts.Raise("ValueError", "maxtasksperchild must be a positive int or None");
  }
  if (!initializer.is_none()) {
    Value is_callable;
    if (!ts.interp->Call(ts, LookupBuiltin("callable"), &initializer, 1, nullptr, &is_callable)) {
      return false;
    }
    if (!IsTruthy(is_callable)) return ts.Raise("TypeError", "initializer must be a callable");
  }
  // The classes a worker's reply may name exist before the workers are forked, so that the
  // parent can look them up by name.
  MaybeEncodingErrorClass();
  RemoteTracebackClass();
  PicklingErrorClass();
  auto* pool = new PoolState();
  Value self = NewMpInstance(PoolClass(), pool);
  pool->owner = getpid();
  Incref(initializer);
  pool->initializer = initializer;
  if (!initargs.is_undefined()) {
    Incref(initargs);
    pool->initargs = initargs;
  }
  pool->stats->pools = 1;
  pool->stats->workers = n;
  AllPoolStats().push_back(pool->stats);
  LivePools().push_back(pool);
  pool->workers.resize(static_cast<size_t>(n));
  for (Worker& w : pool->workers) {
    if (!StartWorker(ts, pool, &w)) {
      Decref(self);
      return false;
    }
  }
  *result = self;
  return true;
}

void TerminateAllPools(ThreadState& ts) {
  std::vector<PoolState*> pools = LivePools();
  for (PoolState* p : pools) IncrefObj(p);
  for (PoolState* p : pools) {
    if (p->state != PoolState::kTerminate) TerminatePool(ts, p);
  }
  for (PoolState* p : pools) DecrefObj(p);
}

void ForgetPoolsAfterFork() {
  LivePools().clear();
  AllPoolStats().clear();
}

namespace {

// The figures under their names (every field but `pools`), for Named() and operator+=.
constexpr std::pair<const char*, int64_t PoolFigures::*> kNamedFigures[] = {
    {"pool_workers", &PoolFigures::workers},
    {"pool_tasks_sent", &PoolFigures::tasks_sent},
    {"pool_results_received", &PoolFigures::results_received},
    {"pool_bytes_sent", &PoolFigures::bytes_sent},
    {"pool_bytes_received", &PoolFigures::bytes_received},
    {"pool_serialize_ns", &PoolFigures::serialize_ns},
    {"pool_deserialize_ns", &PoolFigures::deserialize_ns},
    {"pool_ipc_wait_ns", &PoolFigures::ipc_wait_ns},
    {"pool_worker_compute_ns", &PoolFigures::worker_compute_ns},
    {"pool_worker_serialize_ns", &PoolFigures::worker_serialize_ns},
    {"pool_worker_deserialize_ns", &PoolFigures::worker_deserialize_ns},
    {"pool_workers_lost", &PoolFigures::workers_lost}};

}  // namespace

PoolFigures& PoolFigures::operator+=(const PoolFigures& o) {
  pools += o.pools;
  for (const auto& [name, figure] : kNamedFigures) this->*figure += o.*figure;
  return *this;
}

std::vector<std::pair<const char*, int64_t>> PoolFigures::Named() const {
  std::vector<std::pair<const char*, int64_t>> named;
  for (const auto& [name, figure] : kNamedFigures) named.emplace_back(name, this->*figure);
  return named;
}

void PoolFigures::AppendJsonFields(std::string* out) const {
  for (const auto& [name, v] : Named()) {
    *out += "\"" + std::string(name) + "\":" + std::to_string(v) + ",";
  }
}

PoolFigures TakePoolFigures() {
  PoolFigures total;
  for (const std::shared_ptr<PoolFigures>& s : AllPoolStats()) total += *s;
  AllPoolStats().clear();
  return total;
}

void AddPoolStatsJson(std::string* json) {
  const auto& all = AllPoolStats();
  if (all.empty() || json->empty() || (*json)[0] != '{') return;
  PoolFigures total;
  std::string pools = "\"pools\":[";
  for (size_t i = 0; i < all.size(); ++i) {
    const PoolFigures& s = *all[i];
    total += s;
    std::string one = "{";
    s.AppendJsonFields(&one);
    one.back() = '}';
    pools += (i > 0 ? "," : "") + one;
  }
  pools += "],";
  std::string fields;
  total.AppendJsonFields(&fields);
  json->insert(1, fields + pools);
}

}  // namespace gilbench::vm
