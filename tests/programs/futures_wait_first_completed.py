import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

gate = threading.Event()


def slow():
    gate.wait()
    return "slow"


def fast():
    return "fast"


with ThreadPoolExecutor(2) as ex:
    s = ex.submit(slow)
    f = ex.submit(fast)
    done, not_done = wait([s, f], return_when=FIRST_COMPLETED)
    print([x.result() for x in done], len(not_done), s in not_done)
    gate.set()
    print(s.result())
