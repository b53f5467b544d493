# Four threads add to a shared counter under a lock; the total is exact.
import threading
lock = threading.Lock()
total = [0]
def work(n):
    for _ in range(n):
        with lock:
            total[0] += 1
threads = [threading.Thread(target=work, args=(2000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total[0], lock.locked())
