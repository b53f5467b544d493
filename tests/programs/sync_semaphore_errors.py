# Semaphore's ValueErrors, caught.
import threading
for f in [lambda: threading.Semaphore(-1),
          lambda: threading.Semaphore().acquire(False, 1),
          lambda: threading.Semaphore().release(0),
          lambda: threading.BoundedSemaphore(1).release(),
          lambda: threading.BoundedSemaphore(2).release(3)]:
    try:
        f()
        print("no error")
    except ValueError as e:
        print("ValueError:", e)
