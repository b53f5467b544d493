// The queue module: Queue, LifoQueue, PriorityQueue, SimpleQueue and the exceptions Empty and
// Full, as CPython 3.11's Lib/queue.py (and Modules/_queuemodule.c for SimpleQueue) behave. The
// items are guarded by the GIL; a blocked put or get waits on the queue's ChangeSignal (sync.h)
// with the GIL released. Each item is stamped when put, so a get can count how long it sat.
#include <deque>
#include <vector>

#include "gil/lock_stats.h"
#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/exceptions.h"
#include "vm/runtime.h"
#include "vm/sync.h"

namespace gilbench::vm {
namespace {

enum class QueueKind : uint8_t { kFifo, kLifo, kPriority, kSimple };

struct QueueEntry {
  Value item;      // owned
  int64_t put_ns;  // when it was put (CLOCK_MONOTONIC)
};

struct QueueObj : SyncObj {
  QueueKind qkind;
  int64_t maxsize = 0;  // <= 0: unbounded
  // Guarded by the GIL. A priority queue keeps `items` as a binary heap ordered by `<`.
  std::deque<QueueEntry> items;
  int64_t unfinished_tasks = 0;
  ChangeSignal changed;  // bumped at every put, get and task_done that ends the work
  explicit QueueObj(QueueKind k) : SyncObj(SyncKind::kQueue), qkind(k) {}
  ~QueueObj() override {
    for (QueueEntry& e : items) Decref(e.item);
  }
  bool full() const { return maxsize > 0 && static_cast<int64_t>(items.size()) >= maxsize; }
};

ClassObj* EmptyClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewExceptionClass("Empty", "Exception");
    cls->module = "_queue";
    return cls;
  }();
  return kClass;
}

ClassObj* FullClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewExceptionClass("Full", "Exception");
    cls->module = "queue";
    return cls;
  }();
  return kClass;
}

bool QueueSelf(ThreadState& ts, const CallArgs& call, const char* method, QueueObj** self,
               const Value** args, int* nargs) {
  InstanceObj* inst;
  if (!SyncSelf(ts, call, SyncKind::kQueue, "Queue", method, &inst, args, nargs)) return false;
  *self = static_cast<QueueObj*>(inst->native());
  return true;
}

// --- the heap of a PriorityQueue (heapq's sift, with `<` that may run Python and fail) ----------

bool Less(ThreadState& ts, Value a, Value b, bool* out) {
  return CompareValues(ts, CompareOp::kLt, a, b, out);
}

bool SiftDown(ThreadState& ts, std::deque<QueueEntry>& heap, size_t start, size_t pos) {
  QueueEntry newitem = heap[pos];
  while (pos > start) {
    size_t parent = (pos - 1) >> 1;
    bool lt;
    if (!Less(ts, newitem.item, heap[parent].item, &lt)) {
      heap[pos] = newitem;
      return false;
    }
    if (!lt) break;
    heap[pos] = heap[parent];
    pos = parent;
  }
  heap[pos] = newitem;
  return true;
}

bool SiftUp(ThreadState& ts, std::deque<QueueEntry>& heap, size_t pos) {
  const size_t end = heap.size(), start = pos;
  QueueEntry newitem = heap[pos];
  size_t child = 2 * pos + 1;
  while (child < end) {
    size_t right = child + 1;
    if (right < end) {
      bool lt;
      if (!Less(ts, heap[child].item, heap[right].item, &lt)) {
        heap[pos] = newitem;
        return false;
      }
      if (!lt) child = right;
    }
    heap[pos] = heap[child];
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = newitem;
  return SiftDown(ts, heap, start, pos);
}

// Adds `item` (borrowed) in the queue's order.
bool PutItem(ThreadState& ts, QueueObj* q, Value item) {
  Incref(item);
  q->items.push_back(QueueEntry{item, gil::MonotonicNs()});
  if (q->qkind == QueueKind::kPriority && !SiftDown(ts, q->items, 0, q->items.size() - 1)) {
    return false;  // the item stays in (heapq's heappush leaves it so too)
  }
  return true;
}

// Takes the next item (a new reference) in the queue's order; requires a non-empty queue.
bool TakeItem(ThreadState& ts, QueueObj* q, QueueEntry* out) {
  switch (q->qkind) {
    case QueueKind::kFifo:
    case QueueKind::kSimple:
      *out = q->items.front();
      q->items.pop_front();
      return true;
    case QueueKind::kLifo:
      *out = q->items.back();
      q->items.pop_back();
      return true;
    case QueueKind::kPriority: {
      QueueEntry last = q->items.back();
      q->items.pop_back();
      if (q->items.empty()) {
        *out = last;
        return true;
      }
      *out = q->items.front();
      q->items.front() = last;
      if (!SiftUp(ts, q->items, 0)) {
        Decref(out->item);
        return false;
      }
      return true;
    }
  }
  return false;
}

// block and timeout of put/get: the deadline, or 0 for "do not block".
bool BlockArgs(ThreadState& ts, Value block, Value timeout_arg, int64_t* deadline, bool* blocking) {
  *blocking = block.is_undefined() || IsTruthy(block);
  int64_t timeout;
  if (!ParseTimeoutArg(ts, timeout_arg, &timeout)) return false;
  if (*blocking && timeout == kNegativeTimeout) {
    return ts.Raise("ValueError", "'timeout' must be a non-negative number");
  }
  *deadline = DeadlineAfter(timeout);
  return true;
}

// put: waits for room when bounded, then adds the item and wakes getters.
bool QueuePutImpl(ThreadState& ts, QueueObj* q, Value item, Value block, Value timeout) {
  int64_t deadline;
  bool blocking;
  if (!BlockArgs(ts, block, timeout, &deadline, &blocking)) return false;
  if (!blocking && q->full()) return RaiseNewException(ts, FullClass());
  int64_t blocked;
  const WaitStatus status = q->changed.CountedWaitUntil(
      ts, deadline, [q] { return !q->full(); }, &blocked);
  gil::LockThreadStats& stats = ts.gil->lock_stats();
  stats.counters.queue_put_blocked_ns_total += static_cast<uint64_t>(blocked);
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  if (status == WaitStatus::kTimedOut) return RaiseNewException(ts, FullClass());
  if (!PutItem(ts, q, item)) return false;
  ++q->unfinished_tasks;
  ++stats.counters.queue_items_put;
  q->changed.Notify();
  return true;
}

bool QueueGetImpl(ThreadState& ts, QueueObj* q, Value block, Value timeout, Value* result) {
  int64_t deadline;
  bool blocking;
  if (!BlockArgs(ts, block, timeout, &deadline, &blocking)) return false;
  if (!blocking && q->items.empty()) return RaiseNewException(ts, EmptyClass());
  int64_t blocked;
  const WaitStatus status = q->changed.CountedWaitUntil(
      ts, deadline, [q] { return !q->items.empty(); }, &blocked);
  gil::LockThreadStats& stats = ts.gil->lock_stats();
  stats.counters.queue_get_blocked_ns_total += static_cast<uint64_t>(blocked);
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  if (status == WaitStatus::kTimedOut) return RaiseNewException(ts, EmptyClass());
  QueueEntry entry;
  if (!TakeItem(ts, q, &entry)) return false;
  ++stats.counters.queue_items_got;
  stats.counters.queue_wait_ns_total += static_cast<uint64_t>(gil::MonotonicNs() - entry.put_ns);
  q->changed.Notify();
  *result = entry.item;
  return true;
}

bool QueuePut(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "put", &q, &args, &nargs)) return false;
  Value p[3];
  if (!BindMethodArgs(ts, call, args, nargs, "put", {"item", "block", "timeout"}, 1, p)) {
    return false;
  }
  if (!QueuePutImpl(ts, q, p[0], p[1], p[2])) return false;
  *result = Value::None();
  return true;
}

bool QueuePutNowait(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "put_nowait", &q, &args, &nargs)) return false;
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "put_nowait", {"item"}, 1, p)) return false;
  if (!QueuePutImpl(ts, q, p[0], Value::Bool(false), Value::Undefined())) return false;
  *result = Value::None();
  return true;
}

bool QueueGet(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "get", &q, &args, &nargs)) return false;
  Value p[2];
  if (!BindMethodArgs(ts, call, args, nargs, "get", {"block", "timeout"}, 0, p)) return false;
  return QueueGetImpl(ts, q, p[0], p[1], result);
}

bool QueueGetNowait(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "get_nowait", &q, &args, &nargs)) return false;
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "get_nowait", {}, 0, p)) return false;
  return QueueGetImpl(ts, q, Value::Bool(false), Value::Undefined(), result);
}

bool QueueTaskDone(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "task_done", &q, &args, &nargs)) return false;
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "task_done", {}, 0, p)) return false;
  if (q->unfinished_tasks <= 0) return ts.Raise("ValueError", "task_done() called too many times");
  if (--q->unfinished_tasks == 0) q->changed.Notify();
  *result = Value::None();
  return true;
}

bool QueueJoin(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "join", &q, &args, &nargs)) return false;
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "join", {}, 0, p)) return false;
  WaitStatus status = q->changed.WaitUntil(ts, INT64_MAX, [q] { return q->unfinished_tasks == 0; });
  if (status == WaitStatus::kInterrupted) return RaiseInterrupt(ts);
  *result = Value::None();
  return true;
}

bool QueueQsize(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "qsize", &q, &args, &nargs)) return false;
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "qsize", {}, 0, p)) return false;
  *result = Value::Int(static_cast<int64_t>(q->items.size()));
  return true;
}

bool QueueEmpty(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "empty", &q, &args, &nargs)) return false;
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "empty", {}, 0, p)) return false;
  *result = Value::Bool(q->items.empty());
  return true;
}

bool QueueFull(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "full", &q, &args, &nargs)) return false;
  Value p[1];
  if (!BindMethodArgs(ts, call, args, nargs, "full", {}, 0, p)) return false;
  *result = Value::Bool(q->full());
  return true;
}

bool QueueMaxsize(ThreadState& ts, const CallArgs& call, Value* result) {
  QueueObj* q;
  const Value* args;
  int nargs;
  if (!QueueSelf(ts, call, "maxsize", &q, &args, &nargs)) return false;
  *result = Value::Int(q->maxsize);
  return true;
}

bool InitQueue(ThreadState& ts, const CallArgs& call, QueueKind kind, Value* result) {
  const Value* args;
  int nargs;
  const Value v = SplitReceiver(call, &args, &nargs);
  if (!IsInstanceObj(v) || AsInstance(v)->cls->native != NativeBase::kSync) {
    return ts.Raise("TypeError", "descriptor '__init__' requires a 'Queue' object");
  }
  auto* q = new QueueObj(kind);
  AsInstance(v)->SetNative(q);
  if (kind == QueueKind::kSimple) {
    if (nargs != 0) return ts.Raise("TypeError", "SimpleQueue() takes no arguments");
  } else {
    Value p[1];
    if (!BindMethodArgs(ts, call, args, nargs, "__init__", {"maxsize"}, 0, p)) return false;
    if (!p[0].is_undefined() && !IndexArg(ts, p[0], &q->maxsize)) return false;
  }
  *result = Value::None();
  return true;
}

bool QueueInit(ThreadState& ts, const CallArgs& call, Value* result) {
  return InitQueue(ts, call, QueueKind::kFifo, result);
}
bool LifoQueueInit(ThreadState& ts, const CallArgs& call, Value* result) {
  return InitQueue(ts, call, QueueKind::kLifo, result);
}
bool PriorityQueueInit(ThreadState& ts, const CallArgs& call, Value* result) {
  return InitQueue(ts, call, QueueKind::kPriority, result);
}
bool SimpleQueueInit(ThreadState& ts, const CallArgs& call, Value* result) {
  return InitQueue(ts, call, QueueKind::kSimple, result);
}

ClassObj* QueueClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewSyncClass("Queue", {{"__init__", QueueInit},
                                           {"put", QueuePut},
                                           {"put_nowait", QueuePutNowait},
                                           {"get", QueueGet},
                                           {"get_nowait", QueueGetNowait},
                                           {"task_done", QueueTaskDone},
                                           {"join", QueueJoin},
                                           {"qsize", QueueQsize},
                                           {"empty", QueueEmpty},
                                           {"full", QueueFull}});
    cls->attrs.emplace_back("maxsize", NewNativeProperty("maxsize", QueueMaxsize));
    cls->module = "queue";
    return cls;
  }();
  return kClass;
}

ClassObj* QueueSubclass(const char* name, NativeFn init) {
  ClassObj* cls = NewSyncClass(name, {{"__init__", init}});
  cls->base = QueueClass();
  cls->module = "queue";
  QueueClass()->subclasses.push_back(cls);
  return cls;
}

ClassObj* SimpleQueueClass() {
  static ClassObj* const kClass = [] {
    ClassObj* cls = NewSyncClass("SimpleQueue", {{"__init__", SimpleQueueInit},
                                                 {"put", QueuePut},
                                                 {"put_nowait", QueuePutNowait},
                                                 {"get", QueueGet},
                                                 {"get_nowait", QueueGetNowait},
                                                 {"qsize", QueueQsize},
                                                 {"empty", QueueEmpty}});
    cls->module = "_queue";
    return cls;
  }();
  return kClass;
}

}  // namespace

Value CreateQueueModule() {
  static ClassObj* const kLifo = QueueSubclass("LifoQueue", LifoQueueInit);
  static ClassObj* const kPriority = QueueSubclass("PriorityQueue", PriorityQueueInit);
  auto* m = new ModuleObj("queue");
  m->attrs.emplace_back("Queue", Value::Object(QueueClass()));
  m->attrs.emplace_back("LifoQueue", Value::Object(kLifo));
  m->attrs.emplace_back("PriorityQueue", Value::Object(kPriority));
  m->attrs.emplace_back("SimpleQueue", Value::Object(SimpleQueueClass()));
  m->attrs.emplace_back("Empty", Value::Object(EmptyClass()));
  m->attrs.emplace_back("Full", Value::Object(FullClass()));
  return Value::Object(m);
}

}  // namespace gilbench::vm
