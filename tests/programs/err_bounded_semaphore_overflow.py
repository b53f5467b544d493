import threading
b = threading.BoundedSemaphore(2)
b.acquire()
b.release()
print(repr(b).split(":")[-1])
b.release()
