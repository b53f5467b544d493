# Checks threads appending to one shared list under the GIL: nothing lost, sorted/summed results deterministic.
import threading
shared = []
def producer(tag, n):
    for i in range(n):
        shared.append(tag * 1000 + i)
threads = []
for tag in range(1, 5):
    threads.append(threading.Thread(target=producer, args=(tag, 500)))
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(shared), sum(shared), min(shared), max(shared))
counts = [0, 0, 0, 0, 0]
for v in shared:
    counts[v // 1000] += 1
print(counts)
ok = True
last = [0, 999, 1999, 2999, 3999]
for v in shared:
    tag = v // 1000
    if v != last[tag] + 1:
        ok = False
    last[tag] = v
print("per-thread order kept", ok)
