# Threads share the module's one generator: draws interleave but none is lost or repeated.
import random
import threading
random.seed(11)
expected = []
for i in range(400):
    expected.append(random.random())
random.seed(11)
got = []
def worker(n):
    for i in range(n):
        got.append(random.random())
threads = []
for k in range(4):
    t = threading.Thread(target=worker, args=(100,))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print(len(got), sorted(got) == sorted(expected))
