# Condition.wait(timeout) returns False when nobody notifies, and the lock is held again after.
import threading
lock = threading.Lock()
cond = threading.Condition(lock)
with cond:
    print(cond.wait(0.01), lock.locked())
    print(cond.wait(timeout=0), lock.locked())
    print(cond.wait(-1), lock.locked())
print("done", lock.locked())
