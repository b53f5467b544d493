import threading
threading.Lock().acquire(False, 1)
