# A thread woken by a lock release beside a CPU-bound thread: how long until it runs?
# The waker releases `gate` every 2 ms (sleeping in between, so it needs the GIL only briefly);
# the sleeper blocks in gate.acquire() and notes how long after the release it ran again; the
# burner counts without pause the whole time. What the sleeper waits for is the GIL, held by the
# burner: the policy decides when the burner lets go.
#
#   gilvm --gil=POLICY --stats=FILE lock_wakeup.py [N]      python3 lock_wakeup.py [N]
import sys
import threading
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
gate = threading.Lock()
gate.acquire()
done = threading.Event()
released = [0.0]
latencies = []


def sleeper():
    for _ in range(N):
        gate.acquire()
        latencies.append(time.perf_counter() - released[0])


def waker():
    for _ in range(N):
        time.sleep(0.002)
        released[0] = time.perf_counter()
        gate.release()
        while not gate.locked():  # until the sleeper has taken it (it may still wait for the GIL)
            pass
    done.set()


def burner():
    x = 0
    while not done.is_set():
        for _ in range(1000):
            x += 1


threads = [threading.Thread(target=f) for f in (sleeper, waker, burner)]
for t in threads:
    t.start()
for t in threads:
    t.join()
latencies.sort()
print("wake-to-run p50 %.0f us, p90 %.0f us, max %.0f us" % (
    latencies[len(latencies) // 2] * 1e6, latencies[len(latencies) * 9 // 10] * 1e6,
    latencies[-1] * 1e6))
