# Two threads contending for the GIL: run by ctest with a huge --switch-interval (gil.huge_switch_interval).
import threading
def f(n):
    while n > 0:
        n -= 1
ts = []
for i in range(2):
    ts.append(threading.Thread(target=f, args=(200000,)))
for t in ts:
    t.start()
for t in ts:
    t.join()
print("done")
