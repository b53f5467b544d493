import threading
b = threading.Barrier(2)
b.abort()
b.wait()
