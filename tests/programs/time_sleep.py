# Checks time.sleep waits at least the requested time, accepts ints, floats and 0, and returns None.
import time
start = time.perf_counter()
r = time.sleep(0.05)
elapsed = time.perf_counter() - start
print(r, elapsed >= 0.045, elapsed < 2.0)
s = time.monotonic()
time.sleep(0)
time.sleep(0.0)
print(time.monotonic() - s < 1.0)
s = time.monotonic()
for i in range(5):
    time.sleep(0.01)
print(time.monotonic() - s >= 0.045)
s = time.time()
time.sleep(0.02)
print(time.time() - s > 0.0)
from time import sleep
sleep(0.001)
print("slept")
