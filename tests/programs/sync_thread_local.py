# threading.local: each thread sees only the attributes it set itself.
import threading
data = threading.local()
data.x = "main"
seen = []
lock = threading.Lock()
def worker(i):
    print_missing = not hasattr(data, "x")
    data.x = i
    data.y = i * 10
    with lock:
        seen.append((i, data.x, data.y, print_missing))
threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(seen))
print(data.x, hasattr(data, "y"), type(data).__name__)
del data.x
print(hasattr(data, "x"))
try:
    data.missing
except AttributeError as e:
    print("AttributeError:", e)
try:
    del data.x
except AttributeError as e:
    print("AttributeError on del")
