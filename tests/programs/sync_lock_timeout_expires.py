# A timed acquire of a lock held elsewhere gives up with False after about the timeout.
import threading, time
lock = threading.Lock()
lock.acquire()
start = time.monotonic()
got = lock.acquire(timeout=0.03)
elapsed = time.monotonic() - start
print(got, elapsed >= 0.025)
def other():
    print("other", lock.acquire(False), lock.acquire(timeout=0.01))
t = threading.Thread(target=other)
t.start()
t.join()
