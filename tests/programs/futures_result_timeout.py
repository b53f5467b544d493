import threading
from concurrent.futures import ThreadPoolExecutor, TimeoutError

gate = threading.Event()
with ThreadPoolExecutor(1) as ex:
    f = ex.submit(gate.wait)
    try:
        f.result(timeout=0.02)
    except TimeoutError:
        print("timed out, running:", f.running())
    try:
        f.exception(timeout=0)
    except TimeoutError:
        print("exception() timed out")
    gate.set()
    print(f.result(timeout=5))
