# One set() releases every thread waiting on the event.
import threading
e = threading.Event()
out = []
lock = threading.Lock()
def waiter(i):
    e.wait()
    with lock:
        out.append(i)
threads = [threading.Thread(target=waiter, args=(i,)) for i in range(5)]
for t in threads:
    t.start()
e.set()
for t in threads:
    t.join()
print(sorted(out))
