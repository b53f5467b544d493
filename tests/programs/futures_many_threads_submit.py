import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed

sys.setswitchinterval(0.0001)
ex = ThreadPoolExecutor(max_workers=4)
lock = threading.Lock()
futures = []


def producer(base):
    for i in range(50):
        f = ex.submit(pow, base + i, 2)
        with lock:
            futures.append(f)


threads = [threading.Thread(target=producer, args=(k * 100,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
total = sum(f.result(timeout=10) for f in as_completed(futures))
print(len(futures), total)
ex.shutdown()
