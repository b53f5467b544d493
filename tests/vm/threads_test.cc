// Threads under the GIL, end to end through the VM: many threads and tiny switch intervals
// hammering shared objects whose reference counts and contents only the GIL protects. Run under
// the tsan preset, these are the data-race checks for the interpreter and the py3 policy together.
#include <gtest/gtest.h>
#include <pthread.h>

#include <memory>
#include <string>

#include "gil/gil.h"
#include "vm/interpreter.h"
#include "vm/workers.h"

namespace gilbench::vm {
namespace {

// While alive, a new thread's default stack is 1 TiB, which cannot be mapped: the OS refuses
// every thread (pthread_create's EAGAIN), as it does under a process or memory limit.
class RefuseNewThreads {
 public:
  RefuseNewThreads() {
    EXPECT_EQ(pthread_getattr_default_np(&saved_), 0);
    pthread_attr_t huge;
    pthread_attr_init(&huge);
    pthread_attr_setstacksize(&huge, size_t{1} << 40);
    EXPECT_EQ(pthread_setattr_default_np(&huge), 0);
    pthread_attr_destroy(&huge);
  }
  ~RefuseNewThreads() {
    pthread_setattr_default_np(&saved_);
    pthread_attr_destroy(&saved_);
  }
  RefuseNewThreads(const RefuseNewThreads&) = delete;
  RefuseNewThreads& operator=(const RefuseNewThreads&) = delete;

 private:
  pthread_attr_t saved_;
};

// Runs `source` as a program under `policy` with the given switch interval; returns its exit
// status and stores what it printed in *out.
int RunProgram(const std::string& source, int64_t switch_interval_us, std::string* out,
               const std::string& policy = "py3") {
  gil::GilConfig config;
  config.policy = policy;
  config.switch_interval_us = switch_interval_us;
  std::string error;
  auto gil = gil::MakeGil(config, &error);
  EXPECT_NE(gil, nullptr) << error;
  Interpreter interp(std::move(gil), {"threads_test.py"});
  EXPECT_TRUE(interp.Load(source, "threads_test.py", &error)) << error;
  testing::internal::CaptureStdout();
  int status = interp.RunMain();
  *out = testing::internal::GetCapturedStdout();
  return status;
}

TEST(ThreadsTest, EightThreadsShareCountersUnderATinySwitchInterval) {
  const std::string source = R"(
import threading
counter = [0]
log = []
def work(k, n):
    local = 0
    for i in range(n):
        counter[0] += 1
        local += 1
        if i % 1000 == 0:
            log.append(k)
    log.append(local)
threads = []
for k in range(8):
    t = threading.Thread(target=work, args=(k, 20000))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
assert counter[0] == 8 * 20000, counter[0]
print(counter[0], len(log), threading.active_count())
)";
  std::string out;
  EXPECT_EQ(RunProgram(source, 5, &out), 0);
  // 8 threads x (20 progress marks + 1 final count) entries in the shared log.
  EXPECT_EQ(out, "160000 168 1\n");
}

TEST(ThreadsTest, ThreadsPassObjectsBackAndForth) {
  // Strings, lists and generators created in one thread and dropped in another: the reference
  // counts are plain integers, so any access outside the GIL shows up as a race under TSan.
  const std::string source = R"(
import threading
boxes = [[], [], [], []]
def gen(n):
    for i in range(n):
        yield str(i) * 3
def producer(k):
    for s in gen(3000):
        boxes[k].append([s, k])
def consumer(k, out):
    # The only thread that pops boxes[k]: len() then pop() cannot race with another pop.
    total = 0
    for i in range(3000):
        if len(boxes[k]) > 0:
            item = boxes[k].pop()
            total += len(item[0])
    out.append(total)
results = []
ts = []
for k in range(4):
    ts.append(threading.Thread(target=producer, args=(k,)))
    ts.append(threading.Thread(target=consumer, args=(k, results)))
for t in ts:
    t.start()
for t in ts:
    t.join()
left = 0
for box in boxes:
    for item in box:
        left += len(item[0])
print(sum(results) + left)
)";
  std::string out;
  EXPECT_EQ(RunProgram(source, 2, &out), 0);
  int expected = 0;
  for (int i = 0; i < 3000; ++i) expected += 3 * static_cast<int>(std::to_string(i).size());
  EXPECT_EQ(out, std::to_string(4 * expected) + "\n");
}

TEST(ThreadsTest, ThreadsShareOneDictAndOneSet) {
  // Each thread writes and deletes its own keys, and all count into one key and one set: the
  // counts stay plain integers under the GIL, and the result does not depend on the interleaving.
  const std::string source = R"(
import threading
shared = {'total': 0}
marks = set()
def work(tag, n):
    for i in range(n):
        shared[(tag, i)] = i
        shared['total'] += 1
        marks.add((tag, i % 50))
        if i % 3 == 0:
            del shared[(tag, i)]
threads = []
for tag in range(4):
    t = threading.Thread(target=work, args=(tag, 6000))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print(shared['total'], len(shared), len(marks), (3, 5999) in shared, (3, 5997) in shared)
)";
  std::string out;
  EXPECT_EQ(RunProgram(source, 5, &out), 0);
  EXPECT_EQ(out, "24000 16001 200 True False\n");
}

TEST(ThreadsTest, BlockingCallsReleaseTheGil) {
  // Pipes between threads: a reader blocked in os.read must not hold the GIL, or the writer
  // could never run and the program would hang.
  const std::string source = R"(
import os
import threading
import time
r, w = os.pipe()
got = []
def reader():
    total = 0
    while total < 3000:
        data = os.read(r, 4096)
        total += len(data)
    got.append(total)
t = threading.Thread(target=reader)
t.start()
time.sleep(0.01)
for i in range(30):
    os.write(w, b"x" * 100)
t.join()
os.close(r)
os.close(w)
print(got[0])
)";
  std::string out;
  EXPECT_EQ(RunProgram(source, 1000, &out), 0);
  EXPECT_EQ(out, "3000\n");
}

TEST(ThreadsTest, AnErrorInAThreadEndsOnlyThatThread) {
  const std::string source = R"(
import threading
done = []
def bad():
    done.append(1 // 0)
def good():
    done.append("ok")
a = threading.Thread(target=bad)
b = threading.Thread(target=good)
a.start()
b.start()
a.join()
b.join()
print(done)
)";
  std::string out;
  testing::internal::CaptureStderr();
  int status = RunProgram(source, 100, &out);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(status, 0);
  EXPECT_EQ(out, "['ok']\n");
  EXPECT_NE(err.find("Exception in thread Thread-1 (bad):"), std::string::npos) << err;
  EXPECT_NE(err.find("ZeroDivisionError: integer division or modulo by zero"), std::string::npos);
}

// CPython's start() raises RuntimeError when the OS refuses the thread; gilvm's std::thread
// threw std::system_error through the interpreter and aborted.
TEST(ThreadsTest, AThreadTheOsRefusesIsARuntimeError) {
  const std::string source = R"(
import threading
def f():
    print("never")
t = threading.Thread(target=f)
print("before", threading.active_count())
t.start()
)";
  std::string out;
  testing::internal::CaptureStderr();
  int status;
  {
    RefuseNewThreads refuse;
    status = RunProgram(source, 1000, &out);
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(status, 1);
  EXPECT_EQ(out, "before 1\n");
  EXPECT_NE(err.find("line 7, in <module>\n"), std::string::npos) << err;
  EXPECT_NE(err.find("\nRuntimeError: can't start new thread\n"), std::string::npos) << err;
}

TEST(ThreadsTest, MainWaitsForUnjoinedThreadsAtExit) {
  const std::string source = R"(
import threading
import time
def late():
    time.sleep(0.05)
    print("late thread done")
threading.Thread(target=late).start()
print("main done")
)";
  std::string out;
  EXPECT_EQ(RunProgram(source, 100, &out), 0);
  EXPECT_EQ(out, "main done\nlate thread done\n");
}

// Under subinterp each thread runs in its own interpreter: it sees a snapshot of the globals
// taken at start(), and what it changes stays its own -- no object is shared, so there is
// nothing for two GILs to race on (TSan checks that).
TEST(SubinterpTest, ThreadsRunOnSnapshotsOfTheGlobals) {
  const std::string source = R"(
import threading
counts = [0, 0, 0, 0]
greeting = "hello"
def work(k, n):
    total = 0
    for i in range(n):
        total += i % 7
    counts[k] = total
    print(greeting, k, total, threading.current_thread().name, threading.active_count())
threads = []
for k in range(4):
    threads.append(threading.Thread(target=work, args=(k, 20000), name="w%d" % k))
for t in threads:
    t.start()
    t.join()
print(counts)
)";
  std::string out;
  EXPECT_EQ(RunProgram(source, 5, &out, "subinterp"), 0);
  // Each thread's own interpreter counts only itself as active; the main's list is untouched.
  EXPECT_EQ(out,
            "hello 0 59997 w0 1\nhello 1 59997 w1 1\nhello 2 59997 w2 1\nhello 3 59997 w3 1\n"
            "[0, 0, 0, 0]\n");
}

// A Thread's state is written by the thread as it ends, under its own interpreter's GIL, while
// the main thread reads it for str() under another: only the Thread's own lock orders the two
// (TSan reported the unordered read before ThreadObj::state() took it).
TEST(SubinterpTest, ReprOfAThreadWhileItEndsIsOrdered) {
  const std::string source = R"(
import threading
def work(n):
    total = 0
    for i in range(n):
        total += i
threads = []
for k in range(4):
    threads.append(threading.Thread(target=work, args=(2000 * k,), name="t%d" % k))
for t in threads:
    t.start()
seen = 0
for i in range(20000):
    for t in threads:
        if str(t) == "<Thread(" + t.name + ", started)>":
            seen += 1
for t in threads:
    t.join()
print(seen, threads[0])
)";
  std::string out;
  EXPECT_EQ(RunProgram(source, 5, &out, "subinterp"), 0);
  EXPECT_EQ(out, "80000 <Thread(t0, started)>\n");
}

// Dicts, sets and frozensets cross as copies that keep their tables' layout: a thread iterates
// them in the order the main thread would; and constant strs, shared (immortal) by every
// interpreter, have their hashes computed by threads under different GILs at once (TSan checks
// the cache).
TEST(SubinterpTest, DictsAndSetsCrossWithTheirLayout) {
  const std::string source = R"(
import threading
d = {}
for i in range(20):
    d[i] = str(i)
for i in range(0, 20, 3):
    del d[i]
s = set()
for i in range(40):
    s.add(i * 8)
s.discard(16)
f = frozenset({'x', 'y', 'z'})
view = d.keys()
def work(k):
    local = {}
    for i in range(2000):
        local['alpha'] = i
        local['beta'] = i
        local['gamma' + str(i % 7)] = i
    print(k, list(d)[:5], list(s)[:6], len(f), 'y' in f, list(view)[-2:], len(local))
threads = []
for k in range(3):
    threads.append(threading.Thread(target=work, args=(k,)))
for t in threads:
    t.start()
for t in threads:
    t.join()
print('main', list(d)[:5], list(s)[:6])
)";
  std::string out;
  EXPECT_EQ(RunProgram(source, 5, &out, "subinterp"), 0);
  const std::string line = " [1, 2, 4, 5, 7] [0, 128, 256, 8, 136, 264] 3 True [17, 19] 9\n";
  EXPECT_NE(out.find("0" + line), std::string::npos) << out;
  EXPECT_NE(out.find("1" + line), std::string::npos) << out;
  EXPECT_NE(out.find("2" + line), std::string::npos) << out;
  EXPECT_NE(out.find("main [1, 2, 4, 5, 7] [0, 128, 256, 8, 136, 264]\n"), std::string::npos)
      << out;
}

TEST(SubinterpTest, WhatCannotCrossIsRefusedWithAReason) {
  const std::string source = R"(
import threading
def gen():
    yield 1
def use(g):
    pass
t = threading.Thread(target=use, args=(gen(),))
t.start()
)";
  std::string out;
  testing::internal::CaptureStderr();
  EXPECT_EQ(RunProgram(source, 5, &out, "subinterp"), 1);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("RuntimeError: cannot start Thread-1 (use) in its own interpreter "
                     "(--gil=subinterp): a generator cannot be shared between interpreters"),
            std::string::npos)
      << err;
}

TEST(SubinterpTest, AGlobalThatCouldNotCrossSaysWhy) {
  const std::string source = R"(
import threading
def peek():
    print(len(threads))
threads = []
t = threading.Thread(target=peek)
threads.append(t)
t.start()
t.join()
)";
  std::string out;
  testing::internal::CaptureStderr();
  EXPECT_EQ(RunProgram(source, 5, &out, "subinterp"), 0);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("NameError: name 'threads' is not defined in this thread's interpreter "
                     "(--gil=subinterp: a Thread cannot be shared between interpreters)"),
            std::string::npos)
      << err;
}

// hashlib.sha256 releases the GIL around the digest of 2 KiB or more, as CPython's _hashlib does,
// and keeps it for smaller buffers: each release is followed by one more acquisition.
TEST(HashlibTest, LargeBuffersAreHashedWithoutTheGil) {
  for (auto [size, releases] : {std::pair{2047, 0}, std::pair{2048, 5}, std::pair{100000, 5}}) {
    const std::string source = "import hashlib\ndata = b'x' * " + std::to_string(size) +
                               "\nfor i in range(5):\n    hashlib.sha256(data).digest()\n";
    std::string error;
    Interpreter interp(gil::MakeGil(gil::GilConfig{}, &error), {"h.py"});
    ASSERT_TRUE(interp.Load(source, "h.py", &error)) << error;
    EXPECT_EQ(interp.RunMain(), 0);
    EXPECT_EQ(interp.gil().TotalStats().counters.acquisitions, uint64_t(1 + releases)) << size;
  }
}

// The harness's entry: a workload's function in n threads, each with its share, checked by the
// sum of what the calls returned -- an int (countdown) or a generator's items (factorize).
TEST(WorkersTest, RunWorkersSumsEachWorkersResultsUnderEveryPolicy) {
  const std::string source = R"(
def countdown(n):
    while n > 0:
        n -= 1
    return n
def factorize(number):
    for i in range(1, number + 1):
        if number % i == 0:
            yield i
if __name__ == "__main__":
    print("the demo must not run")
)";
  for (const char* policy : {"py2", "py3", "fifo", "prio", "subinterp"}) {
    gil::GilConfig config;
    config.policy = policy;
    std::string error;
    Interpreter interp(gil::MakeGil(config, &error), {"w.py"});
    testing::internal::CaptureStdout();
    ASSERT_TRUE(LoadWorkload(interp, source, "w.py", &error)) << error;
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
    std::vector<int> started(2, 0), ended(2, 0);
    WorkerHooks hooks{[&](int i) { started[i]++; }, [&](int i) { ended[i]++; }};
    auto countdown = RunWorkers(
        interp, {{{"countdown", {100000}}}, {{"countdown", {50000}}, {"countdown", {50000}}}},
        hooks);
    ASSERT_EQ(countdown.size(), 2u);
    for (const WorkerOutcome& o : countdown) {
      EXPECT_TRUE(o.ok) << policy << ": " << o.error;
      EXPECT_EQ(o.checksum, 0);
    }
    EXPECT_EQ(started, (std::vector<int>{1, 1}));
    EXPECT_EQ(ended, (std::vector<int>{1, 1}));
    auto factors =
        RunWorkers(interp, {{{"factorize", {100}}}, {{"factorize", {28}}, {"factorize", {7}}}});
    EXPECT_EQ(factors[0].checksum, 217) << policy;  // 1+2+4+5+10+20+25+50+100
    EXPECT_EQ(factors[1].checksum, 56 + 8) << policy;
    auto missing = RunWorkers(interp, {{{"nope", {1}}}});
    EXPECT_FALSE(missing[0].ok);
    EXPECT_NE(missing[0].error.find("NameError: name 'nope' is not defined"), std::string::npos);
  }
}

// Two countdown workers of `first` and `second` iterations under `policy` with a 50 us switch
// interval (many handoffs, so the work is cut into many holdings); the outcomes, and the GIL's
// vm_ticks before the run in *ticks_before.
std::vector<WorkerOutcome> TwoCountdowns(Interpreter* interp, int64_t first, int64_t second,
                                         uint64_t* ticks_before = nullptr) {
  const std::string source = R"(
def countdown(n):
    while n > 0:
        n -= 1
    return n
)";
  std::string error;
  EXPECT_TRUE(LoadWorkload(*interp, source, "w.py", &error)) << error;
  if (ticks_before != nullptr) *ticks_before = interp->gil().TotalStats().counters.vm_ticks;
  return RunWorkers(*interp, {{{"countdown", {first}}}, {{"countdown", {second}}}});
}

std::unique_ptr<Interpreter> InterpreterWithFastSwitches(const char* policy) {
  gil::GilConfig config;
  config.policy = policy;
  config.switch_interval_us = 50;
  std::string error;
  return std::make_unique<Interpreter>(gil::MakeGil(config, &error),
                                       std::vector<std::string>{"w.py"});
}

// The VM counts its own work (vm_ticks): one tick per back edge and per call, booked to the thread
// whose holding did it, under every policy, however the GIL moved between the threads.
TEST(WorkersTest, EachWorkerBooksItsOwnTicks) {
  for (const char* policy : {"py2", "py3", "fifo", "prio", "subinterp"}) {
    std::unique_ptr<Interpreter> interp = InterpreterWithFastSwitches(policy);
    uint64_t before = 0;
    auto outcomes = TwoCountdowns(interp.get(), 300000, 100000, &before);
    ASSERT_EQ(outcomes.size(), 2u);
    for (const WorkerOutcome& o : outcomes) EXPECT_TRUE(o.ok) << policy << ": " << o.error;
    const gil::GilThreadCounters total = interp->gil().TotalStats().counters;
    const uint64_t ticks = total.vm_ticks - before;
    // Exactly: a while loop tests once on entry and then at each of its n - 1 back edges, and
    // the harness's calls into the workload go through no breaker check. None lost or doubled
    // at the flushes, however many holdings the work was cut into.
    EXPECT_EQ(ticks, (300000u - 1) + (100000u - 1)) << policy;
    EXPECT_LE(total.gap_ns_total, total.wait_ns_total) << policy;
    EXPECT_LE(total.gap_cpu_wait_ns, total.gap_ns_total) << policy;
    EXPECT_LE(total.holdings_after_move, total.acquisitions) << policy;
  }
}

// The fairness window: what each worker had done when the first one finished. The first to
// finish had done all of its work by then (exactly its ticks); the others no more than theirs
// (zero for one that had not got going yet: each worker is in the window once it started);
// and the holding times are those of real holdings.
TEST(WorkersTest, TheWindowHoldsWhatEachWorkerHadDoneWhenTheFirstFinished) {
  for (const char* policy : {"py2", "py3", "fifo", "prio", "subinterp"}) {
    std::unique_ptr<Interpreter> interp = InterpreterWithFastSwitches(policy);
    auto outcomes = TwoCountdowns(interp.get(), 200000, 200000);
    ASSERT_EQ(outcomes.size(), 2u);
    int finished_first = 0;
    for (const WorkerOutcome& o : outcomes) {
      ASSERT_TRUE(o.ok) << policy << ": " << o.error;
      EXPECT_TRUE(o.in_window) << policy;
      EXPECT_LE(o.window_ticks, 200000u - 1) << policy;
      finished_first += o.window_ticks == 200000u - 1 ? 1 : 0;
    }
    EXPECT_GE(finished_first, 1) << policy;
    EXPECT_GT(outcomes[0].window_hold_ns + outcomes[1].window_hold_ns, 0u) << policy;
  }
}

// A worker the OS refuses fails with CPython's error; the harness's call returns (a
// std::system_error used to end the whole benchmark run).
TEST(WorkersTest, WorkersTheOsRefusesFailWithoutEndingTheRun) {
  std::string error;
  Interpreter interp(gil::MakeGil(gil::GilConfig{}, &error), {"w.py"});
  ASSERT_TRUE(LoadWorkload(interp, "def one():\n    return 1\n", "w.py", &error)) << error;
  std::vector<WorkerOutcome> outcomes;
  {
    RefuseNewThreads refuse;
    outcomes = RunWorkers(interp, {{{"one", {}}}, {{"one", {}}}});
  }
  ASSERT_EQ(outcomes.size(), 2u);
  for (const WorkerOutcome& o : outcomes) {
    EXPECT_FALSE(o.ok);
    EXPECT_EQ(o.error, "RuntimeError: can't start new thread\n");
  }
  outcomes = RunWorkers(interp, {{{"one", {}}}, {{"one", {}}}});
  EXPECT_TRUE(outcomes[0].ok && outcomes[1].ok) << outcomes[0].error << outcomes[1].error;
}

}  // namespace
}  // namespace gilbench::vm
