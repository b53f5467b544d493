# SimpleQueue: put never blocks; get, get_nowait, qsize, empty.
import queue, threading
s = queue.SimpleQueue()
print(s.empty(), s.qsize())
s.put(1)
s.put_nowait(2)
s.put(3, block=False, timeout=5)
print(s.qsize(), s.get(), s.get_nowait(), s.get(timeout=1))
try:
    s.get_nowait()
except queue.Empty:
    print("empty")
def producer():
    for i in range(10):
        s.put(i)
t = threading.Thread(target=producer)
t.start()
print(sum(s.get() for _ in range(10)))
t.join()
