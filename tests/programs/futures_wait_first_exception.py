import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

gate = threading.Event()


def slow():
    gate.wait()
    return 1


def bad():
    raise KeyError("k")


with ThreadPoolExecutor(2) as ex:
    s = ex.submit(slow)
    b = ex.submit(bad)
    done, not_done = wait([s, b], return_when=FIRST_EXCEPTION)
    print(len(done), len(not_done), type(b.exception()).__name__)
    gate.set()
    done, not_done = wait([s, b], return_when=FIRST_EXCEPTION)
    print(len(done), len(not_done))
