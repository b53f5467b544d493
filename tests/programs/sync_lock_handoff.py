# A lock released by another thread: a blocked acquire in the main thread returns True.
import threading, time
lock = threading.Lock()
lock.acquire()
def release_later():
    time.sleep(0.02)
    lock.release()
t = threading.Thread(target=release_later)
t.start()
print(lock.acquire())
t.join()
print(lock.locked())
lock.release()
print(lock.acquire(timeout=0.5))
