# A barrier wait that times out breaks the barrier; reset() mends it.
import threading
b = threading.Barrier(2, timeout=0.01)
try:
    b.wait()
except threading.BrokenBarrierError:
    print("broken", b.broken)
try:
    b.wait(0.01)
except threading.BrokenBarrierError as e:
    print("still broken", type(e).__name__, isinstance(e, RuntimeError))
b.reset()
print(b.broken, b.n_waiting)
got = []
def other():
    got.append(b.wait(1))
t = threading.Thread(target=other)
t.start()
got.append(b.wait(1))
t.join()
print(sorted(got))
