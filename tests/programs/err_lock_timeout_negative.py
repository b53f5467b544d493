import threading
threading.Lock().acquire(timeout=-0.5)
