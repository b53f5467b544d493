// threading's primitives and the queue module through the VM (vm/sync.h): the blocking-wait
// core's structure and the lock counters it keeps -- counts, never timings. Each test runs a
// program, then reads the run's merged lock statistics from the Gil (every thread retired).
// Under the tsan preset, StressManyThreadsTinySwitchInterval is the data-race check of the wait
// core, its timeouts and the Condition and queue ping-pong.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "gil/gil.h"
#include "gil/lock_stats.h"
#include "tests/vm/interpreter_fixture.h"
#include "vm/interpreter.h"

namespace gilbench::vm {
namespace {

using test_support::ProgramRun;
using test_support::RunProgram;

TEST(SyncTest, UncontendedAcquisitionsCountEveryAcquireCall) {
  ProgramRun run = RunProgram(R"(
import threading
lock = threading.Lock()
r = threading.RLock()
for i in range(10):
    lock.acquire()
    lock.release()
with lock:
    pass
print(lock.acquire(False), lock.acquire(False))
lock.release()
r.acquire()
r.acquire()
r.release()
r.release()
)");
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out, "True False\n");
  // 10 + 1 (with) + 1 (the first non-blocking) + 2 (RLock, re-entry included); the failed
  // non-blocking try is no acquisition.
  EXPECT_EQ(run.locks.counters.acquisitions, 14u);
  EXPECT_EQ(run.locks.counters.contended, 0u);
  EXPECT_EQ(run.locks.counters.handoffs, 0u);
  EXPECT_EQ(run.locks.wait_ns.count(), 0u);
}

TEST(SyncTest, ABlockedAcquireIsContendedAndHandedOff) {
  // The main thread holds the lock while the worker blocks on it, then releases it: the
  // worker's acquire had to wait and took the lock straight from the releasing thread.
  ProgramRun run = RunProgram(R"(
import threading, time
lock = threading.Lock()
lock.acquire()
def worker():
    lock.acquire()
    lock.release()
t = threading.Thread(target=worker)
t.start()
time.sleep(0.2)
lock.release()
t.join()
print("ok")
)");
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out, "ok\n");
  EXPECT_EQ(run.locks.counters.acquisitions, 2u);
  EXPECT_GE(run.locks.counters.contended, 1u);
  EXPECT_EQ(run.locks.counters.handoffs, 1u);
  EXPECT_EQ(run.locks.wait_ns.count(), 1u);
  EXPECT_GT(run.locks.counters.wait_ns_total, 0u);
  EXPECT_EQ(run.locks.wait_ns.max(), run.locks.counters.wait_ns_total);
}

TEST(SyncTest, TheTraceShowsWaitingForALockApartFromWaitingForTheGil) {
  ProgramRun run = RunProgram(R"(
import threading, time
lock = threading.Lock()
lock.acquire()
def worker():
    lock.acquire()
t = threading.Thread(target=worker)
t.start()
time.sleep(0.05)
lock.release()
t.join()
)",
                              "py3", 5000, /*trace=*/true);
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.trace_json.find("\"name\":\"waiting for a lock\""), std::string::npos);
  EXPECT_NE(run.trace_json.find("\"name\":\"holding\""), std::string::npos);
}

TEST(SyncTest, ATimedOutAcquireRecordsAWaitButNoAcquisition) {
  ProgramRun run = RunProgram(R"(
import threading
lock = threading.Lock()
lock.acquire()
print(lock.acquire(timeout=0.01))
)");
  EXPECT_EQ(run.out, "False\n");
  EXPECT_EQ(run.locks.counters.acquisitions, 1u);
  EXPECT_EQ(run.locks.counters.contended, 0u);
  EXPECT_EQ(run.locks.wait_ns.count(), 1u);
  EXPECT_GE(run.locks.counters.wait_ns_total, 10'000'000u);
}

TEST(SyncTest, QueueCountsItemsAndTheirTimeInTheQueue) {
  ProgramRun run = RunProgram(R"(
import queue, threading
q = queue.Queue()
def consumer():
    for i in range(5):
        q.get()
t = threading.Thread(target=consumer)
t.start()
for i in range(5):
    q.put(i)
t.join()
s = queue.SimpleQueue()
s.put(1)
s.get()
print("ok")
)");
  EXPECT_EQ(run.out, "ok\n");
  EXPECT_EQ(run.locks.counters.queue_items_put, 6u);
  EXPECT_EQ(run.locks.counters.queue_items_got, 6u);
  EXPECT_GT(run.locks.counters.queue_wait_ns_total, 0u);
}

TEST(SyncTest, StatsJsonHasTheLockKeysInTotalAndPerThread) {
  ProgramRun run = RunProgram(R"(
import threading
lock = threading.Lock()
def work():
    for i in range(100):
        with lock:
            pass
ts = [threading.Thread(target=work) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
)");
  EXPECT_EQ(run.locks.counters.acquisitions, 300u);
  for (const char* key :
       {"lock_acquisitions", "lock_contended", "lock_handoffs", "lock_wait_ns_total",
        "lock_wait_ns_p50", "lock_wait_ns_p99", "lock_wait_ns_max", "queue_items_put",
        "queue_items_got", "queue_wait_ns_total", "queue_get_blocked_ns_total",
        "queue_put_blocked_ns_total"}) {
    const std::string quoted = std::string("\"") + key + "\":";
    size_t count = 0;
    for (size_t at = run.stats_json.find(quoted); at != std::string::npos;
         at = run.stats_json.find(quoted, at + 1)) {
      ++count;
    }
    EXPECT_EQ(count, 5u) << key;  // the total and each of the four threads
  }
  EXPECT_NE(run.stats_json.find("\"lock_acquisitions\":300,"), std::string::npos);
}

TEST(SyncTest, StressManyThreadsTinySwitchInterval) {
  // Many threads, a 1 us switch interval, timed acquires that often time out, and Condition and
  // queue ping-pong: the results are exact whatever the interleaving.
  const std::string source = R"(
import sys, threading, queue
sys.setswitchinterval(1e-6)
lock = threading.Lock()
sem = threading.Semaphore(2)
cond = threading.Condition()
turn = [0]
total = [0]
def locker(n):
    for i in range(n):
        while not lock.acquire(timeout=0.0005):
            pass
        total[0] += 1
        lock.release()
        with sem:
            pass
def pinger(me, n):
    for i in range(n):
        with cond:
            while turn[0] % 2 != me:
                cond.wait(0.001)
            turn[0] += 1
            cond.notify_all()
ping, pong = queue.Queue(maxsize=1), queue.Queue(maxsize=1)
def bouncer(n):
    for i in range(n):
        pong.put(ping.get() + 1)
ts = [threading.Thread(target=locker, args=(300,)) for i in range(6)]
ts += [threading.Thread(target=pinger, args=(k, 200)) for k in (0, 1)]
ts.append(threading.Thread(target=bouncer, args=(300,)))
for t in ts:
    t.start()
v = 0
for i in range(300):
    ping.put(v)
    v = pong.get()
for t in ts:
    t.join()
print(total[0], turn[0], v)
)";
  for (const char* policy : {"py3", "fifo"}) {
    ProgramRun run = RunProgram(source, policy, 1);
    EXPECT_EQ(run.status, 0) << policy;
    EXPECT_EQ(run.out, "1800 400 300\n") << policy;
    EXPECT_GE(run.locks.counters.acquisitions, 1800u * 2) << policy;
    EXPECT_EQ(run.locks.counters.queue_items_put, 600u) << policy;
    EXPECT_EQ(run.locks.counters.queue_items_got, 600u) << policy;
  }
}

TEST(SyncTest, SubinterpRefusesToShareALockOrAQueue) {
  // Under subinterp a thread runs in its own interpreter: a lock or queue cannot go with it.
  ProgramRun run = RunProgram(R"(
import threading, queue
def f(x):
    pass
for obj in (threading.Lock(), queue.Queue()):
    try:
        threading.Thread(target=f, args=(obj,)).start()
    except RuntimeError as e:
        print(str(e).split(": ", 1)[1])
)",
                              "subinterp");
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out,
            "a lock synchronises threads of one interpreter and cannot be shared between "
            "interpreters\n"
            "a queue.Queue synchronises threads of one interpreter and cannot be shared between "
            "interpreters\n");
}

}  // namespace
}  // namespace gilbench::vm
