# Condition: a consumer waits until the producer has put items and notified.
import threading
cond = threading.Condition()
items = []
got = []
def consumer():
    with cond:
        while not items:
            cond.wait()
        got.append(items.pop(0))
threads = [threading.Thread(target=consumer) for _ in range(3)]
for t in threads:
    t.start()
for i in range(3):
    with cond:
        items.append(i)
        cond.notify()
for t in threads:
    t.join()
print(sorted(got), items)
