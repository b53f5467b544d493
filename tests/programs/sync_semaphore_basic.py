# Semaphore: a count of permits; acquire blocks at zero; release(n).
import threading
s = threading.Semaphore(2)
print(s.acquire(), s.acquire(), s.acquire(False), s.acquire(timeout=0.01))
s.release()
print(s.acquire(blocking=False))
s.release(2)
print(s.acquire(), s.acquire(), s.acquire(False))
s.release()
with s:
    print("with ok")
print(repr(threading.Semaphore(3)).split(":")[-1])
print(threading.Semaphore().acquire(False), threading.Semaphore(0).acquire(False))
