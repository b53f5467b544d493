# Many threads, a tiny switch interval, timed acquires and waits: the counts come out exact.
import sys, threading, queue
sys.setswitchinterval(1e-6)
lock = threading.Lock()
rlock = threading.RLock()
sem = threading.BoundedSemaphore(3)
q = queue.Queue(maxsize=4)
total = [0]
def worker(i):
    for _ in range(100):
        while not lock.acquire(timeout=0.001):
            pass
        total[0] += 1
        lock.release()
        with rlock:
            with rlock:
                total[0] += 1
        with sem:
            total[0] += 0
    q.put(i)
threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
got = sorted(q.get() for _ in range(8))
for t in threads:
    t.join()
print(total[0], got)
