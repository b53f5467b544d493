# Timer runs its function after the interval; a cancelled Timer never does.
import threading
out = []
t = threading.Timer(0.01, out.append, args=["fired"])
t.start()
t.join()
c = threading.Timer(10, out.append, ["never"])
c.start()
c.cancel()
c.join()
k = threading.Timer(0, lambda a, b=0: out.append(a + b), [1], {"b": 2})
k.start()
k.join()
print(out, isinstance(t, threading.Thread), t.interval)
