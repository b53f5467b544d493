import threading
from concurrent.futures import CancelledError, ThreadPoolExecutor

gate = threading.Event()
started = threading.Event()


def block():
    started.set()
    return gate.wait()


with ThreadPoolExecutor(max_workers=1) as ex:
    busy = ex.submit(block)
    started.wait()
    queued = ex.submit(print, "never")
    print(queued.cancel(), queued.cancelled(), busy.cancel())
    gate.set()
try:
    queued.result()
except CancelledError:
    print("CancelledError")
print(busy.result())
