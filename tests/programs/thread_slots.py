# Checks CPU-bound threads each writing their own slot: results independent of scheduling.
import threading
N = 4
partial = [0] * N
def work(k):
    total = 0
    i = k
    while i < 20000:
        total += i * i % 7
        i += N
    partial[k] = total
threads = []
for k in range(N):
    t = threading.Thread(target=work, args=(k,), name="w" + str(k))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print(partial, sum(partial))
serial = 0
for i in range(20000):
    serial += i * i % 7
print(serial == sum(partial))
