import threading
from concurrent.futures import ThreadPoolExecutor

before = threading.active_count()
ex = ThreadPoolExecutor(max_workers=4)
print(threading.active_count() - before)
ex.submit(print, "one").result()
print(threading.active_count() - before)
ex.submit(print, "two").result()
print(threading.active_count() - before)
ex.shutdown()
print(threading.active_count() - before)
