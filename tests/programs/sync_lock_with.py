# `with lock:` takes and gives back the lock, also when the body raises.
import threading
lock = threading.Lock()
with lock:
    print("inside", lock.locked())
print("after", lock.locked())
try:
    with lock:
        raise KeyError("k")
except KeyError as e:
    print("caught", e, lock.locked())
with lock as got:
    print("as", got)
