# threading.Lock: acquire/release/locked, non-blocking and timed acquires, the repr's first word.
import threading
lock = threading.Lock()
print(lock.locked(), lock.acquire(), lock.locked())
print(lock.acquire(False), lock.acquire(blocking=False), lock.acquire(timeout=0.01))
print(lock.acquire(True, 0.01), lock.acquire(1, 0))
print(repr(lock).split()[0], type(lock).__name__)
lock.release()
print(lock.locked(), repr(lock).split()[0])
print(lock.acquire(blocking=True, timeout=-1))
lock.release()
