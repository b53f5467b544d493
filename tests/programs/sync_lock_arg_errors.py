# Lock.acquire's argument errors, caught, in CPython's words.
import threading
lock = threading.Lock()
def attempt(f):
    try:
        print(f())
    except (TypeError, ValueError, RuntimeError) as e:
        print(type(e).__name__, e)
attempt(lambda: lock.acquire(1, 2, 3))
attempt(lambda: lock.acquire(foo=1))
attempt(lambda: lock.acquire(timeout="x"))
attempt(lambda: lock.acquire(blocking="x"))
attempt(lambda: lock.acquire(False, 1))
attempt(lambda: lock.acquire(True, -2))
attempt(lambda: lock.acquire(timeout=-1))
attempt(lambda: lock.release())
attempt(lambda: lock.locked())
