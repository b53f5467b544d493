# Producers and consumers through a bounded queue; join() waits for every task_done.
import queue, threading
q = queue.Queue(maxsize=3)
results = []
lock = threading.Lock()
def producer(base):
    for i in range(20):
        q.put(base + i)
def consumer():
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            break
        with lock:
            results.append(item)
        q.task_done()
producers = [threading.Thread(target=producer, args=(b,)) for b in (0, 100)]
consumers = [threading.Thread(target=consumer) for _ in range(3)]
for t in producers + consumers:
    t.start()
for t in producers:
    t.join()
q.join()
for _ in consumers:
    q.put(None)
for t in consumers:
    t.join()
print(len(results), sum(results), q.empty(), q.qsize())
