# RLock: the owner re-enters; it is free only after as many releases as acquires.
import threading
r = threading.RLock()
print(r.acquire(), r.acquire(), r.acquire(False))
print(repr(r).split()[0])
r.release()
print(repr(r).split()[0])
r.release()
print(repr(r).split()[0], type(r).__name__)
with r:
    with r:
        print("nested")
def other():
    print("other gets it:", r.acquire(False))
r.acquire()
t = threading.Thread(target=other)
t.start()
t.join()
r.release()
t = threading.Thread(target=other)
t.start()
t.join()
