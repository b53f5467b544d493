# Checks time.time, perf_counter and monotonic return plausible, non-decreasing floats.
import time
t = time.time()
print(t > 1600000000, t < 5000000000)
p1 = time.perf_counter()
m1 = time.monotonic()
total = 0
for i in range(10000):
    total += i
p2 = time.perf_counter()
m2 = time.monotonic()
print(total)
print(p2 >= p1, m2 >= m1, p2 - p1 >= 0.0, p2 - p1 < 5)
t2 = time.time()
print(t2 >= t - 1, t2 - t < 60)
print(str(t)[0] == "1", (t * 2) / 2 == t)
last = time.monotonic()
ok = True
for i in range(100):
    now = time.monotonic()
    if now < last:
        ok = False
    last = now
print(ok)
