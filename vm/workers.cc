// Workers for the harness: see workers.h.
#include "vm/workers.h"

#include <atomic>
#include <memory>
#include <new>
#include <system_error>
#include <thread>

#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

// Adds what one call returned to *checksum: an int, or the ints an iterable yields.
bool AddResult(ThreadState& ts, Value result, int64_t* checksum) {
  if (result.is_intlike()) {
    *checksum += result.i;
    return true;
  }
  std::vector<Value> items;
  if (!CollectIterable(ts, result, &items)) return false;
  bool ok = true;
  for (Value item : items) {
    if (item.is_intlike()) {
      *checksum += item.i;
    } else if (ok) {
      ok = ts.Raise("TypeError", std::string("a workload must return ints, got ") + TypeName(item));
    }
    Decref(item);
  }
  return ok;
}

// The window in which every worker was running: each worker publishes its GIL record when it
// has one, and the first to finish its calls (still holding the GIL) reads what every worker had
// done by then into the outcomes' window fields -- fields no other thread writes.
// A worker that has started but holds no record yet when the window closes had done nothing in
// it: its shares are zero (the fast one finished before the slow one got going -- as uneven as a
// run gets). Only a worker the OS never started is left out.
struct Window {
  explicit Window(size_t workers) : started(workers), records(workers) {}
  std::vector<std::atomic<bool>> started;
  std::vector<std::atomic<const gil::GilThread*>> records;
  std::atomic<bool> closed{false};
};

void CloseWindow(Window* window, const ThreadState& ts, int index,
                 std::vector<WorkerOutcome>* outcomes) {
  if (window->closed.exchange(true)) return;
  for (size_t k = 0; k < outcomes->size(); ++k) {
    if (!window->started[k].load()) continue;
    const gil::GilThread* record = window->records[k].load();
    WorkerOutcome& o = (*outcomes)[k];
    o.in_window = true;
    if (record == nullptr) continue;     // started, not yet running: zero shares
    if (static_cast<int>(k) == index) {  // our own, with the holding in progress
      o.window_hold_ns = ts.gil->HoldNsSoFar(gil::MonotonicNs());
      o.window_ticks = ts.gil->TicksSoFar();
    } else {
      o.window_hold_ns = record->PublishedHoldNs();
      o.window_ticks = record->PublishedTicks();
    }
  }
}

// One worker's whole job, on its own thread.
void RunOneWorker(Interpreter* interp, const std::vector<WorkerCall>& calls, int index,
                  const WorkerHooks& hooks, std::atomic<int>* ready, std::atomic<int>* finished,
                  int workers, bool own_interpreter, Window* window,
                  std::vector<WorkerOutcome>* outcomes) {
  WorkerOutcome* outcome = &(*outcomes)[static_cast<size_t>(index)];
  window->started[static_cast<size_t>(index)].store(true);
  if (hooks.before) hooks.before(index);
  ready->fetch_add(1);
  while (ready->load() < workers) std::this_thread::yield();  // start together
  auto* self = new ThreadObj();
  // As CPython names a thread by its target ("Thread-1 (countdown)"): GIL blame and traces
  // then say which worker did what.
  self->name = "worker-" + std::to_string(index) +
               (calls.empty() ? std::string() : " (" + calls.front().function + ")");
  self->set_state(ThreadObj::State::kStarted);
  {
    ThreadState ts(interp, self);
    window->records[static_cast<size_t>(index)].store(ts.gil.get());
    interp->AcquireGil(ts);
    outcome->ok = true;
    try {
      for (const WorkerCall& call : calls) {
        std::vector<Value> args;
        for (int64_t a : call.args) args.push_back(Value::Int(a));
        Value result;
        bool ok = interp->CallGlobal(ts, call.function, args, &result);
        if (ok) {
          ok = AddResult(ts, result, &outcome->checksum);
          Decref(result);
        }
        if (!ok) {
          outcome->ok = false;
          outcome->error = interp->FormatError(ts, "");
          ts.ClearError();
          break;
        }
      }
    } catch (const std::bad_alloc&) {
      // Out of memory in the VM (the harness under `ulimit -v`): as gilvm's main thread does,
      // the worker's frames are abandoned, not unwound, and it fails with CPython's error. An
      // exception must not leave the thread (std::terminate would end the whole benchmark run),
      // and the GIL is given back below, so that the other workers finish.
      outcome->ok = false;
      outcome->error = "MemoryError\n";
      ts.ClearError();
    }
    CloseWindow(window, ts, index, outcomes);
    outcome->ticks = ts.gil->TicksSoFar();
    // The threads the calls started (threading.Thread, an executor's workers) are joined before
    // the interpreter can be torn down, as gilvm joins them at the program's end: even a thread
    // the program joined is still giving the GIL back and retiring its state. The last worker to
    // finish joins them, or each worker its own interpreter's (subinterp); the run ends then.
    if (finished->fetch_add(1) + 1 == workers || own_interpreter) {
      interp->JoinAllThreads(ts);
    }
    outcome->end_ns = gil::MonotonicNs();
    DecrefObj(self);
    interp->ReleaseGil(ts);
  }
  if (hooks.after) hooks.after(index);
}

}  // namespace

bool LoadWorkload(Interpreter& interp, std::string_view source, const std::string& filename,
                  std::string* error, std::string_view module_name) {
  return interp.Load(source, filename, error, module_name) && interp.RunModule(error);
}

std::vector<WorkerOutcome> RunWorkers(Interpreter& interp,
                                      const std::vector<std::vector<WorkerCall>>& calls,
                                      const WorkerHooks& hooks) {
  int n = static_cast<int>(calls.size());
  std::vector<WorkerOutcome> outcomes(calls.size());
  // Under subinterp each worker runs in its own interpreter, made here while no worker runs.
  std::vector<std::unique_ptr<Interpreter>> isolated;
  bool isolate = interp.isolated_threads();
  for (int i = 0; isolate && i < n; ++i) isolated.push_back(std::make_unique<Interpreter>(&interp));
  std::atomic<int> ready{0};
  std::atomic<int> finished{0};
  Window window(calls.size());
  std::vector<std::thread> threads;
  threads.reserve(calls.size());  // so that only the thread itself can fail to start
  for (int i = 0; i < n; ++i) {
    Interpreter* runner = isolate ? isolated[i].get() : &interp;
    const char* refused = nullptr;
    try {
      threads.emplace_back(RunOneWorker, runner, std::cref(calls[i]), i, std::cref(hooks), &ready,
                           &finished, n, isolate, &window, &outcomes);
    } catch (const std::system_error&) {
      refused = "RuntimeError: can't start new thread\n";  // CPython's start() under EAGAIN
    } catch (const std::bad_alloc&) {
      refused = "MemoryError\n";
    }
    if (refused) {
      // The workers not started fail; they count as ready, so that those started do not wait
      // for them forever.
      for (int k = i; k < n; ++k) outcomes[k].error = refused;
      ready.fetch_add(n - i);
      finished.fetch_add(n - i);
      break;
    }
  }
  for (std::thread& t : threads) t.join();
  return outcomes;
}

}  // namespace gilbench::vm
