# Checks threading.active_count() before, during (threads blocked on a pipe) and after joins.
import threading
import os
print(threading.active_count())
r, w = os.pipe()
def wait_for_go(slot, out):
    out[slot] = os.read(r, 1)
out = [None, None, None]
threads = []
for i in range(3):
    t = threading.Thread(target=wait_for_go, args=(i, out))
    threads.append(t)
    t.start()
print(threading.active_count())
os.write(w, b"xyz")
for t in threads:
    t.join()
print(threading.active_count())
got = out[0] + out[1] + out[2]
print(len(got), b"x" in [out[0], out[1], out[2]])
os.close(r)
os.close(w)
