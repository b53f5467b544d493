# abort() breaks the barrier for the threads waiting on it.
import threading, time
b = threading.Barrier(3)
results = []
def worker():
    try:
        b.wait()
        results.append("passed")
    except threading.BrokenBarrierError:
        results.append("broken")
t = threading.Thread(target=worker)
t.start()
while b.n_waiting < 1:
    time.sleep(0.001)
b.abort()
t.join()
print(results, b.broken)
