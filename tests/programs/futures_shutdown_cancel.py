import threading
from concurrent.futures import ThreadPoolExecutor

gate = threading.Event()
started = threading.Event()


def block():
    started.set()
    gate.wait()
    return "first"


ex = ThreadPoolExecutor(max_workers=1)
first = ex.submit(block)
started.wait()
rest = [ex.submit(abs, -i) for i in range(3)]
ex.shutdown(wait=False, cancel_futures=True)
print([f.cancelled() for f in rest])
gate.set()
print(first.result())
ex.shutdown()
print(first.done())
