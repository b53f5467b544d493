# An exception escaping a thread is reported on stderr; the other threads and the program go on.
import threading
lock = threading.Lock()
def bad():
    with lock:
        raise ValueError("boom in thread")
t = threading.Thread(target=bad, name="W")
t.start()
t.join()
print("lock free again:", not lock.locked(), t.is_alive())
