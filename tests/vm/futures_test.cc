// concurrent.futures through the VM (vm/futures.cc): its blocking waits on the wait core of
// vm/sync.h -- counted in the lock statistics, shown in the trace -- the refusal to let a future
// or an executor cross interpreters under subinterp, and a stress run that is, under the tsan
// preset, the data-race check of the pool's workers, futures, callbacks and timeouts.
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

TEST(FuturesTest, BlockingResultIsCountedAndTracedAsALockWait) {
  ProgramRun run = RunProgram(R"(
import threading
from concurrent.futures import ThreadPoolExecutor
gate = threading.Event()
with ThreadPoolExecutor(1) as ex:
    f = ex.submit(gate.wait)
    threading.Timer(0.05, gate.set).start()
    print(f.result())
)",
                              "py3", 5000, true);
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out, "True\n");
  EXPECT_GE(run.locks.counters.acquisitions, 1u);
  EXPECT_GE(run.locks.counters.contended, 1u);
  EXPECT_GT(run.locks.counters.wait_ns_total, 0u);
  EXPECT_NE(run.trace_json.find("\"name\":\"waiting for a lock\""), std::string::npos);
}

TEST(FuturesTest, SubinterpRefusesToShareAFutureOrAnExecutor) {
  ProgramRun run = RunProgram(R"(
import threading
from concurrent.futures import Future, ThreadPoolExecutor
def f(x):
    pass
for obj in (Future(), ThreadPoolExecutor(1)):
    try:
        threading.Thread(target=f, args=(obj,)).start()
    except RuntimeError as e:
        print(str(e).split(": ", 1)[1])
try:
    ThreadPoolExecutor(1).submit(f, 1)
except RuntimeError as e:
    print(str(e).split(": ", 1)[1])
)",
                              "subinterp");
  EXPECT_EQ(run.status, 0);
  const std::string tail =
      " synchronises threads of one interpreter and cannot be shared between interpreters\n";
  EXPECT_EQ(run.out, "a concurrent.futures._base.Future" + tail +
                         "a concurrent.futures.thread.ThreadPoolExecutor" + tail +
                         "a concurrent.futures.thread.ThreadPoolExecutor" + tail);
}

TEST(FuturesTest, StressManySubmittersTinySwitchInterval) {
  // Several threads submit to one pool with a 1 us switch interval; results are waited for with
  // timeouts that often expire, callbacks count completions, as_completed and wait collect the
  // rest: the totals are exact whatever the interleaving.
  const std::string source = R"(
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed, wait, TimeoutError
ex = ThreadPoolExecutor(max_workers=4)
lock = threading.Lock()
futures = []
called = [0]
timeouts = [0]
def work(x):
    return x * 2
def done(f):
    with lock:
        called[0] += 1
def submitter(base):
    mine = []
    for i in range(200):
        f = ex.submit(work, base + i)
        f.add_done_callback(done)
        mine.append(f)
        if i % 7 == 0:
            try:
                f.result(timeout=0.00001)
            except TimeoutError:
                with lock:
                    timeouts[0] += 1
    with lock:
        futures.extend(mine)
threads = [threading.Thread(target=submitter, args=(k * 1000,)) for k in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
total = sum(f.result(timeout=30) for f in as_completed(futures, timeout=60))
done_set, not_done = wait(futures)
ex.shutdown()
print(len(futures), total, len(done_set), len(not_done), called[0])
)";
  for (const char* policy : {"py3", "py2", "fifo", "prio"}) {
    ProgramRun run = RunProgram(source, policy, 1);
    EXPECT_EQ(run.status, 0) << policy;
    EXPECT_EQ(run.out, "1200 6238800 1200 0 1200\n") << policy;
  }
}

}  // namespace
}  // namespace gilbench::vm
