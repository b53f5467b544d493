# Checks time.sleep releases the GIL: five threads sleeping 0.2 s together take far less than 1 s.
import threading
import time
done = [False] * 5
def nap(i):
    time.sleep(0.2)
    done[i] = True
start = time.perf_counter()
threads = []
for i in range(5):
    t = threading.Thread(target=nap, args=(i,))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
print(done)
print(elapsed >= 0.19, elapsed < 0.9)
spins = [0]
def spinner():
    end = time.monotonic() + 0.1
    while time.monotonic() < end:
        spins[0] = spins[0] + 1
t = threading.Thread(target=spinner)
t.start()
time.sleep(0.05)
t.join()
print(spins[0] > 0)
