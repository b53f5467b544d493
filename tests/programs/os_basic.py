# Checks os.getpid() and os.cpu_count(): positive ints, stable across calls and threads.
import os
import threading
pid = os.getpid()
print(pid > 0, pid == os.getpid())
n = os.cpu_count()
print(n >= 1, n == os.cpu_count(), n + 0 == n)
seen = [0]
def child():
    seen[0] = os.getpid()
t = threading.Thread(target=child)
t.start()
t.join()
print(seen[0] == pid)
print(str(pid) == str(os.getpid()), len(str(pid)) >= 1)
